"""The "Optimizers" tab: the lecture's optimizer race on MNIST beside the 2-D playground that
the lecture's slide shows (the same optimizers on a small surface, step by step)."""

from __future__ import annotations

import copy

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from mnistpad.ui.lessons.playground import Playground
from mnistpad.ui.lessons.race_panel import RacePanel
from mnistpad.ui.state.app_state import AppState
from mnistpad.ui.state.jobs import JobRunner


class RaceTab(QWidget):
    """The race and the playground, each on a page of its own; a finished race's racers are
    offered to the Train tab by :meth:`finished_runs` (it lists them as runs to overlay)."""

    def __init__(self, state: AppState, runner: JobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("raceTab")
        self.race = RacePanel(runner, lambda: state.data_dir)
        self.playground = Playground()
        self.race.modelKept.connect(state.add_file)
        self.pages = QTabWidget(objectName="racePages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.race, "")
        self.pages.addTab(self.playground, "")
        self.pages.currentChanged.connect(lambda _: self.playground.pause())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)
        self.retranslate()

    def retranslate(self) -> None:
        self.pages.setTabText(0, self.tr("Race on MNIST"))
        self.pages.setTabText(1, self.tr("2-D playground"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

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
