"""The main window: draw a digit, see what the chosen variant (and every other) reads."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSlider,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mnistpad import __version__
from mnistpad.core import lazy
from mnistpad.core.errors import MnistpadError, ModelFileError
from mnistpad.core.modelfile import ModelInfo
from mnistpad.core.paths import assets_dir, user_dir
from mnistpad.core.registry import Catalog, default_model, scan
from mnistpad.ui.app import settle_heap
from mnistpad.ui.canvas import MAX_PEN_WIDTH, MIN_PEN_WIDTH, DrawingCanvas, SquareBox
from mnistpad.ui.file_actions import FileActions
from mnistpad.ui.help_dialogs import show_about, show_shortcuts
from mnistpad.ui.model_loader import load_models_job
from mnistpad.ui.model_text import describe, explain
from mnistpad.ui.reading_panel import ReadingPanel
from mnistpad.ui.remembered import remembered_bytes, remembered_number, remembered_text
from mnistpad.ui.teach import DrillBanner, LabelRow
from mnistpad.ui.translations import (
    add_language_menu,
    current_language,
    missing_font_warning,
    remembered_language,
    set_language,
    switch_language,
)
from mnistpad.ui.widgets import ScrollingTabs
from mnistpad.ui.worker import JobRun, serial_gui_thread

np = lazy.module("numpy")  # imported on first use, after the window is painted

if TYPE_CHECKING:
    from mnistpad.core.classify import Classifier

APP_TITLE = "mnistpad"
DROPOUT_SAMPLES = 5
LIVE_INTERVAL_MS = 60
# The other views are built after the first paint, or after this long without one (a window
# that is never shown, in a test).
FIRST_PAINT_MS = 200


def settings() -> QSettings:
    return QSettings(str(user_dir() / "settings.ini"), QSettings.Format.IniFormat)


def app_icon() -> QIcon:
    return QIcon(str(assets_dir() / "icon.png"))


class MainWindow(FileActions, QMainWindow):
    """The app's window. ``classified`` carries the digit read (-1 for none)."""

    classified = Signal(int)
    modelActivated = Signal(object)  # the ModelInfo now reading the drawing
    modelsLoaded = Signal()  # every saved model has been loaded in the background

    def __init__(self, catalog: Catalog | None = None):
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._settings = settings()
        set_language(remembered_language(self._settings))
        self._catalog = catalog or scan()
        self._classifiers: dict[Path, Classifier] = {}
        self._unusable: dict[Path, str] = {}  # files that failed to load: why, not retried
        self._extra: list[ModelInfo] = []
        self.classifier: Classifier | None = None
        self.models_ready = False  # torch and the models load after the window is shown
        self._loader: JobRun | None = None
        self._wanted: list[Path] = []  # the models to activate once loaded, first first
        self.pixels: np.ndarray | None = None
        self.probabilities: np.ndarray | None = None

        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_INTERVAL_MS)
        self._live_timer.timeout.connect(self.on_live_tick)

        # What the first paint needs is built now; the other views (and their imports) right
        # after it, then the models load in the background: the window is up at once.
        self.training = self.evaluate = self.samples = self.inside = None
        self._build_widgets()
        self._build_actions()
        self._populate_selector()
        self._restore_settings()
        self._select_initial_model()
        self.refresh()
        self._report_skipped(self._catalog.problems)
        self._warn_missing_font()
        self._update_edit_actions()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        QTimer.singleShot(FIRST_PAINT_MS, self._build_the_rest)

    def _build_the_rest(self) -> None:
        if self.training is not None:
            return
        self._build_training_dock()
        self._build_evaluate_tab()
        self._build_teaching()
        self._build_inside_panel()
        state = remembered_bytes(self._settings, "window_state")
        if state is not None:
            self.restoreState(state)
        self._start_loading()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.training is None:
            QTimer.singleShot(0, self._build_the_rest)  # the window is on screen: go on
        return super().event(event)

    # ------------------------------------------------------------------ construction

    def _build_widgets(self) -> None:
        self.canvas = DrawingCanvas()
        self.canvas.strokeMoved.connect(self.on_stroke_moved)
        self.canvas.strokeFinished.connect(self.on_stroke_finished)
        self.canvas.contentChanged.connect(self.on_stroke_finished)
        for signal in (self.canvas.strokeStarted, self.canvas.strokeFinished,
                       self.canvas.contentChanged):
            signal.connect(self._update_edit_actions)

        self.model_selector = QComboBox()
        self.model_selector.setObjectName("modelSelector")
        self.model_selector.setToolTip(
            self.tr("The model that reads your drawing (lab, MNIST accuracy, accuracy on real "
                    "drawn digits)"))
        self.model_selector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model_selector.currentIndexChanged.connect(self.on_model_selected)

        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setObjectName("penWidth")
        self.pen_slider.setRange(MIN_PEN_WIDTH, MAX_PEN_WIDTH)
        self.pen_slider.setValue(int(self.canvas.pen_width))
        self.pen_slider.setFixedWidth(120)
        self.pen_slider.setToolTip(
            self.tr("Brush width (the default matches MNIST's stroke thickness)"))
        self.pen_slider.valueChanged.connect(self.canvas.set_pen_width)

        self.reading = ReadingPanel()
        self.reading.modelClicked.connect(self.on_model_clicked)
        # the panel's widgets, by the names the rest of the window (and its tests) use
        self.prediction, self.verdict = self.reading.prediction, self.reading.verdict
        self.bars, self.preview = self.reading.bars, self.reading.preview
        self.dropout_readings = self.reading.dropout_readings
        self.comparison = self.reading.comparison

        self.label_row = LabelRow()
        self.drill_banner = DrillBanner()
        drawing = QWidget()
        left = QVBoxLayout(drawing)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(SquareBox(self.canvas), 1)
        left.addWidget(self.label_row)
        splitter = QSplitter()
        splitter.addWidget(drawing)
        splitter.addWidget(self.reading)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.draw_tab = QWidget(objectName="drawTab")
        tab = QVBoxLayout(self.draw_tab)
        tab.addWidget(self.drill_banner)
        tab.addWidget(splitter, 1)
        self.tabs = ScrollingTabs(objectName="tabs")
        self.tabs.addTab(self.draw_tab, self.tr("&Draw"))
        self.setCentralWidget(self.tabs)

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(shortcut)
        action.setToolTip(tip or text.replace("&", ""))
        action.setStatusTip(tip or text.replace("&", ""))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        K = QKeySequence
        self.open_image_action = self._action(self.tr("&Open Image…"), self.on_open_image,
                                              K.StandardKey.Open,
                                              self.tr("Classify a digit from an image file"))
        self.open_model_action = self._action(self.tr("Open &Model…"), self.on_open_model,
                                              K("Ctrl+Shift+O"),
                                              self.tr("Load a .safetensors model file"))
        self.save_action = self._action(self.tr("&Save Drawing…"), self.on_save_drawing,
                                        K.StandardKey.Save,
                                        self.tr("Save the drawing as a PNG image"))
        quit_action = self._action(self.tr("&Quit"), self.close, K.StandardKey.Quit)
        self.undo_action = self._action(self.tr("&Undo"), self.canvas.undo, K.StandardKey.Undo,
                                        self.tr("Undo the last stroke (Ctrl+Z)"))
        self.redo_action = self._action(self.tr("&Redo"), self.canvas.redo,
                                        [K("Ctrl+Shift+Z"), K("Ctrl+Y")],
                                        self.tr("Redo the stroke undone last (Ctrl+Shift+Z)"))
        self.clear_action = self._action(self.tr("&Clear"), self.canvas.clear,
                                         [K(Qt.Key.Key_Escape), K(Qt.Key.Key_Delete)],
                                         self.tr("Clear the canvas (Esc or Delete)"))
        self.eraser_action = self._action(self.tr("&Eraser"), self.canvas.set_erasing, K("E"),
                                          self.tr("Erase instead of drawing (E)"))
        self.eraser_action.setCheckable(True)
        self.thicker_action = self._action(self.tr("Thicker Brush"), lambda: self._nudge_pen(2),
                                           K("]"))
        self.thinner_action = self._action(self.tr("Thinner Brush"), lambda: self._nudge_pen(-2),
                                           K("["))
        about = self._action(self.tr("&About mnistpad"), self.on_about)
        self.dropout_action = self._action(
            self.tr("Readings With &Dropout On"), self.on_dropout_toggled, K("Ctrl+D"),
            self.tr("Also show what the model would read with dropout left on, as while training"))
        self.dropout_action.setCheckable(True)

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        for action in (self.open_image_action, self.open_model_action, self.save_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit = menu.addMenu(self.tr("&Edit"))
        for action in (self.undo_action, self.redo_action, self.clear_action):
            edit.addAction(action)
        edit.addSeparator()
        for action in (self.eraser_action, self.thicker_action, self.thinner_action):
            edit.addAction(action)
        self.view_menu = menu.addMenu(self.tr("&View"))
        self.view_menu.addAction(self.dropout_action)
        self.language_actions = add_language_menu(self.view_menu, self.tr("&Language"),
                                                  self.choose_language)
        self.view_menu.addSeparator()
        self.help_menu = menu.addMenu(self.tr("&Help"))
        self.help_menu.addAction(self._action(
            self.tr("&Keyboard Shortcuts"), self.on_shortcuts, K.StandardKey.HelpContents))
        self.help_menu.addAction(about)

        bar = QToolBar(self.tr("Drawing Toolbar"))
        bar.setObjectName("drawingToolbar")
        bar.addWidget(QLabel(self.tr(" Model: ")))
        bar.addWidget(self.model_selector)
        # the drawing tools show on the Draw tab only; the model list everywhere
        self._drawing_tools = [bar.addSeparator(), bar.addWidget(QLabel(self.tr(" Brush: "))),
                               bar.addWidget(self.pen_slider)]
        for action in (self.eraser_action, self.undo_action, self.redo_action, self.clear_action,
                       self.open_image_action):
            bar.addAction(action)
            self._drawing_tools.append(action)
        self.addToolBar(bar)
        self.view_menu.addAction(bar.toggleViewAction())
        self.model_status = QLabel("", objectName="modelStatus")
        self.statusBar().addPermanentWidget(self.model_status)

    def _build_training_dock(self) -> None:
        """The training panel is the window's second tab; a small progress bar in the
        status bar shows a run's progress from the drawing tab too."""
        from mnistpad.ui.training_panel import TrainingPanel

        self.training = TrainingPanel()
        self.training.modelSaved.connect(self.on_model_trained)
        self.training.useModelRequested.connect(self.open_model)
        self.tabs.addTab(self.training, self.tr("&Train"))
        self.menuBar().insertMenu(self.help_menu.menuAction(),
                                  self.training.training_menu(self, self.on_train))
        self.status_progress = QProgressBar(objectName="statusProgress", maximum=1000)
        self.status_progress.setFixedWidth(180)
        self.status_progress.setVisible(False)
        self.training.progress.valueChanged.connect(self.status_progress.setValue)
        self.training.runningChanged.connect(self.status_progress.setVisible)
        self.statusBar().addPermanentWidget(self.status_progress)
        for index, key, name in ((0, "Ctrl+1", self.tr("Draw Tab")),
                                 (1, "Ctrl+2", self.tr("Train Tab"))):
            action = self._action(name,
                                  lambda _=False, i=index: self.tabs.setCurrentIndex(i),
                                  QKeySequence(key))
            self.view_menu.addAction(action)

    def _build_evaluate_tab(self) -> None:
        """The Evaluate tab; an image sent from its gallery becomes the drawing."""
        from mnistpad.ui.evaluate_panel import EvaluatePanel

        self.evaluate = EvaluatePanel(self.model_infos, self._active_path)
        self.evaluate.drawingRequested.connect(self.on_drawing_requested)
        self.tabs.addTab(self.evaluate, self.tr("Ev&aluate"))
        self.view_menu.addAction(self._action(
            self.tr("Evaluate Tab"), lambda: self.tabs.setCurrentWidget(self.evaluate),
            QKeySequence("Ctrl+3")))

    def _build_teaching(self) -> None:
        """Digit keys and the "This is a" row label the drawing; the drill; the Samples tab."""
        from mnistpad.ui.teach import TeachingHooks

        self.teaching = TeachingHooks(self)
        self.teacher, self.samples = self.teaching.teacher, self.teaching.samples

    def _active_path(self) -> Path | None:
        return self.classifier.info.path if self.classifier else None

    def on_drawing_requested(self, image: np.ndarray) -> None:
        self.canvas.set_picture(image)
        self.tabs.setCurrentIndex(0)

    def _report_skipped(self, problems: list[str]) -> None:
        """Model files that cannot be read are left out of the list, and said so."""
        if problems:
            self.statusBar().showMessage(
                self.tr("Skipped %n model file(s) that cannot be read: {0}", "",
                        len(problems)).format("; ".join(problems)), 15000)

    def _build_inside_panel(self) -> None:
        """Inside the model: a dock beside the canvas (View menu, Ctrl+I), hidden at first."""
        from mnistpad.ui.inside_panel import InsidePanel

        self.inside = InsidePanel(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inside)
        self.inside.hide()
        toggle = self.inside.toggleViewAction()
        toggle.setShortcut(QKeySequence("Ctrl+I"))
        self.view_menu.addAction(toggle)

    def on_train(self) -> None:
        self.tabs.setCurrentWidget(self.training)
        self.training.start()

    def on_model_trained(self, path: str) -> None:
        self.add_model(Path(path), activate=False)
        self.statusBar().showMessage(self.tr("Saved {0}; pick it in the model list or press "
                                             "'Use result'").format(path), 8000)

    def _nudge_pen(self, step: int) -> None:
        self.pen_slider.setValue(self.pen_slider.value() + step)

    # ------------------------------------------------------------------ models

    def model_infos(self) -> list[ModelInfo]:
        return [*self._catalog.models, *self._extra]

    def _populate_selector(self, select: Path | None = None) -> None:
        current = select or (self.classifier.info.path if self.classifier else None)
        self.model_selector.blockSignals(True)
        self.model_selector.clear()
        for info in self.model_infos():
            self.model_selector.addItem(describe(info), str(info.path))
            self.model_selector.setItemData(self.model_selector.count() - 1, explain(info),
                                            Qt.ItemDataRole.ToolTipRole)
            if info.path in self._unusable:
                index = self.model_selector.count() - 1
                self.model_selector.setItemText(index, self.tr("{0} (cannot be loaded)")
                                                .format(describe(info)))
                self.model_selector.model().item(index).setEnabled(False)
                self.model_selector.setItemData(index, self._unusable[info.path],
                                                Qt.ItemDataRole.ToolTipRole)
        if current is not None:
            self.model_selector.setCurrentIndex(self.model_selector.findData(str(current)))
        self.model_selector.blockSignals(False)

    def _classifier_for(self, info: ModelInfo) -> Classifier:
        """The file's classifier, loaded once; a file that failed to load is marked unusable
        and not tried again (raises ModelFileError with the first failure's reason)."""
        from mnistpad.core.classify import Classifier

        if info.path in self._unusable:
            raise ModelFileError(self._unusable[info.path])
        if info.path not in self._classifiers:
            try:
                self._classifiers[info.path] = Classifier.from_file(info.path)
            except ModelFileError as exc:
                self._unusable[info.path] = str(exc)
                self._populate_selector()
                raise
        return self._classifiers[info.path]

    def _select_initial_model(self) -> None:
        """Want the remembered model, else the default, else any listed model that loads;
        the first of them to load reads the drawing."""
        remembered = remembered_text(self._settings, "model")
        infos = self.model_infos()
        candidates = [m for m in infos if str(m.path) == remembered]
        if self._catalog.models:
            candidates.append(default_model(self._catalog))
        self._wanted = list(dict.fromkeys(m.path for m in [*candidates, *infos]))
        if self._wanted:
            self._populate_selector(self._wanted[0])

    def _start_loading(self) -> None:
        paths = [m.path for m in self.model_infos()]
        first = self._wanted[0] if self._wanted else None
        self._loader = JobRun(load_models_job(paths, first), "load-models", threads=1,
                              parent=self)
        self._loader.worker.progressed.connect(self.on_model_loaded)
        self._loader.done.connect(self.on_models_loaded)
        self._loader.start()

    def on_model_loaded(self, item) -> None:
        path, classifier, problem = item
        serial_gui_thread()  # torch is loaded now: the GUI thread keeps to one torch thread
        if classifier is None:
            self._unusable[path] = problem
        else:
            self._classifiers.setdefault(path, classifier)
        self._activate_wanted()

    def _activate_wanted(self) -> None:
        """Activate the first wanted model that has loaded (skipping those that cannot)."""
        while self._wanted and self._wanted[0] in self._unusable:
            self._wanted.pop(0)
        if self._wanted and self._wanted[0] in self._classifiers:
            info = next(m for m in self.model_infos() if m.path == self._wanted[0])
            self._wanted = []
            self.activate(info, quiet=True)

    def on_models_loaded(self, outcome: str, _value) -> None:
        self._loader = None
        self.models_ready = True
        self._activate_wanted()
        self._populate_selector()
        self.training.offer_cuda()
        settle_heap()
        self.refresh()
        self.modelsLoaded.emit()

    def activate(self, info: ModelInfo, quiet: bool = False) -> bool:
        """Make ``info`` the model that reads the drawing; on failure keep the current one.
        While the models still load, it reads as soon as it has loaded."""
        if self._loader is not None and info.path not in self._classifiers \
                and info.path not in self._unusable:
            self._wanted = [info.path]
            return True
        try:
            classifier = self._classifier_for(info)
        except MnistpadError as exc:
            if not quiet:
                QMessageBox.warning(self, self.tr("Cannot use this model"), str(exc))
            self._populate_selector()
            return False
        self.classifier = classifier
        self.modelActivated.emit(info)
        self._populate_selector(info.path)
        self._settings.setValue("model", str(info.path))
        self._update_status()
        self.refresh()
        return True

    def add_model(self, path: Path, activate: bool = True) -> ModelInfo | None:
        """Add a model file to the selector (rescanning the folders); returns its info."""
        self._catalog = scan()
        info = next((m for m in self._catalog.models if m.path == Path(path)), None)
        if info is None:
            from mnistpad.core.modelfile import read_info

            info = read_info(path)
            self._extra = [m for m in self._extra if m.path != info.path] + [info]
        self._classifiers.pop(info.path, None)
        self._unusable.pop(info.path, None)
        if activate:
            self.activate(info)
        else:
            self._populate_selector()
        return info

    def on_model_selected(self, index: int) -> None:
        if index < 0:
            return
        path = Path(self.model_selector.itemData(index))
        info = next((m for m in self.model_infos() if m.path == path), None)
        if info is not None:
            self.activate(info)

    def _update_status(self) -> None:
        """The active model in the status bar's permanent corner (messages never hide it)."""
        if self.classifier is None:
            self.model_status.setText(self.tr("No model"))
            return
        info = self.classifier.info
        self.model_status.setText(self.tr("{0} · {1} parameters · CPU, dropout off").format(
            describe(info), f"{info.parameters:,}"))
        self.setWindowTitle(f"{APP_TITLE} — {info.name}")

    def _update_edit_actions(self) -> None:
        self.undo_action.setEnabled(self.canvas.can_undo())
        self.redo_action.setEnabled(self.canvas.can_redo())
        self.clear_action.setEnabled(not self.canvas.is_blank())

    def _on_tab_changed(self, _index: int) -> None:
        on_draw = self.tabs.currentIndex() == self.tabs.indexOf(self.draw_tab)
        for tool in self._drawing_tools:
            tool.setVisible(on_draw)

    def on_shortcuts(self) -> None:
        show_shortcuts(self, [a for menu in self.menuBar().findChildren(QMenu)
                              for a in menu.actions()])

    # ------------------------------------------------------------------ classification

    def on_stroke_moved(self) -> None:
        if not self._live_timer.isActive():
            self._live_timer.start()

    def on_live_tick(self) -> None:
        self.classify_drawing(compare=False)

    def on_stroke_finished(self) -> None:
        self._live_timer.stop()
        self.refresh()

    def refresh(self) -> None:
        """Classify the canvas now, then every model's reading right after it is painted."""
        self.classify_drawing(compare=False)
        if self.inside is not None:
            self.inside.explain()
        QTimer.singleShot(0, self.update_comparison)

    def classify_drawing(self, compare: bool = True) -> None:
        self.pixels = self.canvas.digit()
        self.preview.set_pixels(self.pixels)
        self.probabilities = None
        if self.classifier is None:
            self.reading.show_nothing(self._no_model_message())
        elif self.pixels is None:
            self.reading.show_nothing(self.tr("Draw a digit on the canvas."))
        else:
            self.probabilities = self.classifier.predict(self.pixels)[1]
        digit = -1 if self.probabilities is None else self.reading.show_reading(self.probabilities)
        self.classified.emit(digit)
        if self.inside is not None:
            self.inside.show_drawing(self.classifier, self.pixels)
        self.update_dropout_readings()
        if compare:
            self.update_comparison()

    def on_dropout_toggled(self, on: bool) -> None:
        self.dropout_readings.setVisible(on)
        self.update_dropout_readings()

    def update_dropout_readings(self, samples: int = DROPOUT_SAMPLES) -> None:
        """With View > Readings With Dropout On: the lecture's keep_prob warning."""
        if self.dropout_action.isChecked():
            self.reading.show_dropout_readings(self.classifier, self.pixels,
                                               self.probabilities, samples)

    def update_comparison(self) -> None:
        rows = []
        for info in self.model_infos():
            digit, confidence, problem = None, None, ""
            if info.path in self._unusable:
                problem = self.tr("cannot be loaded")
            elif info.path not in self._classifiers and not self.models_ready:
                problem = self.tr("loading…")
            elif self.pixels is not None:
                try:
                    digit, probs = self._classifier_for(info).predict(self.pixels)
                    confidence = float(probs[digit])
                except MnistpadError:
                    problem = self.tr("cannot be loaded")
            rows.append((info, digit, confidence, problem))
        self.reading.show_comparison(rows, self._active_path())

    def _no_model_message(self) -> str:
        if not self.models_ready and self.model_infos():
            return self.tr("Loading the models… Draw away: your drawing is read as soon as "
                           "they are ready.")
        if not self.model_infos():
            return self.tr("No saved models were found. Train one (mnistpad train xavier) or "
                           "open a model file (Ctrl+Shift+O).")
        return self.tr("No model could be loaded: pick another in the model list.")

    def on_model_clicked(self, path: str) -> None:
        info = next((m for m in self.model_infos() if str(m.path) == path), None)
        if info is not None and info.path != self._active_path():
            self.activate(info)

    # ------------------------------------------------------------------ misc

    def choose_language(self, language: str) -> None:
        """View > Language: every view in ``language`` now, and at the next start."""
        switch_language(language)
        self._settings.setValue("language", language)
        self.language_actions[language].setChecked(True)
        self._populate_selector()
        self._update_status()
        self.refresh()
        if self.samples is not None:  # the teaching views are built
            self.teacher.retell()
        self._warn_missing_font()

    def _warn_missing_font(self) -> None:
        warning = missing_font_warning(current_language())
        if warning:
            self.statusBar().showMessage(warning, 20000)

    def on_about(self) -> None:
        show_about(self, __version__)

    def _restore_settings(self) -> None:
        """Every remembered value is checked; a bad one falls back to its default."""
        self.pen_slider.setValue(remembered_number(self._settings, "pen_width",
                                                   self.pen_slider.value(), MIN_PEN_WIDTH,
                                                   MAX_PEN_WIDTH))
        geometry = remembered_bytes(self._settings, "geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1000, 640)

    def closeEvent(self, event) -> None:
        self._build_the_rest()  # closed before its first paint: everything exists to shut down
        if not (self.training.may_close() and self.samples.may_close()):  # the user stays
            event.ignore()
            return
        self._settings.setValue("pen_width", self.pen_slider.value())
        self._settings.setValue("geometry", self.saveGeometry())
        self._settings.setValue("window_state", self.saveState())
        self._settings.sync()
        self._live_timer.stop()
        if self._loader is not None:
            self._loader.shutdown()
        self.training.shutdown()
        self.evaluate.shutdown()
        self.samples.shutdown()
        super().closeEvent(event)
