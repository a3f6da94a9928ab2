"""Real pen-drawn digits: the UCI pen-digits trajectories, drawn as the canvas would draw them.

The file ``mnistpad/data/pendigits/pendigits-train.unipen`` (UNIPEN format, CC BY 4.0, see the
README beside it) holds 7,494 digits written with a stylus by 30 people. The split is by
writer: writers 1-24 may train a model (:data:`TRAINING_WRITERS`), writers 25-30 are the
development set of unseen writers (:data:`DEVELOPMENT_WRITERS`) and are only ever measured.

Every digit becomes MNIST pixels the way a drawing on the canvas does: its trajectory is
scaled into the 280 px canvas with the margin a person leaves (:func:`to_canvas`), stroked
with the canvas pen and normalized (:func:`mnistpad.core.strokes.renderer.digit_from_strokes`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnistpad.core.platform.errors import DataError
from mnistpad.core.strokes.renderer import (
    CANVAS_SIZE,
    DEFAULT_PEN_WIDTH,
    PenStroke,
    digit_from_strokes,
)

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "pendigits" / "pendigits-train.unipen"
TRAINING_WRITERS = tuple(range(1, 25))
DEVELOPMENT_WRITERS = tuple(range(25, 31))
# The digit's longer side as a share of the canvas, for the three drawing sizes measured.
SIZES = {"full": 0.8, "two-thirds": 2 / 3, "third": 1 / 3}


@dataclass(frozen=True)
class PenDigit:
    """One written digit: its label, its writer (1-30) and its strokes as (N, 2) arrays of
    tablet points (x right, y up, as recorded)."""

    label: int
    writer: int
    strokes: tuple[np.ndarray, ...]


def parse_unipen(text: str, source: str = "pen digits") -> list[PenDigit]:
    """The digits of a UNIPEN file of the pen-digits layout (see the module docstring)."""
    digits: list[PenDigit] = []
    label = writer = None
    strokes: list[np.ndarray] = []
    points: list[tuple[int, int]] | None = None

    def finish() -> None:
        if label is not None:
            if not strokes:
                raise DataError(f"{source}: a digit without strokes (writer {writer})")
            digits.append(PenDigit(label, writer, tuple(strokes)))

    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(".SEGMENT"):
            finish()
            label, writer, strokes = None, None, []
        elif line.startswith(".COMMENT"):
            fields = line.split()
            try:
                label, writer = int(fields[1]), int(fields[2])
            except (IndexError, ValueError):
                raise DataError(f"{source}, line {number}: a bad .COMMENT line") from None
            if not (0 <= label <= 9 and 1 <= writer <= 30):
                raise DataError(f"{source}, line {number}: label or writer out of range")
        elif line.startswith(".PEN_DOWN"):
            points = []
        elif line.startswith(".PEN_UP"):
            if points:
                strokes.append(np.asarray(points, dtype=np.float64))
            points = None
        elif points is not None and line.strip():
            try:
                x, y = line.split()
                points.append((int(x), int(y)))
            except ValueError:
                raise DataError(f"{source}, line {number}: not a point: {line.strip()!r}") from None
    finish()
    return digits


@functools.lru_cache(maxsize=1)
def load_pendigits(path: Path = DATA_FILE) -> tuple[PenDigit, ...]:
    """Every digit of the committed file (parsed once per process)."""
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: the pen-drawn digits cannot be read ({exc})") from None
    return tuple(parse_unipen(text, str(path)))


def by_writers(writers: Iterable[int], digits: Iterable[PenDigit] | None = None) -> list[PenDigit]:
    wanted = set(writers)
    return [d for d in (digits if digits is not None else load_pendigits()) if d.writer in wanted]


def to_canvas(digit: PenDigit, size: float = SIZES["full"], *, angle: float = 0.0,
              shear: float = 0.0, aspect: float = 1.0, offset=(0.0, 0.0),
              canvas: int = CANVAS_SIZE) -> list[np.ndarray]:
    """The digit's strokes in canvas pixels (y down): its longer side ``size`` of the canvas,
    centred (moved by ``offset`` pixels), after an optional rotation (``angle`` in degrees),
    horizontal ``shear`` and ``aspect`` (width / height) change, as people's drawings vary."""
    points = np.concatenate(digit.strokes)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    a = math.radians(angle)
    # tablet y points up; the canvas's down
    transform = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]]) @ np.array(
        [[math.sqrt(aspect), shear], [0.0, -1.0 / math.sqrt(aspect)]]
    )
    moved = [(s - centre) @ transform.T for s in digit.strokes]
    allpts = np.concatenate(moved)
    span = float(max(allpts.max(axis=0) - allpts.min(axis=0)))
    scale = size * canvas / max(span, 1.0)
    mid = (allpts.min(axis=0) + allpts.max(axis=0)) / 2
    target = np.array([canvas / 2 + offset[0], canvas / 2 + offset[1]])
    return [(s - mid) * scale + target for s in moved]


