"""The Draw tab's reading: the digit read, how sure, the ten probabilities, the 28x28 input,
the readings with dropout on, and what every saved model reads in the same drawing.

The panel only shows what it is given (the window classifies); it scrolls instead of
squeezing its widgets, so it works in small windows (800x600) as in large ones.
"""

from __future__ import annotations

import collections
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.platform import lazy
from mnistpad.ui.i18n.parts_text import part_names, why_picture_alone
from mnistpad.ui.state.model_text import explain
from mnistpad.ui.widgets.probabilities import DigitPreview, ProbabilityBars, Retranslates
from mnistpad.ui.widgets.rich_text import literal_tooltip

np = lazy.module("numpy")  # imported on first use, after the window is painted

# Below this probability the answer is shown as a guess, not as a reading.
CONFIDENT = 0.6
ROW_HEIGHT = 22
DISAGREES = QColor(200, 60, 60)
ACTIVE = QColor(70, 130, 180, 60)  # the active model's row: a light tint of the bars' blue
PART = QColor(120, 120, 120)  # a part of a combined reading, under its model's row
PART_INDENT = "    "


def _percent(probability: float | None) -> str:
    return "" if probability is None else f"{100 * probability:.1f}%"


def _digit_and_percent(probabilities) -> tuple[str, str]:
    digit = int(np.argmax(probabilities))
    return str(digit), _percent(float(probabilities[digit]))


