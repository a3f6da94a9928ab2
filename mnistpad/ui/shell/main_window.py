"""The main window composes: it creates the app state, the job runner, the views and the
menus, and connects them. State lives in :class:`~mnistpad.ui.state.app_state.AppState`."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressBar

from mnistpad import __version__
from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.models.registry import Catalog
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.ui.draw.view import DrawView
from mnistpad.ui.i18n.translations import (
    current_language,
    missing_font_warning,
    remembered_language,
    set_language,
)
from mnistpad.ui.shell.file_actions import FileActions
from mnistpad.ui.shell.help_dialogs import show_about, show_shortcuts
from mnistpad.ui.shell.model_picker import ModelPicker, ModelStatus
from mnistpad.ui.shell.settings import app_icon, settings
from mnistpad.ui.shell.window_actions import WindowActions
from mnistpad.ui.state.app_state import AppState
from mnistpad.ui.state.jobs import JobError, JobRunner
from mnistpad.ui.state.remembered import remembered_bytes, remembered_number
from mnistpad.ui.widgets.probabilities import ScrollingTabs

log = logging.getLogger("mnistpad.window")
APP_TITLE = "mnistpad"
# The other views are built after the first paint, or after this long without one (a window
# that is never shown, in a test).
FIRST_PAINT_MS = 200
SCREEN_SHARE = 0.8  # the first window's share of the screen's available area


class MainWindow(QMainWindow):
    """The app's window (see the module doc)."""

    def __init__(self, catalog: Catalog | None = None, store: QSettings | None = None):
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._settings = store or settings()
        set_language(remembered_language(self._settings))
        self.runner = JobRunner(self)
        self.state = AppState(self.runner, self._settings, catalog, parent=self)
        self.state.activeModelChanged.connect(self._on_active_changed)
        self.state.loadFailed.connect(self._on_load_failed)
        self.state.loaderPaused.connect(self._on_loader_paused)
        self.state.modelsLoaded.connect(self._build_views)

        # What the first paint needs is built now; right after it, the torch-free readers
        # load in the background, then the other views (and their imports) are built, then
        # torch and the models load in the background: the window is up at once.
        self.training = self.evaluate = self.samples = self.inside = self.design = None
        self.activations = self.race = None
        self._closed = False
        self.draw = DrawView(self.state)
        self.canvas = self.draw.canvas
        self.picker = ModelPicker(self.state)
        self.picker.picked.connect(self.activate)
        self.tabs = ScrollingTabs(objectName="tabs")
        self.tabs.addTab(self.draw, "")
        self.setCentralWidget(self.tabs)
        self.files = FileActions(self)
        self.menus = WindowActions(self)
        self._tab_actions: list = []
        self._add_tab_action(self.draw, "Ctrl+1")
        self.model_status = ModelStatus(self.state)
        self.statusBar().addPermanentWidget(self.model_status)
        self.statusBar().messageChanged.connect(self.model_status.on_message_changed)
        for signal in (self.canvas.strokeStarted, self.canvas.strokeFinished,
                       self.canvas.contentChanged):
            signal.connect(self._update_edit_actions)
        self._restore_settings()
        self.retranslate()
        self._on_active_changed(self.state.active)
        self.draw.read_canvas()
        self._report_skipped(self.state.catalog.problems)
        self._update_edit_actions()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        QTimer.singleShot(FIRST_PAINT_MS, self._build_the_rest)

    def _build_the_rest(self) -> None:
        if self.training is not None or self._closed:
            return
        # The torch-free readers first, so the first drawing is read at once; the other
        # views are built when they are in (or the load has ended), and torch is loaded
        # after that: beside the views' building it would hold the interpreter.
        self.state.start_loading(pause=True)

    def _on_loader_paused(self) -> None:
        """The torch-free readers are in: what they read goes on screen now, before building
        the views holds this thread for a fifth of a second (the paint would wait for it)."""
        if self.isVisible():
            # its labels' new sizes first, or the paint shows them in their old places
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
            self.repaint()
        self._build_views()

    def _build_views(self) -> None:
        if self.training is not None or self._closed:
            return
        from mnistpad.ui.shell.views import build_views

        build_views(self)
        state = remembered_bytes(self._settings, "window_state")
        if state is not None:
            self.restoreState(state)
        self.state.resume_loading()

    def dragEnterEvent(self, event) -> None:
        self.files.on_drag_enter(event)

    def dropEvent(self, event) -> None:
        self.files.on_drop(event)

    def add_tab(self, view, shortcut: str) -> None:
        """A view as a tab, with View > its name (Ctrl+N) to show it."""
        self.tabs.addTab(view, "")
        self._add_tab_action(view, shortcut)

    def _add_tab_action(self, view, shortcut: str) -> None:
        action = QAction(self, shortcut=QKeySequence(shortcut))
        action.triggered.connect(lambda: self.tabs.setCurrentWidget(view))
        self.menus.add_view_action(action)
        self._tab_actions.append((view, action))
        self.retranslate()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.training is None:
            QTimer.singleShot(0, self._build_the_rest)  # the window is on screen: go on
        return super().event(event)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        titles = {"drawTab": self.tr("&Draw"), "trainingPanel": self.tr("&Train"),
                  "evaluatePanel": self.tr("Ev&aluate"), "samplesPanel": self.tr("&Samples"),
                  "designTab": self.tr("&Your Net"), "activationsPanel": self.tr("Activat&ions"),
                  "raceTab": self.tr("&Optimizers")}
        names = {"trainingPanel": self.tr("Train Tab"), "evaluatePanel": self.tr("Evaluate Tab"),
                 "samplesPanel": self.tr("Samples Tab"), "drawTab": self.tr("Draw Tab"),
                 "designTab": self.tr("Your Net Tab"),
                 "activationsPanel": self.tr("Activations Tab"),
                 "raceTab": self.tr("Optimizers Tab")}
        for index in range(self.tabs.count()):
            name = self.tabs.page(index).objectName()
            self.tabs.setTabText(index, titles.get(name, name))
        for view, action in self._tab_actions:
            action.setText(names.get(view.objectName(), view.objectName()))

    def activate(self, info: ModelInfo, quiet: bool = False) -> bool:
        """Make ``info`` the model that reads the drawing; on failure keep the current one."""
        try:
            self.state.activate(info)
        except ModelFileError as exc:
            log.warning("cannot use %s: %s", info.path, exc)
            if not quiet:
                QMessageBox.warning(self, self.tr("Cannot use this model"), str(exc))
            self.picker.fill()
            return False
        return True

    def add_model(self, path: Path, activate: bool = True) -> ModelInfo | None:
        """List a model file (rescanning the folders); activate it if asked."""
        try:
            info = self.state.add_file(path)
        except ModelFileError as exc:
            QMessageBox.warning(self, self.tr("Cannot open model"), str(exc))
            return None
        if activate and not self.activate(info):
            return None
        return info

    def _on_active_changed(self, info: ModelInfo | None) -> None:
        self.setWindowTitle(f"{APP_TITLE} — {info.name}" if info else APP_TITLE)

    def _on_load_failed(self, error: JobError) -> None:
        """Said where the reading would be (the Draw tab) and in the status bar, until
        another message replaces it."""
        self.statusBar().showMessage(self.tr("The models could not be loaded: {0}").format(
            error.sentence()))

    def _report_skipped(self, problems: list[str]) -> None:
        """Model files that cannot be read are left out of the list, and said so."""
        for problem in problems:
            log.warning("model file skipped: %s", problem)
        if problems:
            self.statusBar().showMessage(
                self.tr("Skipped %n model file(s) that cannot be read: {0}", "",
                        len(problems)).format("; ".join(problems)), 15000)

    def add_progress(self, panel) -> None:
        """A small bar in the status bar that shows ``panel``'s run from every tab."""
        bar = QProgressBar(objectName="statusProgress", maximum=1000, visible=False)
        bar.setFixedWidth(180)
        panel.progress.valueChanged.connect(bar.setValue)
        panel.runningChanged.connect(bar.setVisible)
        self.statusBar().addPermanentWidget(bar)
        self.status_progress = bar

    def on_drawing_requested(self, image) -> None:
        self.canvas.set_picture(image)
        self.tabs.setCurrentWidget(self.draw)

    def on_train(self) -> None:
        self.tabs.setCurrentWidget(self.training)
        self.training.start()

    def on_train_design(self, spec) -> None:
        """The network editor's Train: the Train tab trains the design (its recipe knobs)."""
        self.tabs.setCurrentWidget(self.training)
        self.training.train_design(spec)

    def on_show_code(self) -> None:
        """File > Show as PyTorch Code: the active model as a standalone script."""
        from mnistpad.ui.shell.code_dialog import open_code_dialog

        if self.state.active is not None:
            open_code_dialog(self.state.active.path, self)

    def on_model_trained(self, path: str) -> None:
        self.add_model(Path(path), activate=False)
        self.statusBar().showMessage(self.tr("Saved {0}; pick it in the model list or press "
                                             "'Use result'").format(path), 8000)

    def _update_edit_actions(self) -> None:
        self.menus.undo.setEnabled(self.canvas.can_undo())
        self.menus.redo.setEnabled(self.canvas.can_redo())
        self.menus.clear.setEnabled(not self.canvas.is_blank())

    def _on_tab_changed(self, _index: int) -> None:
        on_draw = self.tabs.page(self.tabs.currentIndex()) is self.draw
        for tool in self.menus.drawing_tools:
            tool.setVisible(on_draw)

    def on_shortcuts(self) -> None:
        show_shortcuts(self, self.menus.menu_actions())

    def on_about(self) -> None:
        show_about(self, __version__)

    def choose_language(self, language: str) -> None:
        """View > Language: every view in ``language`` now, and at the next start."""
        self.state.set_language(language)
        self.menus.language_actions[language].setChecked(True)
        warning = missing_font_warning(current_language())
        if warning:
            self.statusBar().showMessage(warning, 20000)

    def _restore_settings(self) -> None:
        """Every remembered value is checked; a bad one falls back to its default. The first
        window takes most of the screen it opens on."""
        slider = self.menus.pen_slider
        slider.setValue(remembered_number(self._settings, "pen_width", slider.value(),
                                          slider.minimum(), slider.maximum()))
        geometry = remembered_bytes(self._settings, "geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            self.resize(max(800, int(screen.width() * SCREEN_SHARE)),
                        max(600, int(screen.height() * SCREEN_SHARE)))
        warning = missing_font_warning(current_language())
        if warning:
            self.statusBar().showMessage(warning, 20000)

    def closeEvent(self, event) -> None:
        views = [v for v in (self.training, self.samples, self.race) if v is not None]
        if not all(view.may_close() for view in views):  # the user stays
            event.ignore()
            return
        self._closed = True
        self._settings.setValue("pen_width", self.menus.pen_slider.value())
        self._settings.setValue("geometry", self.saveGeometry())
        if self.training is not None:  # before the first paint there is no state to keep
            self._settings.setValue("window_state", self.saveState())
        self._settings.sync()
        self.state.shutdown()
        for view in (self.training, self.evaluate, self.samples, self.inside, self.design,
                     self.activations, self.race):
            if view is not None and hasattr(view, "shutdown"):
                view.shutdown()
        self.runner.shutdown()
        super().closeEvent(event)
