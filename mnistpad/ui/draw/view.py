"""The Draw tab: the canvas, the "This is a" row, the drill's banner and the reading panel.

The view turns strokes into pixels and hands them to the app state, which reads them with the
active model; it shows whatever reading the state holds, and every model's reading right
after the window has painted the active one's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from mnistpad.core.platform.errors import MnistpadError
from mnistpad.ui.draw.canvas import DrawingCanvas, SquareBox
from mnistpad.ui.draw.reading import ReadingPanel
from mnistpad.ui.draw.teach import DrillBanner, LabelRow
from mnistpad.ui.state.app_state import AppState

DROPOUT_SAMPLES = 5
LIVE_INTERVAL_MS = 60


class DrawView(QWidget):
    """The Draw tab, observing ``state``."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("drawTab")
        self.state = state
        self.show_dropout = False
        self.true_label: int | None = None  # of a picture put here from a data set
        self.canvas = DrawingCanvas()
        self.reading = ReadingPanel()
        self.label_row = LabelRow()
        self.drill_banner = DrillBanner()
        self._lay_out()

        self._live_timer = QTimer(self, singleShot=True, interval=LIVE_INTERVAL_MS)
        self._live_timer.timeout.connect(lambda: self.read_canvas(settled=False))
        self._comparison_timer = QTimer(self, singleShot=True, interval=0)
        self._comparison_timer.timeout.connect(self.update_comparison)
        self.canvas.strokeMoved.connect(self.on_stroke_moved)
        self.canvas.strokeFinished.connect(self.on_stroke_finished)
        self.canvas.contentChanged.connect(self.on_stroke_finished)
        self.canvas.strokeStarted.connect(self.forget_true_label)
        self.canvas.contentChanged.connect(self.forget_true_label)
        self.reading.modelClicked.connect(self.on_model_clicked)
        state.readingChanged.connect(self.show_reading)
        for signal in (state.modelLoaded, state.modelsLoaded, state.catalogChanged):
            signal.connect(self._comparison_timer.start)

    def _lay_out(self) -> None:
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
        tab = QVBoxLayout(self)
        tab.addWidget(self.drill_banner)
        tab.addWidget(splitter, 1)

    # ------------------------------------------------------------------ strokes in

    def on_stroke_moved(self) -> None:
        if not self._live_timer.isActive():
            self._live_timer.start()

    def on_stroke_finished(self) -> None:
        self._live_timer.stop()
        self.read_canvas()

    def read_canvas(self, settled: bool = True) -> None:
        """The canvas as the model sees it, to the state (which reads it)."""
        self.state.set_pixels(self.canvas.digit(), settled,
                              self.canvas.pen_strokes(with_current=not settled))

    # ------------------------------------------------------------------ readings out

    def show_reading(self) -> None:
        state = self.state
        self.reading.preview.set_pixels(state.pixels)
        if state.probabilities is not None:
            self.reading.show_reading(state.probabilities)
            self.reading.add_notes(self.notes())
        else:
            self.reading.show_nothing(self.no_reading_message())
        if self.show_dropout:
            self.reading.show_dropout_readings(state.active_classifier(), state.pixels,
                                               state.probabilities, DROPOUT_SAMPLES)
        self._comparison_timer.start()  # after the active model's reading is painted

    def set_true_label(self, label: int) -> None:
        """The picture just put on the canvas (from Evaluate's gallery) is a ``label``: said
        under the reading until the drawing changes."""
        self.true_label = label
        self.show_reading()

    def forget_true_label(self) -> None:
        if self.true_label is not None:
            self.true_label = None
            self.show_reading()

    def notes(self) -> list[str]:
        """What the reading adds under its verdict: the true label of a data set's picture,
        that one digit is expected when the ink looks like several side by side, and that a
        stray mark is not read."""
        from mnistpad.core.data.blobs import several_digits

        notes = self._parts_notes()
        if self.true_label is not None:
            notes.append(self.tr("True label: {0}").format(self.true_label))
        if several_digits(self.state.pixels):
            notes.append(self.tr("One digit is expected: this looks like several side by "
                                 "side. Draw one digit at a time."))
        if self._has_stray_marks():
            notes.append(self.tr("A small mark away from the digit is left out of the "
                                 "reading."))
        return notes

    def _has_stray_marks(self) -> bool:
        from mnistpad.core.strokes.stray import stray_marks

        strokes = self.canvas.pen_strokes(with_current=True)
        return bool(strokes) and bool(stray_marks(strokes))

    def _parts_notes(self) -> list[str]:
        """For the default model: what it read from (the picture and the strokes, or the
        picture alone, and why), with each part's answer."""
        from mnistpad.core.strokes.combination import BOTH
        from mnistpad.ui.i18n.parts_text import why_picture_alone

        parts = self.state.parts
        if parts is None or parts.image is None:
            return []
        picture = int(parts.image.argmax())
        if parts.source == BOTH:
            strokes = int(parts.strokes.argmax())
            return [self.tr("Read from the picture ({0}) and the strokes ({1}) together.")
                    .format(picture, strokes)]
        return [self.tr("Read from the picture alone: {0}.").format(
            why_picture_alone(parts.reason))]

    def no_reading_message(self) -> str:
        state = self.state
        if state.load_error is not None:
            return self.tr("The models could not be loaded: {0}. Drawing still works; the "
                           "details are in the log.").format(state.load_error.sentence())
        if state.active is not None and state.active_reader() is None:
            problem = state.unusable(state.active.path)
            if problem:
                return problem
            return self.tr("Loading {0}… Draw away: your drawing is read as soon as it is "
                           "ready.").format(state.active.name)
        if state.active is None and state.models():
            return self.tr("No model could be loaded: pick another in the model list.")
        if state.active is None:
            return self.tr("No saved models were found. Train one (mnistpad train xavier) or "
                           "open a model file (Ctrl+Shift+O).")
        return self.tr("Draw a digit on the canvas.")

    def set_dropout_shown(self, on: bool) -> None:
        """View > Readings With Dropout On: the lecture's keep_prob warning."""
        self.show_dropout = on
        self.reading.dropout_readings.setVisible(on)
        self.show_reading()

    def update_comparison(self) -> None:
        words = {"loading": self.tr("loading…"), "unusable": self.tr("cannot be loaded")}
        try:
            rows = self.state.every_reading()
        except MnistpadError:
            return
        rows = [(info, digit, confidence, words.get(problem, problem), parts)
                for info, digit, confidence, problem, parts in rows]
        active = self.state.active.path if self.state.active else None
        self.reading.show_comparison(rows, active)

    def on_model_clicked(self, path: str) -> None:
        info = self.state.find(path)
        if info is not None and (self.state.active is None or info.path != self.state.active.path):
            self.window().activate(info)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.show_reading()
        super().changeEvent(event)
