"""A model's recorded figures: one measurement per model, kept in its file's metadata.

Every accuracy mnistpad shows (the window's model list, ``mnistpad models``, the README's
table) is read from here, so one model has one MNIST figure and one drawn-digit figure
wherever it appears, and each says what it was measured on. ``mnistpad eval --record``
measures and writes them (training and personalizing record theirs the same way). Read
from the header alone: no torch, so the window lists models before torch has loaded.

The metadata key ``measurement`` holds a JSON object::

    {"mnist": {"accuracy": 0.9958, "correct": 9958, "count": 10000, "measured_on": "mnist-test"},
     "drawn": {"accuracy": 0.9973, "correct": 1494, "count": 1498,
               "measured_on": "pen-writers-25-30", "renderer": "mnistpad.core.strokes",
               "renderer_version": 2, "data": "sha256:...", "size": "full",
               "read_with": "picture and strokes",
               "parts": {"picture": {"accuracy": 0.988, "correct": 1480},
                         "strokes": {"accuracy": 0.978, "correct": 1465}}},
     "by": "mnistpad eval --record", "when": "2026-11-30T11:00:00+00:00"}

A drawn figure says how the digits were drawn and from what: the stroke renderer's
``RENDERER_VERSION`` and a hash of the pen-digit file. When either no longer matches what
ships (or was not recorded: figures from before it was), the figure is stale
(:func:`stale_reason`) and every view says so instead of showing it as current. A model
that reads the strokes too (the default) records the reading the app gives, picture and
strokes together (``read_with``), with each reader's own figure as its ``parts``.

``test_accuracy`` and ``drawn_accuracy`` are written beside it with the same values, for
files read by older versions.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

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
# The pen digits the drawn figures are measured on (mnistpad.core.data.pendigits.DATA_FILE,
# named here without importing numpy: the window reads figures before numpy has loaded).
PEN_DIGITS_FILE = Path(__file__).resolve().parents[2] / "data" / "pendigits" / (
    "pendigits-train.unipen")
# How a drawn figure's digits were read: the picture alone, or as the app reads a drawing.
READ_PICTURE = "picture"
READ_BOTH = "picture and strokes"
PART_NAMES = ("picture", "strokes")
_DATA_DIGEST = re.compile(r"sha256:[0-9a-f]{16,64}")
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
    """One accuracy: ``correct`` of ``count`` read right, on ``measured_on``. A drawn figure
    also says the renderer version and pen-digit data it was drawn with (None and "" when it
    was recorded before they were), how its digits were read, and, for a combined reading,
    ``parts``: (reader, correct) of each reader alone."""

    accuracy: float
    correct: int
    count: int
    measured_on: str
    renderer_version: int | None = None
    data: str = ""
    read_with: str = READ_PICTURE
    parts: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, accuracy: float, count: int, measured_on: str, read_with: str = READ_PICTURE,
           parts: tuple[tuple[str, int], ...] = ()) -> Figure:
        """From a measured fraction (torch's float32 mean: 9,920 of 10,000 may come back as
        0.99199998), recorded as the exact count and the fraction it makes; a drawn figure
        measured now is drawn by today's renderer from today's pen digits."""
        correct = round(accuracy * count)
        version, data = (None, "")
        if measured_on == DRAWN_WRITERS:
            version, data = current_renderer_version(), current_drawn_data()
        return cls(correct / count, correct, int(count), measured_on, version, data,
                   read_with, tuple(parts))

    def part(self, name: str) -> float | None:
        """The accuracy of one reader alone (``"picture"`` or ``"strokes"``) in a combined
        reading; for a picture-alone figure, its own accuracy as the picture's."""
        if name == READ_PICTURE and self.read_with == READ_PICTURE:
            return self.accuracy
        return next((correct / self.count for part, correct in self.parts if part == name),
                    None)

    def to_dict(self) -> dict:
        row = {"accuracy": self.accuracy, "correct": self.correct, "count": self.count,
               "measured_on": self.measured_on}
        if self.measured_on == DRAWN_WRITERS:
            row.update(renderer=DRAWN_RENDERER, size=DRAWN_SIZE)
            if self.renderer_version is not None:
                row.update(renderer_version=self.renderer_version, data=self.data)
        if self.read_with != READ_PICTURE:
            row["read_with"] = self.read_with
            row["parts"] = {name: {"accuracy": correct / self.count, "correct": correct}
                            for name, correct in self.parts}
        return row


def current_renderer_version() -> int:
    """The stroke renderer's version now (imported on first use: it brings PIL)."""
    from mnistpad.core.strokes.renderer import RENDERER_VERSION

    return RENDERER_VERSION


@functools.lru_cache(maxsize=1)
def current_drawn_data() -> str:
    """The pen digits that ship now, hashed ("" when the file cannot be read: then no
    recorded drawn figure is current)."""
    try:
        return "sha256:" + hashlib.sha256(PEN_DIGITS_FILE.read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def stale_reason(figure: Figure | None) -> str | None:
    """Why a recorded drawn figure no longer says how the digits are read today (drawn by
    another renderer version, or from other pen digits), in English; None when it is
    current (or not a drawn figure)."""
    if figure is None or figure.measured_on != DRAWN_WRITERS:
        return None
    version = current_renderer_version()
    if figure.renderer_version is None:
        return f"measured before the renderer's version was recorded (it is {version} now)"
    if figure.renderer_version != version:
        return (f"measured with renderer version {figure.renderer_version}; it is "
                f"{version} now")
    if not figure.data or figure.data != current_drawn_data():
        return "measured on other pen digits than the ones that ship now"
    return None


def drawn_stale_reason(measurement: Measurement | None, drawn_accuracy: float | None
                       ) -> str | None:
    """:func:`stale_reason` of a model's drawn figure; a bare ``drawn_accuracy`` with no
    recorded measurement (a file from before figures were recorded) is stale too."""
    figure = measurement.drawn if measurement else None
    if figure is None:
        return None if drawn_accuracy is None else "recorded without how it was measured"
    return stale_reason(figure)


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
    drawn = _drawn_stamp(value)
    read = _reading(value, count)
    if drawn is None or read is None:
        return None
    return Figure(accuracy, correct, count, on, *drawn, *read)


def _drawn_stamp(value: dict) -> tuple[int | None, str] | None:
    """(renderer version, data digest) a drawn figure records ((None, "") when it records
    neither); None when they are not valid."""
    if "renderer_version" not in value and "data" not in value:
        return None, ""
    version, data = whole(value.get("renderer_version"), 1, MAX_COUNT), value.get("data")
    if version is None or not isinstance(data, str) or not _DATA_DIGEST.fullmatch(data):
        return None
    return version, data


def _reading(value: dict, count: int) -> tuple[str, tuple] | None:
    """(read_with, parts) a figure records; None when they are not valid."""
    read_with = value.get("read_with", READ_PICTURE)
    if read_with == READ_PICTURE:
        return (READ_PICTURE, ()) if "parts" not in value else None
    parts = value.get("parts")
    if read_with != READ_BOTH or not isinstance(parts, dict) or set(parts) != set(PART_NAMES):
        return None
    read = []
    for name in PART_NAMES:
        part = parts[name] if isinstance(parts[name], dict) else {}
        accuracy = finite(part.get("accuracy"), 0.0, 1.0)
        correct = whole(part.get("correct"), 0, count)
        if accuracy is None or correct is None or abs(accuracy - correct / count) >= 1e-6:
            return None
        read.append((name, correct))
    return read_with, tuple(read)


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
