"""The "Optimizers" tab: the lecture's optimizer race on MNIST beside the 2-D playground that
the lecture's slide shows (the same optimizers on a small surface, step by step)."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from mnistpad.ui.app_state import AppState
from mnistpad.ui.jobs import JobRunner
from mnistpad.ui.playground import Playground
from mnistpad.ui.race_panel import RacePanel


class RaceTab(QWidget):
    """The race (above) and the playground (below); a finished race's racers are handed to
    ``on_finished(histories)`` (the Train tab lists them as runs to overlay)."""

    def __init__(self, state: AppState, runner: JobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("raceTab")
        self.race = RacePanel(runner, lambda: state.data_dir)
        self.playground = Playground()
        self.race.modelKept.connect(state.add_file)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.race)
        split.addWidget(self.playground)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    def finished_runs(self) -> list:
        """Copies of the last race's racers as runs (their curves, their names)."""
        return [copy.deepcopy(history) for history in self.race.histories]

    def may_close(self) -> bool:
        return self.race.may_close()

    def hideEvent(self, event) -> None:
        self.playground.pause()  # no animation nobody sees
        super().hideEvent(event)

    def shutdown(self) -> None:
        self.playground.pause()
        self.race.shutdown()