class ReadingPanel(Retranslates, QScrollArea):
    """``modelClicked(path)`` when a row of the every-model table is clicked."""

    modelClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("readingPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.prediction = QLabel("", objectName="prediction")
        self.prediction.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPointSize(64)
        font.setBold(True)
        self.prediction.setFont(font)
        self.prediction.setMinimumWidth(110)
        self.verdict = QLabel("", objectName="verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.bars = ProbabilityBars()
        self.preview = DigitPreview()
        self.dropout_readings = QLabel("", objectName="dropoutReadings")
        self.dropout_readings.setWordWrap(True)
        self.dropout_readings.setVisible(False)
        self.comparison = QTableWidget(0, 3, objectName="comparison")
        self.comparison.setHorizontalHeaderLabels(["", "", ""])
        self.comparison.verticalHeader().setVisible(False)
        self.comparison.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.comparison.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.comparison.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.comparison.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.comparison.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.comparison.cellClicked.connect(self._on_cell_clicked)
        self._paths: list[Path] = []
        self.sees_label, self.every_label = QLabel(), QLabel()
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        side = QVBoxLayout()
        side.addWidget(self.verdict)
        side.addWidget(self.sees_label)
        side.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignLeft)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.prediction)
        top.addLayout(side, 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addLayout(top)
        layout.addWidget(self.bars)
        layout.addWidget(self.dropout_readings)
        layout.addWidget(self.every_label)
        layout.addWidget(self.comparison)
        layout.addStretch(1)
        self.setWidget(content)

    def retranslate(self) -> None:
        """The panel's static texts in the language now installed. The reading itself (the
        verdict, the dropout readings, the every-model table) is re-shown by its owner, the
        Draw tab, which words the messages it passes in."""
        self.prediction.setToolTip(self.tr("The digit the model reads"))
        self.dropout_readings.setToolTip(self.tr(
            "The lecture's warning: keep_prob must be 1 when testing. These are the active "
            "model's readings with dropout left on, as while training; mnistpad never "
            "classifies this way."))
        for column, text in enumerate((self.tr("Model"), self.tr("Reads"),
                                       self.tr("Confidence"))):
            self.comparison.horizontalHeaderItem(column).setText(text)
        self.comparison.setToolTip(self.tr(
            "What every saved model reads in the same drawing. Red: disagrees with most "
            "models. Grey rows under a model: the parts it reads from, the picture and the "
            "strokes. Click a row to make that model read your drawing."))
        self.sees_label.setText(self.tr("What the model sees:"))
        self.every_label.setText(self.tr("Every model on this drawing:"))

    # ------------------------------------------------------------------ the active model

    def show_reading(self, probabilities: np.ndarray) -> int:
        """The active model's answer; returns the digit read."""
        digit = int(np.argmax(probabilities))
        self.prediction.setText(str(digit))
        self.bars.set_probabilities(probabilities)
        confidence = float(probabilities[digit])
        sure = confidence >= CONFIDENT
        colour = self.palette().windowText().color() if sure else QColor(150, 150, 150)
        style = f"color: {colour.name()}"
        if self.prediction.styleSheet() != style:  # a new style sheet restyles the label
            self.prediction.setStyleSheet(style)
        if sure:
            self.verdict.setText(self.tr("Reads {0} with {1}% confidence.").format(
                digit, f"{100 * confidence:.1f}"))
        else:
            runner_up = int(np.argsort(probabilities)[-2])
            self.verdict.setText(self.tr(
                "Not sure: maybe {0} ({1}%) or {2} ({3}%). Try drawing it more clearly.").format(
                digit, f"{100 * confidence:.0f}", runner_up,
                f"{100 * probabilities[runner_up]:.0f}"))
        return digit

    def add_notes(self, notes: list[str]) -> None:
        """Lines under the verdict (the picture's true label, a word that one digit is
        expected)."""
        if notes:
            self.verdict.setText("\n".join([self.verdict.text(), *notes]))

    def show_nothing(self, message: str) -> None:
        """No reading (nothing drawn, no model yet): an empty answer and ``message``."""
        self.prediction.setText("")
        self.bars.set_probabilities(None)
        self.verdict.setText(message)

    def show_dropout_readings(self, classifier, pixels, probabilities, samples: int) -> None:
        """The active model's answers for the drawing with its dropout layers left on, as
        while training, next to its real (eval mode) answer."""
        label = self.dropout_readings
        if classifier is None or pixels is None or probabilities is None:
            label.setText(self.tr("Draw a digit to compare readings with dropout on and off."))
            return
        if not classifier.has_dropout:
            label.setText(self.tr(
                "{0} has no dropout, so leaving it on changes nothing. Pick dropout, batchnorm, "
                "deepcnn or an ensemble to see the effect.").format(classifier.name))
            return
        tries = " · ".join(f"{int(p.argmax())} ({100 * p.max():.0f}%)"
                           for p in classifier.probabilities_with_dropout_on(pixels, samples))
        digit = int(np.argmax(probabilities))
        label.setText(self.tr(
            "With dropout left on, {0} tries: {1}. With dropout off, as mnistpad classifies: "
            "{2} ({3}%), the same every time.").format(
            samples, tries, digit, f"{100 * probabilities[digit]:.0f}"))

    # ------------------------------------------------------------------ every model

    def show_comparison(self, rows: list[tuple[ModelInfo, int | None, float | None, str,
                                               object]],
                        active: Path | None) -> None:
        """One row per model: (info, digit read or None, its probability, a problem or "",
        its parts or None). Red marks a reading that differs from most models' (not from the
        active one's: the active model may be the odd one out); the active model's row is
        bold and tinted. A model that reads the strokes too (its parts given) shows its
        combined reading, what the app says, and under it its parts: the picture's and the
        strokes' readings, or the picture alone and why."""
        votes = collections.Counter(row[1] for row in rows if row[1] is not None)
        majority = votes.most_common(1)[0][0] if votes else None
        self._paths = []
        self.comparison.setRowCount(0)
        for info, digit, confidence, problem, parts in rows:
            reads = problem or ("" if digit is None else str(digit))
            red = digit is not None and majority is not None and digit != majority
            self._add_row(info, (info.name, reads, _percent(confidence)),
                          bold=info.path == active, red=red)
            for texts in self._part_rows(parts):
                self._add_row(info, texts, part=True)
        header = self.comparison.horizontalHeader().height()
        self.comparison.setFixedHeight(header + ROW_HEIGHT * len(self._paths) + 4)

    def _part_rows(self, parts) -> list[tuple[str, str, str]]:
        """The sub-rows of a combined reading: each part's digit and probability, or the
        picture alone and why."""
        if parts is None or parts.image is None:  # before the import: no numpy at start-up
            return []
        from mnistpad.core.strokes.combination import BOTH

        picture, strokes, _ = part_names()
        if parts.source != BOTH:
            name = self.tr("picture alone: {0}").format(why_picture_alone(parts.reason))
            return [(PART_INDENT + name, *_digit_and_percent(parts.image))]
        return [(PART_INDENT + picture, *_digit_and_percent(parts.image)),
                (PART_INDENT + strokes, *_digit_and_percent(parts.strokes))]

    def _add_row(self, info: ModelInfo, texts: tuple[str, str, str], bold: bool = False,
                 red: bool = False, part: bool = False) -> None:
        row = self.comparison.rowCount()
        self.comparison.insertRow(row)
        self._paths.append(info.path)
        for col, text in enumerate(texts):
            cell = QTableWidgetItem(text)
            cell.setToolTip(literal_tooltip(explain(info)))
            font = cell.font()
            font.setBold(bold)
            font.setItalic(part)
            cell.setFont(font)
            if bold:
                cell.setBackground(ACTIVE)
            if part:
                cell.setForeground(PART)
            elif col and red:
                cell.setForeground(DISAGREES)
            self.comparison.setItem(row, col, cell)

    def _on_cell_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._paths):
            self.modelClicked.emit(str(self._paths[row]))
