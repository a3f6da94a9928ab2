"""The "Your Net" tab: the lecture's exercise. Design a network (the editor), train it on the
Train tab, and see every run of yours against the lecture's table (the leaderboard)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from mnistpad.ui.lessons.leaderboard import Leaderboard
from mnistpad.ui.lessons.net_editor import NetEditor
from mnistpad.ui.state.app_state import AppState
from mnistpad.ui.state.jobs import JobRunner


class DesignTab(QWidget):
    """The editor above the leaderboard; ``editor.trainingRequested(spec)`` asks the Train
    tab to train a design."""

    def __init__(self, state: AppState, runner: JobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("designTab")
        self.state = state
        self.editor = NetEditor(runner, active_spec=self._active_spec)
        self.leaderboard = Leaderboard(state=state)
        self.leaderboard.runSelected.connect(self.on_run_selected)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.editor)
        split.addWidget(self.leaderboard)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self._training = False
        self._update_measuring()

    def set_training(self, running: bool) -> None:
        """A training run uses the cores: the editor's probe would slow it, and its figure
        would be wrong."""
        self._training = running
        self._update_measuring()

    def _update_measuring(self) -> None:
        """The editor measures each design's epoch time only while the tab is shown and no
        run trains (never in the background at start-up)."""
        self.editor.set_auto_measure(self.isVisible() and not self._training)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._update_measuring()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._update_measuring()

    def _active_spec(self):
        return self.state.active.spec if self.state.active else None

    def on_run_selected(self, path: str) -> None:
        """A run clicked on the leaderboard: its design in the editor, to change it."""
        info = self.state.find(path)
        if info is not None:
            self.editor.start_from(info.spec)

    def shutdown(self) -> None:
        self.editor.shutdown()
