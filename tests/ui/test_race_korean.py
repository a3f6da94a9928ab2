"""The race panel and the playground in Korean: built from the .ts as it stands (the shipped
.qm is rebuilt at merge), every text they show is Korean but the lecture's kept terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from mnistpad.ui.lessons.playground import Playground
from mnistpad.ui.lessons.race_panel import RacePanel
from mnistpad.ui.state.jobs import JobRunner

from .conftest import MNIST_FIXTURE
from .test_korean import _left_in_english

TS = Path(__file__).resolve().parents[2] / "mnistpad" / "ui" / "i18n" / "mnistpad_ko.ts"


@pytest.fixture
def korean(korean_from_ts):
    """Call it to switch to Korean; English again after the test."""
    return korean_from_ts


def test_the_race_panel_switches_to_korean_live(qtbot, korean, tmp_path):
    panel = RacePanel(JobRunner(), lambda: MNIST_FIXTURE, lambda: tmp_path)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.start_button.text() == "Race"
    korean()
    qtbot.waitUntil(lambda: panel.start_button.text() == "경주")
    assert _left_in_english(panel) == []


def test_the_playground_speaks_korean(qtbot, korean):
    korean()
    view = Playground(steps=20)
    qtbot.addWidget(view)
    view.show()
    view.step_once()
    assert view.step_button.text() == "한 단계"
    left = [(where, text) for where, text in _left_in_english(view)
            if text != "긴 골짜기 (Rosenbrock)"]  # a mathematician's name
    assert left == []
