"""The stroke reader reads whatever the real canvas records: dots, scribbles, 500 strokes,
erased drawings, an emptied canvas; never an exception, and the image model alone when the
strokes cannot speak."""

from __future__ import annotations

import numpy as np
import pytest

from mnistpad.core.strokes.combination import BOTH, ERASED, IMAGE_ALONE, NO_STROKES, read_drawing
from mnistpad.core.strokes.reader import StrokeReader, shipped_stroke_model

pytestmark = pytest.mark.skipif(not shipped_stroke_model().is_file(),
                                reason="no shipped stroke model")


@pytest.fixture(scope="module")
def reader() -> StrokeReader:
    return StrokeReader.from_file()


@pytest.fixture
def canvas(qtbot):
    from mnistpad.ui.draw.canvas import DrawingCanvas

    widget = DrawingCanvas()
    qtbot.addWidget(widget)
    widget.resize(400, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def read(canvas, reader):
    """What the app would show: the combination when the canvas holds a digit."""
    strokes = canvas.pen_strokes()
    pixels = canvas.digit()
    image = None if pixels is None else np.full(10, 0.1)
    return read_drawing(strokes, image, reader)


def test_every_kind_of_drawing_reads_without_an_exception(canvas, reader, draw_strokes):
    rng = np.random.default_rng(5)
    kinds = {
        "dot": [[[140, 140]]],
        "dots": [[[x, y]] for x, y in rng.uniform(10, 270, (30, 2))],
        "scribble": [rng.uniform(5, 275, (400, 2)).tolist()],
        "500 strokes": [rng.uniform(5, 275, (int(rng.integers(1, 4)), 2)).tolist()
                        for _ in range(500)],
        "off the edge": [[[-50, -50], [140, 140], [400, 330]]],
    }
    for name, strokes in kinds.items():
        canvas.clear()
        draw_strokes(canvas, strokes)
        reading = read(canvas, reader)
        assert reading.source in (BOTH, IMAGE_ALONE), name
        if reading.combined is not None:
            assert reading.combined.sum() == pytest.approx(1.0), name
    assert reading.source == BOTH  # off the edge: a line, read by both


def test_an_erased_drawing_is_read_by_the_image_alone_and_undo_brings_both_back(
        canvas, reader, draw_strokes, stroke_samples):
    draw_strokes(canvas, stroke_samples[0]["strokes"])
    assert read(canvas, reader).source == BOTH
    canvas.set_erasing(True)
    draw_strokes(canvas, [[[60, 60], [220, 220]]])
    reading = read(canvas, reader)
    assert reading.source == IMAGE_ALONE and reading.reason == ERASED
    canvas.undo()
    assert read(canvas, reader).source == BOTH
    canvas.undo()
    reading = read(canvas, reader)
    assert reading.reason == NO_STROKES and reading.combined is None


def test_drawings_on_the_canvas_are_read_by_the_strokes(canvas, reader, draw_strokes,
                                                        stroke_samples):
    right = 0
    for sample in stroke_samples[::4]:
        canvas.clear()
        draw_strokes(canvas, sample["strokes"])
        right += int(reader.probabilities(canvas.pen_strokes()).argmax()) == int(sample["label"])
    assert right >= 0.85 * len(stroke_samples[::4])
