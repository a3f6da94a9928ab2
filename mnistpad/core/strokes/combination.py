"""One reading from two readers: the image model's probabilities and the stroke reader's.

The two make different mistakes (the picture misses 8s and 9s whose strokes say which they
are; the strokes miss digits whose order is unusual but whose picture is plain), so their
combination reads more drawings right than either. How they are combined, a weighted mean of
the probabilities or of the log-probabilities and with which weight, is a
:class:`Combination` chosen by :func:`choose` over cross-validated readings of the training
writers only, and stored in the stroke model's metadata.

:func:`read_drawing` is what the app calls for a drawing: it returns the parts and the
combination as data (:class:`DrawingReading`). A drawing without strokes (an image file, a
picture put on the canvas) or one the eraser has touched (its strokes no longer say what is
on the canvas) is read by the image model alone, and the reading says why.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from mnistpad.core.files.numbers import bad, finite, loads, number
from mnistpad.core.platform.errors import ModelFileError

KEY = "combination"  # the stroke model's metadata key
RULES = ("mean", "log")
WEIGHTS = tuple(round(0.1 * i, 1) for i in range(11))
# Log-probabilities are floored here, so that one reader's certainty cannot veto the other.
LOG_FLOOR = 1e-6

IMAGE_ALONE = "image"
BOTH = "both"
NO_STROKES = "no strokes"  # an image file or a picture: nothing to read strokes from
ERASED = "erased"  # the eraser changed the picture; the strokes no longer describe it
NO_TRAJECTORY = "no trajectory"  # a dot or nothing: the strokes say nothing
NO_READER = "no stroke reader"


@dataclass(frozen=True)
class Combination:
    """``image_weight`` * image + (1 - ``image_weight``) * strokes, of the probabilities
    (``mean``) or of their logs (``log``, then renormalized)."""

    rule: str = "mean"
    image_weight: float = 0.5

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"combination rule must be one of {', '.join(RULES)}")
        if finite(self.image_weight, 0.0, 1.0) is None:
            raise ValueError("combination image_weight must be a number from 0 to 1")

    def apply(self, image: np.ndarray, strokes: np.ndarray) -> np.ndarray:
        """Combined probabilities, same shape as the inputs ((10,) or (N, 10))."""
        image = np.asarray(image, dtype=np.float64)
        strokes = np.asarray(strokes, dtype=np.float64)
        w = self.image_weight
        if self.rule == "mean":
            return w * image + (1.0 - w) * strokes
        logs = (w * np.log(np.maximum(image, LOG_FLOOR))
                + (1.0 - w) * np.log(np.maximum(strokes, LOG_FLOOR)))
        logs -= logs.max(axis=-1, keepdims=True)
        combined = np.exp(logs)
        return combined / combined.sum(axis=-1, keepdims=True)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def parse(cls, text: str | None, source: str) -> Combination:
        """The combination a stroke model's metadata records (the plain average when it
        records none), its weight through the parser of metadata numbers; a bad one is a
        one-line :class:`~mnistpad.core.platform.errors.ModelFileError` naming ``source``."""
        if not text:
            return cls()
        data = loads(text, source, KEY)
        if not isinstance(data, dict) or data.get("rule") not in RULES:
            raise bad(source, KEY, f"its rule is not one of {', '.join(RULES)}")
        return cls(data["rule"], number(data.get("image_weight"), source, KEY, 0.0, 1.0))

    @classmethod
    def from_metadata(cls, text: str | None) -> Combination:
        """As :meth:`parse`, with the plain average for a bad one: reading a file checks its
        combination (:func:`mnistpad.core.files.modelfile.read_info`), and a reader made otherwise
        cannot make reading fail."""
        try:
            return cls.parse(text, "")
        except ModelFileError:
            return cls()


@dataclass(frozen=True)
class DrawingReading:
    """The parts and their combination for one drawing. ``source`` says what was read:
    :data:`BOTH`, or :data:`IMAGE_ALONE` with ``reason`` why the strokes were not."""

    image: np.ndarray | None
    strokes: np.ndarray | None
    combined: np.ndarray | None
    source: str
    reason: str = ""
    combination: Combination | None = None

    @property
    def digit(self) -> int | None:
        return None if self.combined is None else int(np.argmax(self.combined))


def read_drawing(strokes: Sequence | None, image_probabilities: np.ndarray | None,
                 reader=None, combination: Combination | None = None) -> DrawingReading:
    """Combine the image model's probabilities for a drawing with the stroke reader's for its
    ``strokes`` (:class:`~mnistpad.core.strokes.renderer.PenStroke` list, or ``None`` for an image).
    ``reader`` is a :class:`~mnistpad.core.strokes.reader.StrokeReader` (or ``None``);
    ``combination`` defaults to the one its file records."""
    image = None if image_probabilities is None else np.asarray(image_probabilities, np.float64)
    reason = ""
    if not strokes:
        reason = NO_STROKES
    elif any(getattr(s, "erase", False) for s in strokes):
        reason = ERASED
    elif reader is None:
        reason = NO_READER
    stroke_probs = None if reason else reader.probabilities(strokes)
    if not reason and stroke_probs is None:
        reason = NO_TRAJECTORY
    if reason or image is None:
        return DrawingReading(image, stroke_probs, image, IMAGE_ALONE, reason or "no image")
    rule = combination or Combination.from_metadata(reader.info.metadata.get("combination"))
    return DrawingReading(image, stroke_probs, rule.apply(image, stroke_probs), BOTH, "", rule)


@dataclass(frozen=True)
class Candidate:
    """One combination's score on cross-validated readings: errors and mean log-loss."""

    combination: Combination
    errors: int
    log_loss: float


def score(image: np.ndarray, strokes: np.ndarray, labels: np.ndarray) -> list[Candidate]:
    """Every rule and weight of :data:`RULES` x :data:`WEIGHTS` on (N, 10) readings."""
    rows = np.arange(len(labels))
    out = []
    for rule in RULES:
        for weight in WEIGHTS:
            combination = Combination(rule, weight)
            probs = combination.apply(image, strokes)
            errors = int((probs.argmax(axis=1) != labels).sum())
            loss = float(-np.log(np.maximum(probs[rows, labels], 1e-12)).mean())
            out.append(Candidate(combination, errors, loss))
    return out


def choose(image: np.ndarray, strokes: np.ndarray, labels: np.ndarray) -> Candidate:
    """The combination with the fewest errors on these readings, ties broken by log-loss.
    Give it readings that no reader was trained on (cross-validated), never the writers it
    will be scored on."""
    return min(score(image, strokes, labels), key=lambda c: (c.errors, c.log_loss))
