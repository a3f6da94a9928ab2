"""The leaderboard's ranking and the lecture's marks, without a window."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from mnistpad.core.evaluation.leaderboard import EXERCISE_MARK, highest_mark, leaderboard
from mnistpad.core.models.registry import scan


@pytest.mark.parametrize(("accuracy", "variant"), [
    (None, None), (0.8999, None), (0.90, "softmax"), (0.9449, "softmax"), (0.945, "nn"),
    (0.9799, "xavier"), (0.98, "dropout"), (0.9899, "dropout"), (0.99, "cnn"), (1.0, "cnn"),
])
def test_the_highest_lecture_mark_reached(accuracy, variant):
    mark = highest_mark(accuracy)
    assert (mark.variant if mark else None) == variant


def test_runs_rank_best_first_unscored_last_and_98_is_to_be_passed():
    shipped = scan().models
    runs = [dataclasses.replace(shipped[0], name="exactly", path=Path("exactly"),
                                test_accuracy=EXERCISE_MARK),
            dataclasses.replace(shipped[0], name="unscored", path=Path("u"), test_accuracy=None),
            *shipped]
    board = leaderboard(runs, shipped=[m.path for m in shipped])
    accuracies = [e.test_accuracy for e in board if e.test_accuracy is not None]
    assert accuracies == sorted(accuracies, reverse=True) and board[-1].name == "unscored"
    exactly = next(e for e in board if e.name == "exactly")
    assert exactly.mark.variant == "dropout" and not exactly.past_exercise  # "past" 98%
    assert all(e.shipped for e in board if e.name not in ("exactly", "unscored"))
    assert next(e for e in board if e.name == "deepcnn").past_exercise
