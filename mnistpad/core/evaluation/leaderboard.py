"""The exercise's leaderboard: every run saved, its MNIST test accuracy against the lecture.

The lecture closes Lab 10 with "see whether you can push past 98%": its table goes from the
softmax classifier's 90% through the ReLU net's 94.5%, Xavier's 97.8% and dropout's 98% to
the CNNs' 99% (Lab 11). Each saved model is one run; this ranks them and says which of the
lecture's marks each one reached. Numbers and names only: the window words them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.models.specs import VariantSpec


@dataclass(frozen=True)
class Mark:
    accuracy: float
    lab: str
    variant: str


LECTURE_MARKS = (
    Mark(0.90, "10-1", "softmax"),
    Mark(0.945, "10-2", "nn"),
    Mark(0.978, "10-3", "xavier"),
    Mark(0.98, "10-5", "dropout"),
    Mark(0.99, "11", "cnn"),
)
EXERCISE_MARK = 0.98  # "push past 98%"


@dataclass(frozen=True)
class Entry:
    """One run: its model file's figures, and the highest lecture mark its accuracy reached
    (None: below 90%, or not scored)."""

    name: str
    path: Path
    spec: VariantSpec
    parameters: int
    epochs: int
    test_accuracy: float | None
    mark: Mark | None
    shipped: bool = False

    @property
    def past_exercise(self) -> bool:
        return self.test_accuracy is not None and self.test_accuracy > EXERCISE_MARK


def highest_mark(accuracy: float | None) -> Mark | None:
    if accuracy is None:
        return None
    reached = [m for m in LECTURE_MARKS if accuracy >= m.accuracy]
    return reached[-1] if reached else None


def _epochs(info: ModelInfo) -> int:
    text = info.metadata.get("epochs_trained", "")
    return int(text) if text.isdigit() else len(info.cost_history) or info.spec.epochs


def leaderboard(models: Iterable[ModelInfo], shipped: Iterable[Path] = ()) -> list[Entry]:
    """The runs ranked by test accuracy, best first; runs not scored come last, by name."""
    shipped = set(shipped)
    entries = [Entry(info.name, info.path, info.spec, info.parameters, _epochs(info),
                     info.test_accuracy,
                     highest_mark(info.test_accuracy), info.path in shipped)
               for info in models]
    return sorted(entries, key=lambda e: (e.test_accuracy is None, -(e.test_accuracy or 0),
                                          e.name))
