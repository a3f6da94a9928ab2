"""A drawing's strokes as a fixed-length trajectory, for the stroke reader (numpy, no torch).

The image models see what is on the canvas; the strokes also say in what order and in which
direction the digit was drawn, which tells apart digits whose pictures look alike (an open 4
and a 9, a curled 9 and a 3). :func:`trajectory` turns strokes, as the canvas records them
(:class:`~mnistpad.core.strokes.renderer.PenStroke`) or as plain (N, 2) arrays, into
:data:`POINTS` points spaced evenly along the pen's path, pen-up jumps between strokes
included, with five features per point: position (centred, the longer side scaled to
[-1, 1], aspect kept), the direction of travel (cos, sin) and whether the pen was up.
Spacing by arc length makes a mouse that reports a point every few pixels and a tablet that
reports one every 100 ms look alike, whatever the drawing speed.

Bad input is bounded or refused, never raised on: non-finite points are dropped, a drawing
with more than :data:`MAX_POINTS` points is thinned evenly, coordinates beyond
:data:`MAX_COORDINATE` refuse it, and a drawing without a pen stroke, or whose points all lie
on one spot, has no trajectory (``None``), as a speck has no MNIST image.

:func:`augment` varies recorded strokes the way people's drawings vary (rotation, slant,
aspect, jitter, sampling density and speed); the stroke reader is trained on it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from mnistpad.core.strokes.stray import finite_points, without_stray_marks

POINTS = 48
CHANNELS = 5  # x, y, cos and sin of the direction of travel, pen up
MAX_POINTS = 20_000
MAX_COORDINATE = 1e6
# Points closer than this share of the drawing's size count as one spot: no trajectory.
MIN_SPAN = 1e-6


def pen_point_arrays(strokes: Sequence) -> list[np.ndarray]:
    """The pen strokes' points as finite float64 (N, 2) arrays (eraser strokes and
    non-finite points left out, empty strokes dropped)."""
    arrays = (finite_points(s) for s in strokes if not getattr(s, "erase", False))
    return [a for a in arrays if a is not None]


def _thinned(arrays: list[np.ndarray]) -> list[np.ndarray]:
    """At most about :data:`MAX_POINTS` points in all, every stroke keeping its ends."""
    total = sum(len(a) for a in arrays)
    if total <= MAX_POINTS:
        return arrays
    step = math.ceil(total / MAX_POINTS)
    kept = []
    for array in arrays:
        rows = np.unique(np.r_[np.arange(0, len(array), step), len(array) - 1])
        kept.append(array[rows])
    if len(kept) > MAX_POINTS // 2:  # thousands of dots: keep an even selection of them
        kept = [kept[i] for i in np.linspace(0, len(kept) - 1, MAX_POINTS // 2).astype(int)]
    return kept


def trajectory(strokes: Sequence, points: int = POINTS) -> np.ndarray | None:
    """Features (CHANNELS, points) float32 of a drawing's pen strokes, or ``None`` when there
    is nothing to read (see the module docstring). Stray marks are left out
    (:mod:`mnistpad.core.strokes.stray`), as the image model's reading leaves them out."""
    arrays = _thinned(without_stray_marks(pen_point_arrays(strokes)))
    if not arrays:
        return None
    path = np.concatenate(arrays)
    if np.abs(path).max() > MAX_COORDINATE:
        return None
    low, high = path.min(axis=0), path.max(axis=0)
    span = float((high - low).max())
    if span <= MIN_SPAN * max(1.0, float(np.abs(path).max())):
        return None
    path = (path - (low + high) / 2) / (span / 2)
    # Segment i joins path[i] and path[i + 1]; the one leaving a stroke's last point is a jump.
    ends = np.cumsum([len(a) for a in arrays])[:-1] - 1
    jump = np.zeros(len(path) - 1, dtype=bool)
    jump[ends] = True
    lengths = np.hypot(*np.diff(path, axis=0).T)
    along = np.r_[0.0, np.cumsum(lengths)]
    spots = np.linspace(0.0, along[-1], points)
    x = np.interp(spots, along, path[:, 0])
    y = np.interp(spots, along, path[:, 1])
    if len(jump):
        segment = np.clip(np.searchsorted(along, spots, side="right") - 1, 0, len(jump) - 1)
        pen_up = jump[segment].astype(np.float64)
    else:
        pen_up = np.zeros(points)
    step = np.diff(np.stack([x, y], axis=1), axis=0, append=[[x[-1], y[-1]]])
    step[-1] = step[-2] if points > 1 else 0.0
    norm = np.hypot(step[:, 0], step[:, 1])
    direction = np.divide(step, norm[:, None], out=np.zeros_like(step), where=norm[:, None] > 0)
    features = np.stack([x, y, direction[:, 0], direction[:, 1], pen_up])
    return features.astype(np.float32)


