"""The Handwriting menu and what teaching joins together in the window: the Draw tab's
labelling and drill (:mod:`mnistpad.ui.draw.teach`), the Samples tab
(:mod:`mnistpad.ui.samples.panel`), their keys and the menu. The shell composes the two views
here, so that neither imports the other."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QMessageBox

from mnistpad.ui.draw.teach import Teacher, wire_banner


class TeachingHooks(QObject):
    """Teaching in the window: digit keys and the "This is a" row label the drawing, the
    drill's banner and keys, the Samples tab, and the Handwriting menu. It talks to the
    window through its public parts (canvas, tabs, menus, the active model)."""

    def __init__(self, window):
        from mnistpad.ui.samples.panel import SamplesPanel  # built after the first paint

        super().__init__(window)
        self.window = window
        self.state = window.state
        self.teacher = Teacher(window.canvas, self._reading, self)
        window.draw.label_row.labelled.connect(self.teacher.label)
        wire_banner(window.draw.drill_banner, self.teacher)
        keys = [(str(d), lambda d=d: self.teacher.label(d)) for d in range(10)]
        keys += [("Return", self.teacher.accept), ("Enter", self.teacher.accept)]
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), window.draw, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.samples = SamplesPanel(window.runner, self.state)
        self.samples.teachRequested.connect(self.on_teach)
        self.samples.personalModelSaved.connect(self.on_personal_model)
        self.teacher.sampleSaved.connect(self.samples.refresh)
        self.teacher.message.connect(lambda text: window.statusBar().showMessage(text, 6000))
        self.teacher.drillFinished.connect(self.on_drill_finished)
        self.state.languageChanged.connect(self.teacher.retell)
        window.add_tab(self.samples, "Ctrl+4")
        self.menu = QMenu(window)
        self.menu_actions = []
        for slot, keys in ((self.on_teach, "Ctrl+Shift+T"),
                           (self.samples.start_personalizing, "Ctrl+Shift+P")):
            action = QAction(window, shortcut=QKeySequence(keys))
            action.triggered.connect(slot)
            self.menu.addAction(action)
            self.menu_actions.append(action)
        window.menus.add_menu(self.menu)
        self.retranslate()
        window.installEventFilter(self)

    def retranslate(self) -> None:
        """The Handwriting menu's texts (the views keep their own)."""
        self.menu.setTitle(self.tr("Hand&writing"))
        for action, (text, tip) in zip(self.menu_actions, (
                (self.tr("&Teach mnistpad My Handwriting…"),
                 self.tr("Draw each digit a few times when asked")),
                (self.tr("&Personalize the Active Model"),
                 self.tr("Fine-tune a copy of the active model on your samples"))), strict=True):
            action.setText(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def _reading(self) -> tuple[int | None, str]:
        active = self.state.active
        return self.state.digit(), active.name if active else ""

    def on_teach(self) -> None:
        self.window.tabs.setCurrentWidget(self.window.draw)
        self.teacher.start_drill()
        self.window.canvas.setFocus()

    def on_drill_finished(self, saved: int) -> None:
        """Said when the drill ends or is stopped: what it kept, and an offer to personalize
        (nothing to offer when it kept nothing)."""
        if saved == 0:
            self.window.statusBar().showMessage(self.tr("The drill kept no drawings."), 6000)
            return
        kept = ", ".join(f"{digit}: {count}" for digit, count in self.teacher.collected().items())
        name = self.samples.base_name()
        answer = QMessageBox.question(self.window, self.tr("Teaching done"), self.tr(
            "You drew {0} digits ({1}). Personalize {2} on your samples now? It runs in the "
            "background; you can keep drawing.").format(saved, kept, name))
        if answer == QMessageBox.StandardButton.Yes:
            self.window.tabs.setCurrentWidget(self.samples)
            self.samples.start_personalizing()

    def on_personal_model(self, path: str, summary: str) -> None:
        if self.window.add_model(Path(path), activate=True) is not None:
            self.window.statusBar().showMessage(self.tr("{0} is now active: {1}").format(
                Path(path).stem, summary), 15000)
