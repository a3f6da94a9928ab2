"""The training panel: the lecture's experiments with a few clicks.

Pick a lab variant (its lecture settings fill in), change any knob, train in a worker thread,
watch the progress bar, the live cost chart and the log, compare with earlier runs, and use
the result at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.data.mnist import raw_folder
from mnistpad.core.files.modelfile import SUFFIX
from mnistpad.core.models.registry import check_name, unique_name
from mnistpad.core.models.specs import VariantSpec, optimizer_words
from mnistpad.core.platform.paths import user_models_dir
from mnistpad.core.training.eta import TimeLeft, duration_words
from mnistpad.ui.i18n.translations import install_translations
from mnistpad.ui.shell.runtime import training_threads_for
from mnistpad.ui.state.app_state import AppState
from mnistpad.ui.state.jobs import Job, JobRunner
from mnistpad.ui.train.form import TrainingForm
from mnistpad.ui.train.job import (
    ActivationsRead,
    DataMissing,
    RecordsReady,
    TrainRequest,
    training_job,
)
from mnistpad.ui.train.runs import RunsView
from mnistpad.ui.widgets.probabilities import Retranslates, ask_to_stop, show_finished
from mnistpad.ui.widgets.run_chart import RunHistory

REDRAW_MS = 66  # about 15 redraws a second, whatever the batch rate
CHART_DELAY_MS = 1500  # after start-up: pyqtgraph is imported then, not on the way to the window
PROGRESS_STEPS = 1000


class TrainingPanel(Retranslates, QWidget):
    """Everything about training; lives in a dock of the main window. The form, the run's
    buttons and progress are its own; the runs, their chart and the log are ``runs``, a
    :class:`~mnistpad.ui.train.runs.RunsView`."""

    modelSaved = Signal(str)
    runningChanged = Signal(bool)
    # outcome ("finished", "cancelled", "failed", "no-data"), then the saved path, the error
    # message, or for "no-data" why a download failed ("" when none was tried)
    runEnded = Signal(str, str)
    useModelRequested = Signal(str)
    activationsRead = Signal(object, str)  # a reading of the model in training, the run's name

    def __init__(self, state: AppState, runner: JobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        install_translations()  # plural forms ("1 epoch") of the strings below
        self.setObjectName("trainingPanel")
        self.state, self.runner = state, runner
        self.run: Job | None = None
        self.current: RunHistory | None = None
        self.last_saved: str | None = None
        self.design: VariantSpec | None = None  # a network editor's design being started
        # whether a run reads its layers' activations as it trains (the Activations tab is
        # open): a callable the window sets
        self.watch_activations = lambda: False
        self._download = False
        self._time_left = TimeLeft()
        self._status_words = lambda: self.tr("Idle")
        self._menu_actions: tuple[QMenu, object, object] | None = None
        self._build()
        self.retranslate()
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setInterval(REDRAW_MS)
        self._redraw_timer.timeout.connect(self.runs.redraw)
        self.on_variant_changed()
        # Build the chart once the window is up and idle, before anyone needs it.
        QTimer.singleShot(CHART_DELAY_MS, self, self.runs.build_chart)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.form = TrainingForm()
        self.knobs = self.form.knobs
        (self.variant, self.epochs, self.batch_size, self.learning_rate, self.optimizer,
         self.init, self.keep_prob, self.batch_norm, self.device, self.seed,
         self.result_name) = self.knobs
        self.variant.currentIndexChanged.connect(self.suggest_name)
        self.train_button = QPushButton(objectName="trainButton")
        self.train_button.setShortcut("Ctrl+T")
        self.train_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(objectName="cancelButton", enabled=False)
        self.cancel_button.setShortcut("Ctrl+.")
        self.cancel_button.clicked.connect(self.cancel)
        self.use_saved_button = QPushButton(objectName="useSavedButton")
        self.use_saved_button.clicked.connect(self.on_use_saved)
        self.use_result_button = QPushButton(objectName="useResultButton", enabled=False)
        self.use_result_button.clicked.connect(
            lambda: self.last_saved and self.useModelRequested.emit(self.last_saved))
        # The bar carries no text (text over its fill is hard to read in many styles); the
        # line above it says what the bar shows, with the same whole percent as the bar in
        # the status bar (Qt's %p: truncated).
        self.progress = QProgressBar(objectName="trainProgress", minimum=0,
                                     maximum=PROGRESS_STEPS, textVisible=False)
        self.progress.setValue(0)
        self.progress_text = QLabel(objectName="trainStatus")
        self.runs = RunsView(self.state)
        self._lay_out()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.train_button, self.cancel_button, self.use_saved_button,
                       self.use_result_button):
            buttons.addWidget(button)
        left = QVBoxLayout()
        left.addWidget(self.form)
        left.addLayout(buttons)
        left.addWidget(self.progress_text)
        left.addWidget(self.progress)
        left.addWidget(self.runs.list_box, 1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left_widget)
        splitter.addWidget(self.runs)
        splitter.setStretchFactor(1, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(splitter)

    def retranslate(self) -> None:
        """Every text of the tab (and of its Training menu) in the language now installed,
        the run's status line included (the runs view words its own)."""
        for button, text, tip in (
                (self.train_button, self.tr("&Train"),
                 self.tr("Train with these settings in the background (Ctrl+T)")),
                (self.cancel_button, self.tr("Cancel"),
                 self.tr("Stop the run; nothing is saved (Ctrl+.)")),
                (self.use_saved_button, self.tr("Use saved"),
                 self.tr("Load this variant's saved model without training")),
                (self.use_result_button, self.tr("Use result"),
                 self.tr("Make the model just trained the active one"))):
            button.setText(text)
            button.setToolTip(tip)
        self.progress_text.setText(self._status_words())
        self._retranslate_menu()

    def _set_status(self, text) -> None:
        """Show ``text()`` above the bar, and again in a new language (``text`` is a
        function that words it)."""
        self._status_words = text
        self.progress_text.setText(text())

    @property
    def data_dir(self) -> Path:
        """The MNIST folder the whole app uses (the app state's)."""
        return self.state.data_dir

    # ------------------------------------------------------------------ settings

    def on_variant_changed(self) -> None:
        self.form.on_variant_changed()
        self.suggest_name()

    def _batch_norm_applies(self) -> bool:
        return self.form.batch_norm_applies()

    def suggest_name(self) -> None:
        self.result_name.setText(unique_name(self.variant.currentData(), self.state.names()))

    def spec(self) -> VariantSpec:
        """The run's spec: the form's; for a design from the network editor, its layers with
        the form's recipe (epochs, batch size, learning rate, optimizer, init)."""
        form = self.form.spec()
        if self.design is None:
            return form
        return self.design.with_overrides(
            epochs=form.epochs, batch_size=form.batch_size, learning_rate=form.learning_rate,
            optimizer=form.optimizer, init=form.init)

    def train_design(self, spec: VariantSpec) -> bool:
        """Train a design of the network editor (the lecture's exercise) by the same path
        as the lab variants; the form's recipe knobs apply, its layer knobs do not."""
        self.variant.setCurrentIndex(self.variant.findData(spec.variant))
        self.design = spec
        self.result_name.setText(unique_name(f"{spec.variant}-net", self.state.names()))
        try:
            return self.start()
        finally:
            self.design = None

    # ------------------------------------------------------------------ runs

    def is_running(self) -> bool:
        return self.run is not None

    def _target(self, name: str) -> Path | None:
        """Where to save ``name``; None when the user declines an overwrite."""
        existing = self.state.find_name(name)
        if existing is not None and self.state.is_shipped(existing):
            QMessageBox.information(self, self.tr("Name taken"),
                                    self.tr("'{0}' is a shipped model, which is never "
                                            "overwritten. Choose another name.").format(name))
            return None
        path = user_models_dir() / f"{name}{SUFFIX}"
        if existing is not None or path.exists():
            answer = QMessageBox.question(self, self.tr("Replace model?"),
                                          self.tr("A model named '{0}' exists. Replace it when "
                                                  "this run finishes?").format(name))
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return path

    def training_menu(self, parent: QWidget, on_train) -> QMenu:
        """The window's Training menu: Train (``on_train`` shows this tab and starts) and
        Cancel, each enabled when it can act. The keys stay on this tab's buttons."""
        menu = QMenu(parent)
        train = menu.addAction("", on_train)
        cancel = menu.addAction("", self.cancel)
        cancel.setEnabled(False)
        self.runningChanged.connect(lambda on: (train.setEnabled(not on), cancel.setEnabled(on)))
        self._menu_actions = (menu, train, cancel)
        self._retranslate_menu()
        return menu

    def _retranslate_menu(self) -> None:
        if self._menu_actions is None:
            return
        menu, train, cancel = self._menu_actions
        menu.setTitle(self.tr("T&raining"))
        train.setText(self.tr("&Train"))
        train.setStatusTip(self.tr("Train with the Train tab's settings (Ctrl+T there)"))
        cancel.setText(self.tr("&Cancel Training"))
        cancel.setStatusTip(self.tr("Stop the run; nothing is saved (Ctrl+. there)"))

    def offer_cuda(self) -> None:
        """Add CUDA to the devices when torch sees a GPU; called once torch is loaded (the
        window appears before it is)."""
        import torch

        if torch.cuda.is_available() and self.device.findData("cuda") < 0:
            self.device.addItem("CUDA", "cuda")

    def start(self) -> bool:
        """Start a run with the current settings; refused while one is running."""
        if self.run is not None:
            self.append_log(self.tr("A run is already going; cancel it or wait for it to finish."))
            return False
        try:
            name = check_name(self.result_name.text().strip())
            spec = self.spec()
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("Cannot train"), str(exc))
            return False
        path = self._target(name)
        if path is None:
            return False
        request = TrainRequest(spec, name, path, self.state.data_dir, seed=self.seed.value(),
                               device=self.device.currentData(), download=self._download,
                               watch_activations=self.watch_activations())
        self._download = False
        self.current = RunHistory(name, spec, path=path, repeat_key=(
            "live", spec, request.seed, request.device, str(request.data_dir)))
        self.runs.add_run(self.current)
        self.runs.build_chart()  # never build it (a fifth of a second) while a run goes
        self.append_log(self.tr("Training {0}: {1}, {2}, batch {3}, {4} lr {5}, init {6}, "
                                "keep_prob {7}").format(
            name, spec.variant, self.tr("%n epoch(s)", "", spec.epochs), spec.batch_size,
            optimizer_words(spec.optimizer), f"{spec.learning_rate:g}", spec.init,
            f"{spec.keep_prob:g}"))
        self._set_running(True)
        self._time_left = TimeLeft()
        self._show_progress(0, lambda: self.tr("Starting…"))
        self.run = self.runner.start(training_job(request), f"train-{name}", self.on_report,
                                     self.on_done, threads=training_threads_for(spec))
        self._redraw_timer.start()
        return True

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel()
            self._set_status(lambda: self.tr("Cancelling…"))

    def may_close(self) -> bool:
        """Asked as the window closes: True to go on closing (a run, if any, is stopped
        then), False to keep the window and the run going. The user decides."""
        if self.run is None:
            return True
        return ask_to_stop(self, "closeWhileTraining", self.tr("Training is running"),
                           self.tr("{0} is still training ({1}% done); stopping now saves "
                                   "nothing.").format(self.current.name, self._percent()),
                           self.tr("Keep Training"), self.tr("Stop and Quit"))

    def shutdown(self) -> None:
        """Stop any run (the window is closing; the runner waits for its thread and tells
        nobody)."""
        self._redraw_timer.stop()
        if self.run is not None:
            self.run.cancel()
            self.run = None

    def _set_running(self, running: bool) -> None:
        """Lock every knob while a run goes: they describe the run that is training."""
        self.train_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for widget in self.knobs:
            widget.setEnabled(not running)
        if not running:
            self.batch_norm.setEnabled(self._batch_norm_applies())
        self.runningChanged.emit(running)

    def _percent(self) -> int:
        """The progress in whole percent, as the status bar's bar shows it."""
        return self.progress.value() * 100 // PROGRESS_STEPS

    def _show_progress(self, fraction: float, text) -> None:
        """The bar at ``fraction``, and ``text()`` above it (see :meth:`_set_status`)."""
        self.progress.setValue(round(fraction * PROGRESS_STEPS))
        show_finished(self.progress, fraction >= 1)
        self._set_status(text)

    def on_report(self, item) -> None:
        """What the training job reports (:mod:`mnistpad.ui.train.job`)."""
        if isinstance(item, RecordsReady):
            self.on_progress(item.records)
            return
        if isinstance(item, ActivationsRead):
            self.activationsRead.emit(item.stats, self.current.name if self.current else "")
            return
        stage, device = item.stage, item.device
        text = {"loading": lambda: self.tr("Loading MNIST…"),
                "downloading": lambda: self.tr("Downloading MNIST…"),
                "training": lambda: self.tr("Training on {0}…").format(device)}[stage]
        self._set_status(text)
        self.append_log(text())

    def on_progress(self, records: list) -> None:
        run = self.current
        if run is None:
            return
        for record in records:
            self._time_left.add(record.seconds, record.fraction, record.kind == "epoch")
            if record.kind == "batch":
                run.batch_x.append(record.epoch - 1 + record.batch / record.batches)
                run.batch_cost.append(record.cost)
                continue
            run.add_epoch(record)
            # the lecture's own line, then what mnistpad adds to it, in the window's language
            self.append_log(f"Epoch: {record.epoch:04d} cost = {record.cost:.9f}   " + self.tr(
                "test accuracy {0:.4f}   ({1:.1f}s, {2:,.0f} samples/s)").format(
                    record.test_acc, record.epoch_seconds, record.samples_per_s))
        last = records[-1]
        self.progress.setValue(round(last.fraction * PROGRESS_STEPS))
        left, percent = self._time_left.seconds_left(), self._percent()

        def text() -> str:
            left_text = (self.tr("estimating time left…") if left is None
                         else self.tr("about {0} left").format(duration_words(left)))
            return self.tr("Epoch {0} of {1} · {2}% · {3}").format(
                last.epoch, last.epochs, percent, left_text)

        self._set_status(text)

    def on_done(self, outcome: str, value) -> None:
        detail = value or ""
        if outcome == "failed" and isinstance(value.exception, DataMissing):
            outcome, detail = "no-data", value.exception.reason
        elif outcome == "failed":
            detail = value.sentence() if value.expected else self.tr(
                "Training stopped: {0}").format(value.sentence())
        try:
            self._show_outcome(outcome, detail)
        finally:
            self.runEnded.emit(outcome, detail)

    def _show_outcome(self, outcome: str, detail: str) -> None:
        self._redraw_timer.stop()
        self.run = None
        self._set_running(False)
        if outcome == "finished":
            self._mark_current("finished")
            self._show_progress(1, lambda: self.tr("Finished"))
            acc = self.current.epoch_acc[-1] if self.current and self.current.epoch_acc else None
            if acc is not None:
                self.append_log(f"Accuracy: {acc:.4f}")
            self.append_log(self.tr("Saved {0}").format(detail))
            self.last_saved = detail
            self.use_result_button.setEnabled(True)
            self.modelSaved.emit(detail)
            self.suggest_name()
            return
        self._show_progress(0, str)
        if outcome == "no-data":
            self._drop_current()
            self._offer_data(detail)
            return
        self._mark_current(outcome)
        if outcome == "cancelled":
            self._set_status(lambda: self.tr("Cancelled"))
            self.append_log(self.tr("Cancelled; nothing was saved."))
            return
        self._set_status(lambda: self.tr("Failed"))
        self.append_log(self.tr("Error: {0}").format(detail))
        QMessageBox.warning(self, self.tr("Training stopped"), detail)

    def _mark_current(self, outcome: str) -> None:
        """Record how the current run ended. A cancelled or failed run stays on the list
        and the chart, dimmed and marked; one that failed before its first batch leaves."""
        run = self.current
        if run is None:
            return
        run.outcome = outcome
        if outcome == "failed" and not run.batch_cost:
            self._drop_current()
            return
        self.runs.show_outcome(run)

    def _drop_current(self) -> None:
        if self.current is not None:
            self.runs.remove_run(self.current)
        self.current = None

    def _offer_data(self, download_failure: str) -> None:
        """MNIST is not there: say so in two lines (with a failed download's reason) and
        offer to download it or to choose the folder that holds it."""
        folder = raw_folder(self.state.data_dir)
        if download_failure:
            self._set_status(lambda: self.tr("Download failed"))
            text = self.tr("Could not download MNIST: {0}").format(download_failure)
            hint = self.tr("Try again, or choose a folder that holds MNIST.")
        else:
            self._set_status(lambda: self.tr("MNIST needed"))
            text = self.tr("MNIST (about 12 MB) is needed to train; it is not in {0}.").format(
                folder)
            hint = self.tr("Download it, or choose the folder that holds it.")
        self.append_log(text)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("MNIST is missing"), text,
                          parent=self)
        box.setObjectName("mnistMissing")
        box.setInformativeText(hint)
        download = box.addButton(self.tr("Download"), QMessageBox.ButtonRole.AcceptRole)
        choose = box.addButton(self.tr("Choose Folder…"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is download:
            self._download = True
            self.start()
        elif box.clickedButton() is choose:
            folder = QFileDialog.getExistingDirectory(
                self, self.tr("Folder that holds MNIST (its IDX files, raw/ or MNIST/raw/)"),
                str(self.state.data_dir))
            if folder and self.use_data_folder(folder):
                self.start()

    def use_data_folder(self, folder: str | Path) -> bool:
        """Train from ``folder`` from now on (remembered) if it holds MNIST: its IDX files
        (plain or .gz), its ``raw/`` or ``MNIST/raw/``; otherwise say so and keep the old."""
        folder = Path(folder)
        missing = self.state.set_data_dir(folder)
        if missing:
            QMessageBox.warning(self, self.tr("No MNIST there"), self.tr(
                "{0} lacks {1} (looked in it, in raw/ and in MNIST/raw/).").format(
                folder, ", ".join(missing)))
            return False
        self.append_log(self.tr("MNIST from {0}").format(raw_folder(folder)))
        return True

    def append_log(self, text: str) -> None:
        """A line in the lecture's log (the runs view's)."""
        self.runs.append_log(text)

    # ------------------------------------------------------------------ on screen

    def showEvent(self, event) -> None:
        self.runs.build_chart()  # before the tab is first painted
        super().showEvent(event)

    def on_use_saved(self) -> None:
        info = self.state.find_name(self.variant.currentData())
        if info is None:
            QMessageBox.information(self, self.tr("Not saved yet"),
                                    self.tr("No saved model named '{0}'.").format(
                                        self.variant.currentData()))
            return
        self.useModelRequested.emit(str(info.path))