def _smooth_dense(points: np.ndarray, per_segment: int) -> np.ndarray:
    """Catmull-Rom points between recorded ones: a smooth curve sampled densely, as a mouse
    or a fast stylus reports it, where a tablet sampled every 100 ms leaves chords."""
    if len(points) < 3 or per_segment < 2:
        return points
    padded = np.vstack([points[:1], points, points[-1:]])
    p0, p1, p2, p3 = (padded[i:len(padded) - 3 + i, None, :] for i in range(4))
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)[None, :, None]
    curve = 0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                   + (3 * p1 - p0 - 3 * p2 + p3) * t**3)
    return np.vstack([curve.reshape(-1, 2), points[-1:]])


def augment(arrays: Sequence[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """A random variation of a drawing's strokes (y down): rotation up to 15 degrees, slant,
    aspect, jitter, and either denser smooth sampling (a mouse) or sparser (a slow tablet)."""
    angle = math.radians(rng.uniform(-15, 15))
    shear = rng.uniform(-0.3, 0.3)
    aspect = math.exp(rng.uniform(-0.3, 0.3))
    transform = np.array([[math.cos(angle), -math.sin(angle)],
                          [math.sin(angle), math.cos(angle)]]) @ np.array(
        [[math.sqrt(aspect), shear], [0.0, 1.0 / math.sqrt(aspect)]])
    every = np.concatenate(arrays)
    centre = (every.min(axis=0) + every.max(axis=0)) / 2
    size = max(float((every.max(axis=0) - every.min(axis=0)).max()), 1.0)
    density = rng.random()
    jitter = rng.uniform(0.0, 0.015) * size
    out = []
    for points in arrays:
        points = (points - centre) @ transform.T
        if density < 0.5:
            points = _smooth_dense(points, int(rng.integers(2, 8)))
        elif density < 0.7 and len(points) > 4:
            keep = rng.random(len(points)) < rng.uniform(0.5, 0.9)
            keep[[0, -1]] = True
            points = points[keep]
        out.append(points + rng.normal(0.0, jitter, points.shape))
    return out


class TrajectoryReading:
    """What a stroke reader (torch's :class:`~mnistpad.core.strokes.reader.StrokeReader`, or
    numpy's :class:`~mnistpad.core.reading.npreader.NumpyStrokeReader`) reads on top of its own
    ``probabilities_of_features``: one drawing, or many in batches of ``BATCH``. Subclasses
    set ``info`` (the model file's) and ``BATCH``."""

    BATCH = 1000

    @property
    def name(self) -> str:
        return self.info.name

    def probabilities_of_features(self, features: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def probabilities(self, strokes: Sequence) -> np.ndarray | None:
        """The ten probabilities for one drawing's strokes, or ``None`` when it has no
        trajectory (nothing drawn, a dot: see :func:`trajectory`)."""
        features = trajectory(strokes)
        if features is None:
            return None
        return self.probabilities_of_features(features[None])[0]

    def probabilities_of_drawings(self, drawings: Sequence[Sequence]) -> np.ndarray:
        """(N, 10) probabilities for many drawings, a row of NaN for one with no trajectory."""
        out = np.full((len(drawings), 10), np.nan)
        rows, batch = [], []
        for i, strokes in enumerate(drawings):
            features = trajectory(strokes)
            if features is not None:
                rows.append(i)
                batch.append(features)
        for start in range(0, len(batch), self.BATCH):
            chunk = np.stack(batch[start:start + self.BATCH])
            out[rows[start:start + self.BATCH]] = self.probabilities_of_features(chunk)
        return out
