"""Strokes to ink, without Qt: the canvas's pen, drawn in numpy and Pillow.

The canvas paints with QPainter: a round pen (round caps and joins), antialiased, white on a
black greyscale buffer, and the eraser paints black. :func:`render_strokes` draws the same
strokes into the same ink, so that anything that is not a live canvas (recorded pen-digit
trajectories, the benchmarks, training data) goes through exactly what a person's drawing
goes through.

:func:`digit_from_strokes` is how a drawing becomes MNIST pixels. It strokes the drawing again
with a pen as wide, relative to the drawing's size, as the default pen is to a digit of
natural size, and then normalizes that ink (:func:`mnistpad.core.data.preprocess.normalize_digit`).
MNIST's strokes are about as thick whatever size the writer wrote at, since every digit was
scaled into the same 20x20 box; a digit drawn small with a pen of fixed width would otherwise
come out with strokes two or three times MNIST's thickness, which models misread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from mnistpad.core.data.preprocess import INK_THRESHOLD, MIN_EXTENT, normalize_digit
from mnistpad.core.platform import lazy
from mnistpad.core.strokes.stray import without_stray_marks

np = lazy.module("numpy")  # imported on first use, after the window is painted

CANVAS_SIZE = 280
# Raise it whenever the drawing of strokes changes what it draws: drawings cached on disk
# (the development writers' digits, see mnistpad.core.data.drawn_cache) are keyed by it.
RENDERER_VERSION = 2  # 2: stray marks left out (mnistpad.core.strokes.stray)
DEFAULT_PEN_WIDTH = 24.0
# A digit whose points span this many canvas pixels (its longer side) is read with the pen
# exactly as drawn; a smaller or larger one with a pen scaled in proportion. With 175 px the
# default 24 px pen gives normalized strokes as thick as MNIST's: the training writers' pen
# digits come out with a mean pixel value of 0.128 (MNIST: 0.1307). The MNIST-only models
# read those writers equally well (within 0.3 points) for any value from 150 to 200.
REFERENCE_EXTENT = 175.0
# The drawing is stroked again at this size (its points' longer side, in pixels) before
# normalization: five times the 20 px box, so the box filter has plenty of pixels to average.
WORKING_EXTENT = 100.0
# Antialiasing by supersampling: each pixel is the mean of SUPERSAMPLE x SUPERSAMPLE samples.
SUPERSAMPLE = 4


@dataclass(frozen=True)
class PenStroke:
    """One stroke: ``points`` (N, 2) as (x, y) in canvas pixels (y down, pixel i spans
    [i, i + 1)), the pen ``width`` in the same pixels, and whether it is the eraser."""

    points: np.ndarray
    width: float
    erase: bool = False

    @classmethod
    def of(cls, points, width: float = DEFAULT_PEN_WIDTH, erase: bool = False) -> PenStroke:
        array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        if len(array) == 0:
            raise ValueError("a stroke needs at least one point")
        return cls(array, float(width), erase)


def _coverage(stroke: PenStroke, size: tuple[int, int], offset: np.ndarray,
              scale: float) -> np.ndarray:
    """How much of each pixel the stroke covers, in [0, 1], shape (height, width)."""
    s = SUPERSAMPLE
    height, width = size
    mask = Image.new("L", (width * s, height * s), 0)
    draw = ImageDraw.Draw(mask)
    # Pillow samples pixel (i, j) at its corner; shifting by half a fine pixel samples the
    # centres of the s x s sub-pixels of each coarse pixel.
    pts = (stroke.points * scale + offset) * s - 0.5
    radius = stroke.width * scale * s / 2.0
    # The segments' quadrilaterals and the points' discs, computed for all at once.
    a, b = pts[:-1], pts[1:]
    d = b - a
    length = np.hypot(d[:, 0], d[:, 1])
    moving = length != 0
    a, b, d, length = a[moving], b[moving], d[moving], length[moving]
    normal = np.stack([-d[:, 1] / length * radius, d[:, 0] / length * radius], axis=1)
    quads = np.concatenate([a + normal, b + normal, b - normal, a - normal], axis=1)
    for quad in quads.tolist():  # x0, y0, x1, y1, ... of each
        draw.polygon(quad, fill=255)
    for box in np.concatenate([pts - radius, pts + radius], axis=1).tolist():
        draw.ellipse(box, fill=255)  # round caps and joins
    # Summed in integers (exact: 16 samples of 255 fit a uint16, so the same as the float
    # mean), as whole rows and then whole column strides added one to another: several
    # times faster than numpy's reductions over an axis of four.
    rows = np.asarray(mask).reshape(height, s, width * s)
    fine = rows[:, 0].astype(np.uint16)
    for k in range(1, s):
        fine += rows[:, k]
    coarse = fine[:, 0::s].copy()
    for k in range(1, s):
        coarse += fine[:, k::s]
    return coarse.astype(np.float32) / np.float32(s * s) / 255.0


def render_strokes(strokes: Sequence[PenStroke], size: int = CANVAS_SIZE, *,
                   scale: float = 1.0, offset=(0.0, 0.0),
                   shape: tuple[int, int] | None = None) -> np.ndarray:
    """The ink the canvas buffer holds after ``strokes``: float32 in [0, 1], (size, size).

    ``scale`` and ``offset`` map canvas pixels to the output's (point * scale + offset, the
    pen width scaled too); ``shape`` (height, width) overrides the square ``size``.
    """
    height, width = shape or (size, size)
    ink = np.zeros((height, width), dtype=np.float32)
    off = np.asarray(offset, dtype=np.float64)
    for stroke in strokes:
        cover = _coverage(stroke, (height, width), off, scale)
        if stroke.erase:
            ink *= 1.0 - cover
        else:
            ink += cover * (1.0 - ink)
    # The canvas buffer holds 8-bit grey levels.
    return np.round(ink * 255.0) / 255.0


def extent(strokes: Sequence[PenStroke]) -> tuple[np.ndarray, np.ndarray]:
    """Bounding box (min x/y, max x/y) of the pen strokes' points (the eraser's excluded)."""
    points = np.concatenate([s.points for s in strokes if not s.erase] or [np.zeros((1, 2))])
    return points.min(axis=0), points.max(axis=0)


@dataclass(frozen=True)
class ReadingFrame:
    """Where :func:`digit_from_strokes` draws a drawing again: canvas points times ``scale``
    plus ``offset``, pens times ``pen_scale``, on a square of ``side`` pixels."""

    scale: float
    pen_scale: float
    offset: tuple[float, float]
    side: int


def reading_frame(strokes: Sequence[PenStroke], canvas_size: int = CANVAS_SIZE,
                  ink: np.ndarray | None = None) -> ReadingFrame | None:
    """The frame a drawing is read in (see :func:`digit_from_strokes`), or ``None`` when it
    is nothing but a speck."""
    pen = [s for s in strokes if not s.erase]
    if not pen:
        return None
    low, high = extent(strokes)
    span = float(max(high - low))
    if ink is None:  # the ink's extent: the points' and the pen's
        ink_span = span + max(s.width for s in pen)
    else:
        rows = np.flatnonzero((ink > INK_THRESHOLD).any(axis=1))
        cols = np.flatnonzero((ink > INK_THRESHOLD).any(axis=0))
        if rows.size == 0:
            return None
        ink_span = max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1
    if ink_span < MIN_EXTENT * canvas_size:
        return None
    span = max(span, 1.0)  # points all on one spot (a dot with a wide pen): keep scales finite
    scale = WORKING_EXTENT / span
    pen_scale = span / REFERENCE_EXTENT  # the pen, relative to the drawing's size
    widest = max(s.width for s in strokes) * pen_scale * scale
    margin = widest / 2 + 2
    offset = margin - low * scale
    return ReadingFrame(scale, pen_scale, (float(offset[0]), float(offset[1])),
                        int(np.ceil(WORKING_EXTENT + 2 * margin)))


def read_strokes(strokes: Sequence[PenStroke], ink: np.ndarray | None = None
                 ) -> tuple[Sequence[PenStroke], np.ndarray | None]:
    """The strokes a drawing is read from: all but its stray marks
    (:mod:`mnistpad.core.strokes.stray`). When marks are left out, the canvas's ``ink`` no longer
    matches the strokes read, so ``None`` comes back in its place (the points' extent and the
    pen's width stand for the ink's)."""
    kept = without_stray_marks(strokes)
    return (strokes, ink) if len(kept) == len(strokes) else (kept, None)


def add_stroke(work: np.ndarray, stroke: PenStroke, frame: ReadingFrame) -> None:
    """Draw one stroke onto ``work`` (float32 ink in [0, 1], unrounded) in ``frame``, exactly
    as :func:`render_strokes` draws each stroke."""
    scaled = PenStroke(stroke.points, stroke.width * frame.pen_scale, stroke.erase)
    cover = _coverage(scaled, (frame.side, frame.side), np.asarray(frame.offset, np.float64),
                      frame.scale)
    if stroke.erase:
        work *= 1.0 - cover
    else:
        work += cover * (1.0 - work)


def read_work(work: np.ndarray) -> np.ndarray | None:
    """MNIST pixels from the ink of :func:`add_stroke` (8-bit grey levels, as rendered)."""
    return normalize_digit(np.round(work * 255.0) / 255.0)


def digit_from_strokes(strokes: Sequence[PenStroke], canvas_size: int = CANVAS_SIZE,
                       ink: np.ndarray | None = None) -> np.ndarray | None:
    """MNIST pixels (28x28 float32) for a drawing given as strokes on a canvas of
    ``canvas_size`` pixels, or ``None`` if nothing but a speck is drawn.

    The strokes are drawn again with every pen width scaled by the drawing's size relative
    to :data:`REFERENCE_EXTENT` (see the module docstring), at :data:`WORKING_EXTENT`, and
    normalized. A drawing whose ink on the canvas (``ink``; if not given, the points' extent
    plus the pen's width) spans less than a speck's extent is nothing, as in
    :func:`normalize_digit`. :class:`mnistpad.core.reading.drawing_reader.DrawingReader` gives the
    same pixels for a drawing that grows, in time that does not grow with it. Stray marks
    are left out (:func:`read_strokes`).
    """
    strokes, ink = read_strokes(strokes, ink)
    frame = reading_frame(strokes, canvas_size, ink)
    if frame is None:
        return None
    work = np.zeros((frame.side, frame.side), dtype=np.float32)
    for stroke in strokes:
        add_stroke(work, stroke, frame)
    return read_work(work)
