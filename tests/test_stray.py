"""Stray marks: a small mark well away from the digit is left out of both readings; the parts
of a digit drawn in several strokes, and digits side by side, are not stray marks."""

from __future__ import annotations

import numpy as np
import pytest

from mnistpad.core.reading.drawing_reader import DrawingReader
from mnistpad.core.strokes.features import trajectory
from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes
from mnistpad.core.strokes.stray import stray_marks, without_stray_marks


def _ring(cx=140.0, cy=90.0, rx=40.0, ry=55.0, n=40):
    angle = np.linspace(0, 2 * np.pi, n)
    return PenStroke.of(np.stack([cx + rx * np.sin(angle), cy - ry * np.cos(angle)], axis=1))


ZERO = _ring()
DOT_FAR = PenStroke.of([[150, 250], [152, 254]])  # 105 px below a 0 110 px tall
DOT_INSIDE = PenStroke.of([[140, 90]])


def test_a_dot_far_below_a_zero_is_left_out_of_both_readings():
    drawing = [ZERO, DOT_FAR]
    assert stray_marks(drawing) == [1]
    assert np.array_equal(digit_from_strokes(drawing), digit_from_strokes([ZERO]))
    assert np.array_equal(DrawingReader().read(drawing), digit_from_strokes([ZERO]))
    assert np.array_equal(trajectory(drawing), trajectory([ZERO]))
    # ... first or last: the order does not matter
    assert stray_marks([DOT_FAR, ZERO]) == [0]
    assert np.array_equal(digit_from_strokes([DOT_FAR, ZERO]), digit_from_strokes([ZERO]))


def test_the_canvas_ink_is_not_used_once_a_mark_is_left_out():
    """The canvas's ink spans the mark too; with the mark left out, the reading is the one of
    the strokes alone, whatever ink is given."""
    ink = np.ones((280, 280), np.float32)
    assert np.array_equal(digit_from_strokes([ZERO, DOT_FAR], 280, ink),
                          digit_from_strokes([ZERO]))


@pytest.mark.parametrize("name, strokes", [
    ("a dot inside a 0", [ZERO, DOT_INSIDE]),
    ("a 4 in two strokes", [PenStroke.of([[150, 40], [90, 150], [190, 150]]),
                            PenStroke.of([[160, 90], [160, 240]])]),
    ("a 5 with its flag apart", [PenStroke.of([[110, 60], [105, 130], [150, 125], [175, 170],
                                              [150, 220], [100, 215]]),
                                 PenStroke.of([[125, 50], [185, 52]])]),
    ("a 7 with a bar", [PenStroke.of([[90, 50], [190, 50], [120, 240]]),
                        PenStroke.of([[130, 140], [175, 140]])]),
    ("a 1 then a 7 beside it", [PenStroke.of([[60, 60], [60, 220]]),
                                PenStroke.of([[120, 60], [220, 60], [160, 220]])]),
    ("two dots far apart", [PenStroke.of([[20, 20]]), PenStroke.of([[260, 260]])]),
])
def test_parts_of_digits_are_not_stray_marks(name, strokes):
    assert stray_marks(strokes) == [], name
    assert without_stray_marks(strokes) == strokes


def test_a_far_mark_with_a_real_share_of_the_ink_is_read():
    bar = PenStroke.of([[80, 250], [200, 250]])  # as long as a tenth of the drawing and more
    assert stray_marks([ZERO, bar]) == []


def test_the_eraser_is_never_a_stray_mark_and_is_kept():
    eraser = PenStroke.of([[10, 270], [12, 272]], erase=True)
    drawing = [ZERO, eraser, DOT_FAR]
    assert stray_marks(drawing) == [2]
    assert without_stray_marks(drawing) == [ZERO, eraser]
    assert stray_marks([ZERO, eraser]) == []


@pytest.mark.parametrize("drawing", [
    [],
    [ZERO],
    [[[0.0, 0.0]], [[1.0, 1.0]]],
    [[[np.nan, 1.0]], [[1.0, np.inf]]],
    [PenStroke.of([[0, 0], [1e308, 1e308]]), PenStroke.of([[-1e308, 5]])],
    [[], "not points", ZERO, None],
    [PenStroke.of([[i, i]]) for i in range(500)],
])
def test_odd_drawings_give_an_answer_and_no_warning(drawing):
    """Empty, single points, non-finite or enormous coordinates, things that are not points:
    an answer (the warnings filter turns any numpy warning into an error here)."""
    marks = stray_marks(drawing)
    assert all(0 <= i < len(drawing) for i in marks)


def test_over_the_pen_digits_one_stroke_is_a_stray_mark():
    """What the module says of the pen digits of writers 1-30: one stroke in all of them is
    left out, a dot under a 0 of writer 29."""
    from mnistpad.core.data import pendigits

    found = [(d.writer, d.label, stray_marks(pendigits.to_canvas(d)))
             for d in pendigits.by_writers(range(1, 31))]
    assert [f for f in found if f[2]] == [(29, 0, [1])]
