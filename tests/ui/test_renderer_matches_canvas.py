"""The Qt-free renderer draws what the canvas's QPainter draws.

Tolerance: the two antialias differently (QPainter computes exact pixel coverage, the
renderer averages 4x4 samples per pixel), so pixels on a stroke's edge may differ; a
stroke's inside and the background may not. After normalization (a 20x20 box, so one
canvas pixel is about a tenth of a normalized one) we allow a mean absolute difference
of 0.03 per image, a tenth of the mean ink of a normalized digit, and require that
no more than 1% of the 280x280 buffer pixels differ by more than a quarter of full ink.
"""

from __future__ import annotations

import numpy as np

from mnistpad.core.data.preprocess import normalize_digit
from mnistpad.core.strokes.renderer import PenStroke, render_strokes
from mnistpad.ui.draw.canvas import DrawingCanvas


def _core_strokes(canvas: DrawingCanvas) -> list[PenStroke]:
    return [PenStroke.of([(p.x(), p.y()) for p in s.points], s.width, s.erase)
            for s in canvas.strokes]


def test_every_fixture_drawing_renders_alike(qtbot, stroke_samples, draw_strokes):
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(280, 280)
    canvas.show()
    qtbot.waitExposed(canvas)
    mean_diffs = []
    for sample in stroke_samples:
        canvas.clear()
        draw_strokes(canvas, sample["strokes"])
        qt_ink = canvas.ink()
        ours = render_strokes(_core_strokes(canvas))
        assert (np.abs(qt_ink - ours) > 0.25).mean() < 0.01, sample["style"]
        diff = np.abs(normalize_digit(qt_ink) - normalize_digit(ours)).mean()
        assert diff < 0.03, (sample["style"], diff)
        mean_diffs.append(diff)
    assert len(mean_diffs) == len(stroke_samples) >= 100
    assert np.median(mean_diffs) < 0.01


def test_eraser_and_thin_pen_render_alike(qtbot, draw_strokes):
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(280, 280)
    canvas.show()
    canvas.set_pen_width(8)
    draw_strokes(canvas, [[[40, 60], [120, 200], [240, 60]]])
    canvas.set_erasing(True)
    canvas.set_pen_width(30)
    draw_strokes(canvas, [[[60, 130], [220, 130]]])
    qt_ink = canvas.ink()
    ours = render_strokes(_core_strokes(canvas))
    assert qt_ink.sum() > 0 and qt_ink[130, 80] == 0
    assert (np.abs(qt_ink - ours) > 0.25).mean() < 0.01
    assert np.abs(normalize_digit(qt_ink) - normalize_digit(ours)).mean() < 0.03
