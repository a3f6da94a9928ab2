"""Stray marks: a dot or a flick of the pen well away from the digit, left out of its reading.

A drawing is read in the frame of all its strokes
(:func:`mnistpad.core.strokes.renderer.reading_frame`
and :func:`mnistpad.core.strokes.features.trajectory` both scale the drawing's extent to a
fixed size). A stray click below a 0 stretches that extent to twice the digit's height: the 0
is squeezed into the top of the picture, with the dot under it, and both readers read a 9.
The parts of one digit drawn in several strokes (a 5's flag, a 4's second stroke, a 7's bar)
touch the rest or come close to it, and each holds a real share of the ink; a stray mark does
neither. So a pen stroke is left out when the pen travels less than :data:`STRAY_SHARE` of
the drawing's path on it (a click, whatever the pen's width, travels none) and it lies
farther than :data:`STRAY_GAP` times the rest's size from the rest (the gap between their
bounding boxes). The canvas still shows it; the reading says it was left out. Pictures (an
image file, a picture put on the canvas) have no strokes and are read whole.

Over the 7,494 pen digits of writers 1-30 (``../shared/pendigits``), this rule leaves out one
stroke, a dot below a 0 of writer 29; of the six other strokes holding less than a tenth of
their digit's ink, none lies 0.3 of its digit's size away from the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from mnistpad.core.platform import lazy

np = lazy.module("numpy")

STRAY_SHARE = 0.1  # of the drawing's ink, as the length of the pen's path (not its width)
STRAY_GAP = 0.5  # times the longer side of the rest of the drawing


def finite_points(stroke) -> np.ndarray | None:
    """A stroke's finite points as (N, 2) float64 (a core pen stroke, or a point sequence;
    non-finite points left out), or ``None`` when it has none or is not points."""
    import numpy  # already imported (the lazy module's lookups cost more than this here)

    points = getattr(stroke, "points", None)
    if isinstance(points, numpy.ndarray) and points.dtype == numpy.float64 \
            and points.ndim == 2 and points.shape[1] == 2 and len(points) \
            and numpy.isfinite(points).all():
        return points  # a core pen stroke's points (the canvas's): nothing to convert
    try:
        array = numpy.asarray(getattr(stroke, "points", stroke),
                              dtype=numpy.float64).reshape(-1, 2)
    except (TypeError, ValueError):
        return None
    array = array[numpy.isfinite(array).all(axis=1)]
    return array if len(array) else None


def stray_marks(strokes: Sequence) -> list[int]:
    """The indices of ``strokes`` (the core's pen strokes, or point sequences) that are stray
    marks (see the module docstring). Eraser strokes are never stray marks, nor do they count
    as ink; a drawing of one pen stroke has none."""
    rows, arrays = [], []
    for row, stroke in enumerate(strokes):
        if getattr(stroke, "erase", False):
            continue
        points = finite_points(stroke)
        if points is None:
            continue
        rows.append(row)
        arrays.append(points)
    if len(arrays) < 2:
        return []
    with np.errstate(all="ignore"):  # points far out overflow to inf: no stray marks then
        return [rows[i] for i in _stray(arrays)]


def _stray(arrays: list[np.ndarray]) -> np.ndarray:
    """The positions in ``arrays`` of the stray marks."""
    counts = np.array([len(a) for a in arrays])
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    path = np.concatenate(arrays)
    low = np.minimum.reduceat(path, starts, axis=0)
    high = np.maximum.reduceat(path, starts, axis=0)
    steps = np.hypot(*np.diff(path, axis=0).T) if len(path) > 1 else np.zeros(0)
    inside = np.ones(len(steps), dtype=bool)
    inside[(starts[1:] - 1)] = False  # the jump from one stroke's end to the next's start
    ink = np.add.reduceat(np.r_[np.where(inside, steps, 0.0), 0.0], starts)
    total = float(ink.sum())
    if not np.isfinite(total) or total <= 0:
        return np.zeros(0, dtype=int)
    # The bounding box of all strokes but one, for each one: from the boxes before and after.
    big = np.full((1, 2), np.inf)
    before_low = np.vstack([big, np.minimum.accumulate(low)[:-1]])
    after_low = np.vstack([np.minimum.accumulate(low[::-1])[::-1][1:], big])
    before_high = np.vstack([-big, np.maximum.accumulate(high)[:-1]])
    after_high = np.vstack([np.maximum.accumulate(high[::-1])[::-1][1:], -big])
    rest_low = np.minimum(before_low, after_low)
    rest_high = np.maximum(before_high, after_high)
    size = (rest_high - rest_low).max(axis=1)
    gap = np.maximum(np.maximum(rest_low - high, low - rest_high), 0.0)
    distance = np.hypot(gap[:, 0], gap[:, 1])
    stray = (ink < STRAY_SHARE * total) & (distance > STRAY_GAP * np.maximum(size, 1e-9))
    return np.flatnonzero(stray)


def without_stray_marks(strokes: Sequence) -> list:
    """``strokes`` without their stray marks (the same list's items, in order)."""
    stray = set(stray_marks(strokes))
    return [s for i, s in enumerate(strokes) if i not in stray] if stray else list(strokes)
