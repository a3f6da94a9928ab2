"""The Qt-free stroke renderer and the one path from strokes to MNIST pixels."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mnistpad.core.data.preprocess import normalize_digit
from mnistpad.core.strokes.renderer import (
    CANVAS_SIZE,
    DEFAULT_PEN_WIDTH,
    PenStroke,
    digit_from_strokes,
    render_strokes,
)

SEVEN = [[(60, 50), (220, 50), (120, 240)]]


def test_a_horizontal_stroke_is_as_wide_as_the_pen_with_round_ends():
    ink = render_strokes([PenStroke.of([(100, 100), (180, 100)], width=24)])
    column = ink[:, 140]
    assert column[88:112].min() == 1.0 and column[:87].max() == 0 and column[113:].max() == 0
    row = ink[100]
    # round caps reach a pen radius beyond each end point
    assert row[89:191].min() == 1.0 and row[:87].max() == 0 and row[193:].max() == 0
    # off the end the cap is round: a square cap would cover the pixel at 45 degrees whose
    # centre is 13.4 px from the end point; a round one of radius 12 does not
    assert ink[100 - 10, 100 - 10] == 0.0 and ink[100 - 7, 100 - 7] == 1.0


def test_antialiased_edges_are_grey():
    ink = render_strokes([PenStroke.of([(50.3, 50.5), (200.7, 171.2)], width=10)])
    grey = ink[(ink > 0) & (ink < 1)]
    assert grey.size > 100
    assert set(np.round(ink.ravel() * 255)) <= set(range(256))  # 8-bit levels like the buffer


def test_the_eraser_removes_what_it_covers():
    pen = PenStroke.of([(40, 140), (240, 140)])
    eraser = PenStroke.of([(140, 100), (140, 180)], width=40, erase=True)
    ink = render_strokes([pen, eraser])
    assert ink[140, 140] == 0.0 and ink[140, 60] == 1.0


def test_a_speck_or_nothing_reads_as_no_digit():
    assert digit_from_strokes([]) is None
    assert digit_from_strokes([PenStroke.of([(140, 140), (141, 141)])]) is None
    eraser_only = [PenStroke.of([(40, 40), (200, 200)], erase=True)]
    assert digit_from_strokes(eraser_only) is None


def _scaled(strokes, factor, centre=(140, 140)):
    return [PenStroke.of([(centre[0] + (x - 140) * factor, centre[1] + (y - 140) * factor)
                          for x, y in s]) for s in strokes]


@pytest.mark.parametrize(("factor", "thicker"), [(1 / 3, 1.8), (2 / 3, 1.2)])
def test_a_small_drawing_reads_like_a_large_one(factor, thicker):
    """The pen is scaled with the drawing, so a digit drawn at a third of the size gives
    (nearly) the same MNIST pixels, not strokes three times as thick."""
    large = digit_from_strokes(_scaled(SEVEN, 1.0))
    small = digit_from_strokes(_scaled(SEVEN, factor, centre=(90, 200)))
    assert np.abs(large - small).mean() < 0.01
    # normalizing the buffer as drawn (a fixed-width pen) would give far thicker strokes
    naive = normalize_digit(render_strokes(_scaled(SEVEN, factor)))
    assert naive.mean() > thicker * large.mean()


def test_strokes_give_mnist_like_thickness():
    """Normalized strokes of the default pen are about as thick as MNIST's (mean ink of
    MNIST's training digits: 0.1307)."""
    pixels = digit_from_strokes([PenStroke.of(s, DEFAULT_PEN_WIDTH) for s in SEVEN])
    assert pixels.shape == (28, 28) and pixels.dtype == np.float32
    assert 0.06 < pixels.mean() < 0.2
    rows, cols = np.nonzero(pixels > 0.05)
    assert max(rows.max() - rows.min(), cols.max() - cols.min()) + 1 in (20, 21, 22)


def test_render_rejects_an_empty_stroke():
    with pytest.raises(ValueError):
        PenStroke.of([])
    assert render_strokes([]).shape == (CANVAS_SIZE, CANVAS_SIZE)


def _coverage_one_shape_at_a_time(stroke, size, offset, scale):
    """The renderer's coverage as first written: one segment and one disc at a time in
    Python, averaged over the supersamples with numpy's mean. The renderer computes the
    shapes all at once and sums in integers; what it draws must not change by a bit
    (drawings cached on disk are keyed by RENDERER_VERSION, and the shipped models were
    trained on these pixels)."""
    from PIL import Image, ImageDraw

    from mnistpad.core.strokes.renderer import SUPERSAMPLE as s

    height, width = size
    mask = Image.new("L", (width * s, height * s), 0)
    draw = ImageDraw.Draw(mask)
    pts = (stroke.points * scale + offset) * s - 0.5
    radius = stroke.width * scale * s / 2.0
    coords = [(float(x), float(y)) for x, y in pts]
    for (ax, ay), (bx, by) in itertools.pairwise(coords):
        length = np.hypot(bx - ax, by - ay)
        if length == 0:
            continue
        nx, ny = -(by - ay) / length * radius, (bx - ax) / length * radius
        draw.polygon([(ax + nx, ay + ny), (bx + nx, by + ny), (bx - nx, by - ny),
                      (ax - nx, ay - ny)], fill=255)
    for x, y in coords:
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=255)
    fine = np.asarray(mask, dtype=np.float64).reshape(height, s, width, s)
    return (fine.mean(axis=(1, 3)) / 255.0).astype(np.float32)


def test_the_renderer_draws_exactly_what_one_shape_at_a_time_draws(monkeypatch):
    import json
    from pathlib import Path

    import mnistpad.core.strokes.renderer as strokes_module

    samples = json.loads((Path(__file__).parent / "data" / "strokes.json").read_text())
    rng = np.random.default_rng(7)
    drawings = []
    for sample in samples["samples"][:40]:
        drawing = [PenStroke.of(points) for points in sample["strokes"]]
        if len(drawings) % 3 == 0:  # erased across, and a wild stroke with a wide pen
            drawing.append(PenStroke.of(drawing[0].points[::-1] + 3, width=40, erase=True))
            drawing.append(PenStroke.of(rng.uniform(-40, 320, (9, 2)), width=55))
        drawings.append(drawing)
    drawings.append([PenStroke.of([(140, 140)] * 3)])  # a dot: every segment of length 0
    fast = [(render_strokes(d), digit_from_strokes(d)) for d in drawings]

    monkeypatch.setattr(strokes_module, "_coverage", _coverage_one_shape_at_a_time)
    for drawing, (ink, pixels) in zip(drawings, fast, strict=True):
        assert np.array_equal(render_strokes(drawing), ink)
        slow = digit_from_strokes(drawing)
        assert (slow is None) == (pixels is None)
        if slow is not None:
            assert np.array_equal(slow, pixels)
