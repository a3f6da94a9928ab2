"""The default model's evaluation in parts: the picture, the strokes and their combination.

On the canvas the default model reads a drawing with two readers, the image model and the
stroke reader, combined as the stroke model's file says
(:func:`mnistpad.core.strokes.combination.read_drawing`). On a data set whose drawings have
their strokes (the development writers' pen digits), the Evaluate tab reads it the same way,
so that its figures are those of what the app says, and keeps each part's readings, so that
the learner sees what each contributes. :func:`stroke_readings` reads the strokes (in
chunks, with progress and cancel); :func:`combined` combines them with the picture's
probabilities exactly as ``read_drawing`` does for one drawing. No Qt, no torch here: the
stroke reader brings its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnistpad.core.data.sources import DataSource
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.strokes.combination import Combination

log = logging.getLogger("mnistpad.evaluate")

CHUNK = 500  # drawings per pass of the stroke reader; a cancel takes effect between chunks


class EvaluationCancelled(MnistpadError):
    """The user cancelled an evaluation; nothing was cached
    (:mod:`mnistpad.core.evaluation.evaluate`
    names it too)."""


def strokes_of(source: DataSource, data_dir: Path, labels: np.ndarray) -> list | None:
    """The source's strokes when they line up with its images (the same labels in the same
    order), else None: the pictures are then read alone."""
    if source.strokes is None:
        return None
    drawings, stroke_labels = source.strokes(data_dir)
    if not np.array_equal(np.asarray(stroke_labels), np.asarray(labels)):
        log.warning("%s: the strokes do not line up with the pictures; pictures alone",
                    source.name)
        return None
    return list(drawings)


def stroke_readings(reader, drawings: Sequence[Sequence],
                    on_progress: Callable[[float], None] | None = None,
                    should_stop: Callable[[], bool] | None = None) -> np.ndarray:
    """(N, 10) float64: the stroke reader's probabilities for each drawing's strokes, a row
    of NaN for a drawing with no trajectory (a dot: it is read by its picture alone)."""
    out = np.full((len(drawings), 10), np.nan)
    for start in range(0, len(drawings), CHUNK):
        if should_stop is not None and should_stop():
            raise EvaluationCancelled("Evaluation cancelled.")
        out[start:start + CHUNK] = reader.probabilities_of_drawings(
            drawings[start:start + CHUNK])
        if on_progress is not None:
            on_progress(min(1.0, (start + CHUNK) / len(drawings)))
    return out


def combined(picture: np.ndarray, strokes: np.ndarray, combination: Combination) -> np.ndarray:
    """(N, 10) float32: each drawing's combined reading, or its picture's alone where its
    strokes were not read (a NaN row of ``strokes``), as ``read_drawing`` does."""
    out = np.asarray(picture, dtype=np.float64).copy()
    read = ~np.isnan(strokes).any(axis=1)
    if read.any():
        out[read] = combination.apply(out[read], strokes[read])
    return out.astype(np.float32)


def combination_of(reader) -> Combination:
    """The combination the stroke model's file records (as ``read_drawing`` reads it)."""
    return Combination.from_metadata(reader.info.metadata.get("combination"))


@dataclass(frozen=True)
class EvaluationParts:
    """The parts of a combined evaluation: ``picture`` the image model's own
    :class:`~mnistpad.core.evaluation.evaluate.Evaluation`, ``strokes`` the stroke reader's (N, 10)
    probabilities (NaN rows: not read), the stroke model's name and the combination."""

    picture: object  # an Evaluation (not imported: evaluate imports this module)
    strokes: np.ndarray
    stroke_model: str
    combination: Combination

    @property
    def unread(self) -> int:
        """Drawings whose strokes said nothing (read by the picture alone)."""
        return int(np.isnan(self.strokes).any(axis=1).sum())

    @property
    def strokes_right(self) -> np.ndarray:
        """Which drawings the strokes alone read right (an unread one counts as wrong)."""
        read = ~np.isnan(self.strokes).any(axis=1)
        guesses = np.where(read[:, None], self.strokes, 0.0).argmax(axis=1)
        return read & (guesses == self.picture.labels)

    @property
    def picture_accuracy(self) -> float:
        return self.picture.accuracy

    @property
    def strokes_accuracy(self) -> float:
        return float(self.strokes_right.mean())