def render(digit: PenDigit, size: float = SIZES["full"], pen_width: float = DEFAULT_PEN_WIDTH,
           **transform) -> np.ndarray | None:
    """MNIST pixels of ``digit`` drawn on the canvas (see :func:`to_canvas`)."""
    strokes = [PenStroke(s, pen_width) for s in to_canvas(digit, size, **transform)]
    return digit_from_strokes(strokes)


def render_set(digits: Iterable[PenDigit], size: float = SIZES["full"]
               ) -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 28, 28) float32, labels (N,) int64) of ``digits`` drawn at ``size``."""
    images, labels = [], []
    for digit in digits:
        pixels = render(digit, size)
        if pixels is not None:
            images.append(pixels)
            labels.append(digit.label)
    return np.stack(images).astype(np.float32), np.asarray(labels, dtype=np.int64)


def augmented_copies(digits: Iterable[PenDigit], copies: int, seed: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """``copies`` drawings of each digit, each with its own random size, placement, slant,
    rotation, aspect and pen width, as different people would draw it on the canvas."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for digit in digits:
        for _ in range(copies):
            pixels = render(
                digit,
                size=rng.uniform(0.3, 0.9),
                pen_width=DEFAULT_PEN_WIDTH * rng.uniform(0.7, 1.4),
                angle=rng.uniform(-12, 12),
                shear=rng.uniform(-0.25, 0.25),
                aspect=math.exp(rng.uniform(-0.25, 0.25)),
                offset=rng.uniform(-20, 20, size=2),
            )
            if pixels is not None:
                images.append(pixels)
                labels.append(digit.label)
    return np.stack(images).astype(np.float32), np.asarray(labels, dtype=np.int64)


def _split(images: np.ndarray, labels: np.ndarray):
    import torch

    from mnistpad.core.data.mnist import Split

    return Split(torch.from_numpy(images.reshape(len(images), 784)), torch.from_numpy(labels))


@functools.lru_cache(maxsize=len(SIZES))
def development_split(size: str = "full"):
    """The development writers' digits drawn at one of :data:`SIZES`, as a
    :class:`~mnistpad.core.data.mnist.Split` (drawn once per process and size)."""
    return _split(*development_set(size))


def development_set(size: str = "full") -> tuple[np.ndarray, np.ndarray]:
    """(images, labels) of the development writers' digits drawn at one of :data:`SIZES`:
    from the disk cache when this file and renderer drew them before (see
    :mod:`mnistpad.core.data.drawn_cache`), else drawn now and kept."""
    from mnistpad.core.data.drawn_cache import cached_drawings

    scale = SIZES[size]
    return cached_drawings(DATA_FILE, scale,
                           lambda: render_set(by_writers(DEVELOPMENT_WRITERS), scale),
                           writers=DEVELOPMENT_WRITERS)


def training_split(copies: int, seed: int):
    """The training writers' digits, each drawn ``copies`` times (:func:`augmented_copies`),
    as a :class:`~mnistpad.core.data.mnist.Split`."""
    return _split(*augmented_copies(by_writers(TRAINING_WRITERS), copies, seed))


def describe_pen_training(copies: int) -> str:
    """The pen-digit part of a training set drawn with ``copies`` drawings per digit."""
    count = len(by_writers(TRAINING_WRITERS))
    return (f"pen-drawn digits of writers {TRAINING_WRITERS[0]}-{TRAINING_WRITERS[-1]} "
            f"({count:,} digits, each drawn {'once' if copies == 1 else f'{copies} times'} on the "
            f"canvas)")
