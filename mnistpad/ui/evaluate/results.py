"""The Evaluate tab's results browser: one evaluation (or the comparison of two) shown as a
confusion matrix, per-digit bars, the most confused pairs and the reject curve, with a gallery
of the images behind whatever was clicked. A gallery image can be sent to the Draw tab
(``drawingRequested``, then ``trueLabelSent``).

The panel (:class:`~mnistpad.ui.evaluate.panel.EvaluatePanel`) runs the evaluations and hands
each result to :meth:`ResultsBrowser.show_evaluation`; its summary label is laid out here,
above the per-digit bars, but the panel words it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QPushButton,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.evaluation.evaluate import Comparison, Evaluation
from mnistpad.ui.evaluate.plots import (
    ConfusionMatrixView,
    DigitAccuracyBars,
    GalleryModel,
    RejectCurveView,
)
from mnistpad.ui.widgets.probabilities import Retranslates

DEFAULT_THRESHOLD = 60  # percent; the Draw tab's "not sure" line
# narrow enough that the whole tab fits an 800x600 window without sideways scrolling
PAIRS_MIN_WIDTH = 110


class ResultsBrowser(Retranslates, QWidget):
    """Where an evaluation goes wrong, one click from the numbers to the digits (see the
    module doc). ``summary`` is the panel's label, shown at the top of the right column."""

    drawingRequested = Signal(object)
    trueLabelSent = Signal(int)

    def __init__(self, summary: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("evalResults")
        self.evaluation: Evaluation | None = None
        self.comparison: Comparison | None = None
        self._pairs: list = []
        self._pair_cells: list[tuple[int, int]] = []
        self.gallery_model = GalleryModel(self)
        self._caption_words = self._no_cell_caption
        self._build()
        self._lay_out(summary)
        self._connect()
        self.retranslate()

    def _build(self) -> None:
        self.digit_bars = DigitAccuracyBars()
        self.matrix = ConfusionMatrixView()
        self.percent_box = QCheckBox(objectName="evalPercent")
        self.side_box = QComboBox(objectName="evalSide")
        self.side_box.setVisible(False)
        self.pairs = QListWidget(objectName="evalPairs")
        self.pairs.setMinimumWidth(PAIRS_MIN_WIDTH)
        self.pairs_label, self.threshold_title = QLabel(), QLabel()
        self.threshold = QSlider(Qt.Orientation.Horizontal, objectName="evalThreshold")
        self.threshold.setRange(0, 99)
        self.threshold.setValue(DEFAULT_THRESHOLD)
        self.threshold_label = QLabel("", objectName="evalThresholdText")
        self.threshold_label.setWordWrap(True)
        self.curve = RejectCurveView()
        self.gallery_caption = QLabel(objectName="evalGalleryCaption")
        self.gallery_caption.setWordWrap(True)
        self.gallery = QListView(objectName="evalGallery")
        self.gallery.setModel(self.gallery_model)
        self.gallery.setFlow(QListView.Flow.LeftToRight)  # image left, readings right
        self.gallery.setWrapping(True)
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setUniformItemSizes(True)
        self.gallery.setSpacing(6)
        self.gallery.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.gallery.setIconSize(QSize(GalleryModel.ICON, GalleryModel.ICON))
        self.canvas_button = QPushButton(objectName="evalToCanvas")
        self.canvas_button.setShortcut("Ctrl+Return")

    def _lay_out(self, summary: QWidget) -> None:
        """The matrix left; the summary, bars, pairs and reject curve right; the gallery
        below, each side of a splitter."""
        left = QVBoxLayout()
        matrix_bar = QHBoxLayout()
        matrix_bar.addWidget(self.percent_box)
        matrix_bar.addWidget(self.side_box)
        matrix_bar.addStretch(1)
        left.addLayout(matrix_bar)
        left.addWidget(self.matrix, 1)
        right = QGridLayout()
        right.addWidget(summary, 0, 0, 1, 2)
        right.addWidget(self.digit_bars, 1, 0, 1, 2)
        right.addWidget(self.pairs_label, 2, 0)
        right.addWidget(self.pairs, 3, 0)
        reject = QVBoxLayout()
        for widget in (self.threshold_title, self.threshold, self.threshold_label):
            reject.addWidget(widget)
        reject.addWidget(self.curve, 1)
        right.addLayout(reject, 2, 1, 2, 1)
        top = QSplitter()
        for layout in (left, right):
            holder = QWidget()
            holder.setLayout(layout)
            top.addWidget(holder)
        bottom = QWidget()
        gallery = QVBoxLayout(bottom)
        caption = QHBoxLayout()
        caption.addWidget(self.gallery_caption, 1)
        caption.addWidget(self.canvas_button)
        gallery.addLayout(caption)
        gallery.addWidget(self.gallery, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split, 1)

    def _connect(self) -> None:
        self.matrix.cellClicked.connect(self.show_cell)
        self.matrix.rowClicked.connect(self.show_row)
        self.matrix.columnClicked.connect(self.show_column)
        self.percent_box.toggled.connect(self.matrix.set_percent)
        self.side_box.currentIndexChanged.connect(self.show_view)
        self.pairs.currentRowChanged.connect(self.on_pair_chosen)
        self.pairs.itemClicked.connect(lambda item: self.on_pair_chosen(self.pairs.row(item)))
        self.gallery.doubleClicked.connect(self.send_to_canvas)
        self.canvas_button.clicked.connect(lambda: self.send_to_canvas(
            self.gallery.currentIndex()))
        self.threshold.valueChanged.connect(self.update_threshold)

    def retranslate(self) -> None:
        """Every text in the language now installed: the static ones, the comparison's
        sides, the confused pairs, the gallery caption and the threshold reading."""
        self._retranslate_widgets()
        self._fill_sides()
        self._fill_pairs()
        self.gallery_caption.setText(self._caption_words())
        self.update_threshold()

    def _retranslate_widgets(self) -> None:
        """The static texts: labels, buttons and tooltips."""
        self.pairs_label.setText(self.tr("Most confused pairs:"))
        self.threshold_title.setText(self.tr("Reject threshold:"))
        for widget, tip in (
                (self.digit_bars, self.tr("Share of each true digit read right")),
                (self.matrix, self.tr("Rows: true digit; columns: what the model read. Click "
                                      "a cell for its images, a header for all of that "
                                      "digit's errors.")),
                (self.percent_box, self.tr("Show each row as percentages of the true digit "
                                           "instead of counts")),
                (self.pairs, self.tr("The most frequent errors; click one for its images")),
                (self.gallery, self.tr("Most confident first. Double-click an image (or "
                                       "press Ctrl+Return) to put it on the Draw tab's "
                                       "canvas.")),
                (self.canvas_button, self.tr("Put the chosen image on the Draw tab's canvas, "
                                             "where every model reads it (Ctrl+Return)")),
                (self.threshold, self.tr("Below this confidence the app answers \"not "
                                         "sure\"")),
                (self.curve, self.tr("Blue: share of images answered; green: accuracy on "
                                     "those answered"))):
            widget.setToolTip(tip)
        self.percent_box.setText(self.tr("&Row percentages"))
        self.canvas_button.setText(self.tr("Put on &Canvas"))

    # ------------------------------------------------------------------ the evaluation

    def show_evaluation(self, evaluation: Evaluation, comparison: Comparison | None) -> None:
        """Show ``evaluation`` (the first model's), or where it and a second model disagree
        when ``comparison`` is given."""
        self.evaluation, self.comparison = evaluation, comparison
        self._fill_sides()
        self.show_view()

    def _fill_sides(self) -> None:
        """The comparison's two sides, in the window's language."""
        side = self.side_box.currentData()
        self.side_box.blockSignals(True)
        self.side_box.clear()
        if self.comparison is not None:
            a, b = self.comparison.a.model, self.comparison.b.model
            self.side_box.addItem(self.tr("{0} right, {1} wrong").format(a, b), "a")
            self.side_box.addItem(self.tr("{0} right, {1} wrong").format(b, a), "b")
            self.side_box.setCurrentIndex(max(0, self.side_box.findData(side)))
        self.side_box.setVisible(self.comparison is not None)
        self.side_box.blockSignals(False)

    def side(self) -> str:
        return self.side_box.currentData() or "a"

    def view(self):
        """What the matrix shows: the evaluation, or one side of the comparison."""
        if self.comparison is not None:
            return self.comparison.side(self.side())
        return self.evaluation

    def show_view(self) -> None:
        """The matrix, bars, pairs and curve of :meth:`view`, and an empty gallery."""
        ev = self.evaluation
        if ev is None:
            return
        self.digit_bars.set_values(ev.per_digit_accuracy())
        view = self.view()
        self.matrix.set_matrix(view.matrix(), diagonal_apart=self.comparison is None)
        self._pairs = view.pairs()
        self._pair_cells = [(p.true, p.read) for p in self._pairs]
        self._fill_pairs(keep_row=False)
        self.curve.set_curve(ev.reject_curve())
        self.update_threshold()
        self.set_gallery(np.zeros(0, dtype=np.int64), self._no_cell_caption)

    def _fill_pairs(self, keep_row: bool = True) -> None:
        """The most confused pairs, in the window's language."""
        row = self.pairs.currentRow() if keep_row else -1
        self.pairs.blockSignals(True)
        self.pairs.clear()
        for p in self._pairs:
            self.pairs.addItem(self.tr("{0} read as {1}: {2}").format(p.true, p.read, p.count))
        self.pairs.setCurrentRow(row)
        self.pairs.blockSignals(False)

    def update_threshold(self) -> None:
        threshold = self.threshold.value() / 100
        self.curve.set_threshold(threshold)
        if self.evaluation is None:
            return
        coverage, accuracy = self.evaluation.reject_curve(np.array([threshold])).at(threshold)
        accuracy_text = "-" if np.isnan(accuracy) else f"{100 * accuracy:.2f}%"
        self.threshold_label.setText(self.tr(
            "Below {0}% confidence: \"not sure\". Answers {1:.1f}% of the images, {2} of those "
            "right.").format(self.threshold.value(), 100 * coverage, accuracy_text))

    # ------------------------------------------------------------------ the gallery

    def _no_cell_caption(self) -> str:
        return self.tr("Click a cell of the matrix to see its images.")

    def set_gallery(self, indices: np.ndarray, caption) -> None:
        """Show the images at ``indices``, under ``caption()`` (a function that words it)."""
        ev = self.evaluation
        shown = [ev] if self.comparison is None else [self.comparison.a, self.comparison.b]
        self.gallery_model.set_items(indices, ev.images, ev.labels,
                                     [(e.predictions, e.confidence) for e in shown])
        comparison = self.comparison

        def text() -> str:
            if comparison is None:
                return caption()
            return caption() + self.tr(" (upper line: {0}, lower line: {1})").format(
                comparison.a.model, comparison.b.model)

        self._caption_words = text
        self.gallery_caption.setText(text())
        if len(indices):
            self.gallery.setCurrentIndex(self.gallery_model.index(0))

    def _count_caption(self, n: int, what: str) -> str:
        return self.tr("%n image(s): {0}, most confident first", "", n).format(what)

    def show_cell(self, true: int, read: int) -> None:
        if self.evaluation is not None:
            indices = self.view().cell(true, read)
            self.set_gallery(indices, lambda: self._count_caption(
                len(indices), self.tr("true {0}, read as {1}").format(true, read)))

    def show_row(self, true: int) -> None:
        if self.evaluation is not None:
            indices = self.view().row(true)
            self.set_gallery(indices, lambda: self._count_caption(
                len(indices), self.tr("every {0} read wrong").format(true)))

    def show_column(self, read: int) -> None:
        if self.evaluation is not None:
            indices = self.view().column(read)
            self.set_gallery(indices, lambda: self._count_caption(
                len(indices), self.tr("every other digit read as {0}").format(read)))

    def on_pair_chosen(self, row: int) -> None:
        if 0 <= row < len(self._pair_cells):
            self.matrix.selected = ("cell", *self._pair_cells[row])
            self.matrix.update()
            self.show_cell(*self._pair_cells[row])

    def send_to_canvas(self, index) -> None:
        """Send the gallery image at ``index`` to the canvas, then its true label."""
        if self.evaluation is None or not index.isValid():
            return
        image_index = self.gallery_model.data(index, GalleryModel.IMAGE_INDEX)
        self.drawingRequested.emit(self.evaluation.images[image_index].copy())
        self.trueLabelSent.emit(int(self.evaluation.labels[image_index]))
