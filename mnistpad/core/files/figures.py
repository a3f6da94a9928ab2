"""A model's recorded figures: one measurement per model, kept in its file's metadata.

Every accuracy mnistpad shows (the window's model list, ``mnistpad models``, the README's
table) is read from here, so one model has one MNIST figure and one drawn-digit figure
wherever it appears, and each says what it was measured on. ``mnistpad eval --record``
measures and writes them (training and personalizing record theirs the same way). Read
from the header alone: no torch, so the window lists models before torch has loaded.

The metadata key ``measurement`` holds a JSON object::

    {"mnist": {"accuracy": 0.9958, "correct": 9958, "count": 10000, "measured_on": "mnist-test"},
     "drawn": {"accuracy": 0.9873, "correct": 1479, "count": 1498,
               "measured_on": "pen-writers-25-30", "renderer": "mnistpad.core.strokes",
               "size": "full"},
     "by": "mnistpad eval --record", "when": "2026-11-30T11:00:00+00:00"}

``test_accuracy`` and ``drawn_accuracy`` are written beside it with the same values, for
files read by older versions.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import asdict, dataclass

from mnistpad.core.files.numbers import finite, whole

# What an MNIST figure was measured on.
MNIST_TEST = "mnist-test"  # MNIST's full test set, 10,000 digits
MNIST_SHIPPED = "mnist-small"  # the 1,000 MNIST test digits that ship in the package
MNIST_PART = "mnist-test-part"  # fewer digits read from an MNIST folder (a cut or a fixture)
# What a drawn-digit figure was measured on: the pen digits of the six development writers,
# never trained on, drawn at full size by mnistpad's Qt-free stroke renderer (the canvas's ink).
DRAWN_WRITERS = "pen-writers-25-30"
# Recorded in model files as it is: the renderer's name when the first figures were recorded
# (its module is mnistpad.core.strokes.renderer now); the files carry this exact string.
DRAWN_RENDERER = "mnistpad.core.strokes"
DRAWN_SIZE = "full"
MEASURED_ON = (MNIST_TEST, MNIST_SHIPPED, MNIST_PART, DRAWN_WRITERS)
MNIST_TEST_SIZE = 10_000
# The most digits a recorded figure may count: far more than any data set mnistpad reads.
MAX_COUNT = 1_000_000_000

KEY = "measurement"
BY_EVAL = "mnistpad eval --record"
BY_TRAINING = "training"
BY_PERSONALIZING = "personalizing"


@dataclass(frozen=True)
class Figure:
    """One accuracy: ``correct`` of ``count`` read right, on ``measured_on``."""

    accuracy: float
    correct: int
    count: int
    measured_on: str

    @classmethod
    def of(cls, accuracy: float, count: int, measured_on: str) -> Figure:
        """From a measured fraction (torch's float32 mean: 9,920 of 10,000 may come back as
        0.99199998), recorded as the exact count and the fraction it makes."""
        correct = round(accuracy * count)
        return cls(correct / count, correct, int(count), measured_on)

    def to_dict(self) -> dict:
        row = asdict(self)
        if self.measured_on == DRAWN_WRITERS:
            row.update(renderer=DRAWN_RENDERER, size=DRAWN_SIZE)
        return row


@dataclass(frozen=True)
class Measurement:
    """A model's recorded figures (either may be missing: not measured) and who wrote them."""

    mnist: Figure | None = None
    drawn: Figure | None = None
    by: str = ""
    when: str = ""

    def metadata(self) -> dict[str, str]:
        """The metadata strings that record this measurement."""
        body = {"by": self.by,
                "when": self.when or _dt.datetime.now(_dt.timezone.utc).isoformat(
                    timespec="seconds")}
        for name in ("mnist", "drawn"):
            figure = getattr(self, name)
            if figure is not None:
                body[name] = figure.to_dict()
        return {
            KEY: json.dumps(body, allow_nan=False),
            "test_accuracy": _accuracy_text(self.mnist),
            "drawn_accuracy": _accuracy_text(self.drawn),
        }


def mnist_measured_on(count: int, shipped: bool = False) -> str:
    """What an MNIST figure over ``count`` test digits is measured on."""
    if shipped:
        return MNIST_SHIPPED
    return MNIST_TEST if count == MNIST_TEST_SIZE else MNIST_PART


def _accuracy_text(figure: Figure | None) -> str:
    return "" if figure is None else f"{figure.accuracy:.6f}"


def _figure(value) -> Figure | None:
    """A recorded figure, or None when it is not a valid one: every number through the one
    parser of metadata numbers (a count of 10^400 or an accuracy of 1e400 is no figure)."""
    if not isinstance(value, dict):
        return None
    accuracy = finite(value.get("accuracy"), 0.0, 1.0)
    count = whole(value.get("count"), 1, MAX_COUNT)
    correct = whole(value.get("correct"), 0, count or 0)
    on = value.get("measured_on")
    if None in (accuracy, count, correct) or on not in MEASURED_ON \
            or abs(accuracy - correct / count) >= 1e-6:
        return None
    return Figure(accuracy, correct, count, on)


def from_metadata(meta: dict[str, str]) -> Measurement | None:
    """The recorded measurement, or None when the file has none; ValueError when it is not
    a valid one (the caller names the file)."""
    text = meta.get(KEY)
    if not text:
        return None
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise ValueError(KEY) from None
    if not isinstance(body, dict):
        raise ValueError(KEY)
    figures = {}
    for name in ("mnist", "drawn"):
        figures[name] = _figure(body.get(name))
        if body.get(name) is not None and figures[name] is None:
            raise ValueError(KEY)
    by, when = body.get("by", ""), body.get("when", "")
    if not (isinstance(by, str) and isinstance(when, str) and len(by) + len(when) < 200):
        raise ValueError(KEY)
    return Measurement(figures["mnist"], figures["drawn"], by, when)


def from_training(result) -> Measurement:
    """The figures a training run (:class:`~mnistpad.core.training.train.TrainResult`) measured
    after
    its last epoch: on its test split, and on the development writers' drawn digits."""
    mnist = drawn = None
    if result.test_accuracy is not None and result.test_count:
        mnist = Figure.of(result.test_accuracy, result.test_count,
                          mnist_measured_on(result.test_count))
    if result.drawn_accuracy is not None:
        from mnistpad.core.data.pendigits import development_split

        # the digits the accuracy was measured on (drawn once per process): counting them in
        # the parsed pen-digit file would parse its 3.6 MB again, holding the GIL against the
        # window's thread as a run ends
        drawn = Figure.of(result.drawn_accuracy, len(development_split()),
                          DRAWN_WRITERS)
    return Measurement(mnist, drawn, BY_TRAINING)
