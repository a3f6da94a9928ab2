"""The Evaluate tab's widgets and their layout: the choices and buttons on top, the confusion
matrix left, the summary, per-digit bars, confused pairs and reject curve right, the gallery
below. A mixin of :class:`~mnistpad.ui.evaluate.panel.EvaluatePanel`, which connects the
widgets to its slots; their static texts are set in :meth:`_retranslate_widgets`."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mnistpad.ui.evaluate.plots import (
    ConfusionMatrixView,
    DigitAccuracyBars,
    GalleryModel,
    RejectCurveView,
)

DEFAULT_THRESHOLD = 60  # percent; the Draw tab's "not sure" line
# narrow enough that the whole tab fits an 800x600 window without sideways scrolling
PAIRS_MIN_WIDTH = 110


class EvaluateLayout:
    """Builds the tab's widgets (see the module doc)."""

    def _build(self) -> None:
        self.model_box = QComboBox(objectName="evalModel")
        self.data_box = QComboBox(objectName="evalDataSet")
        self.compare_box = QComboBox(objectName="evalCompare")
        for box in (self.model_box, self.compare_box):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(11)
        # a data set's name is long ("Drawn digits of writers 25-30"): shown whole
        self.data_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.evaluate_button = QPushButton(objectName="evalButton")
        self.evaluate_button.setShortcut("F5")
        self.cancel_button = QPushButton(objectName="evalCancel")
        self.cancel_button.setShortcut("Ctrl+.")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(objectName="evalProgress", maximum=1000)
        self.progress.setMinimumWidth(110)
        self.summary = QLabel("", objectName="evalSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.digit_bars = DigitAccuracyBars()
        self.matrix = ConfusionMatrixView()
        self.percent_box = QCheckBox(objectName="evalPercent")
        self.side_box = QComboBox(objectName="evalSide")
        self.side_box.setVisible(False)
        self.pairs = QListWidget(objectName="evalPairs")
        self.pairs.setMinimumWidth(PAIRS_MIN_WIDTH)
        self.gallery_caption = QLabel(objectName="evalGalleryCaption")
        self.gallery_caption.setWordWrap(True)
        self._build_gallery()
        self.threshold = QSlider(Qt.Orientation.Horizontal, objectName="evalThreshold")
        self.threshold.setRange(0, 99)
        self.threshold.setValue(DEFAULT_THRESHOLD)
        self.threshold_label = QLabel("", objectName="evalThresholdText")
        self.threshold_label.setWordWrap(True)
        self.curve = RejectCurveView()
        self._labels = [QLabel() for _ in range(5)]  # Model, Data set, Compare, Pairs, Reject
        self._lay_out()

    def _build_gallery(self) -> None:
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

    def _retranslate_widgets(self) -> None:
        """The static texts: labels, buttons and tooltips."""
        texts = (self.tr("Model:"), self.tr("Data set:"), self.tr("Compare with:"),
                 self.tr("Most confused pairs:"), self.tr("Reject threshold:"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        for widget, tip in (
                (self.model_box, self.tr("The model to evaluate")),
                (self.data_box, self.tr("The data set to read")),
                (self.compare_box, self.tr("A second model: the matrix then shows where the "
                                           "two disagree")),
                (self.evaluate_button, self.tr("Evaluate the model on the data set (F5)")),
                (self.cancel_button, self.tr("Stop the evaluation (Ctrl+.)")),
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
        self.evaluate_button.setText(self.tr("Evaluate"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.percent_box.setText(self.tr("&Row percentages"))
        self.canvas_button.setText(self.tr("Put on &Canvas"))

    def _controls(self) -> QVBoxLayout:
        """The choices on one row, the buttons and the progress on the next: on one row they
        are wider than an 800x600 window."""
        choices = QHBoxLayout()
        for label, widget in zip(self._labels, (self.model_box, self.data_box,
                                                self.compare_box), strict=False):
            choices.addWidget(label)
            choices.addWidget(widget)
        choices.addStretch(1)
        run = QHBoxLayout()
        run.addWidget(self.evaluate_button)
        run.addWidget(self.cancel_button)
        run.addWidget(self.progress, 1)
        controls = QVBoxLayout()
        controls.addLayout(choices)
        controls.addLayout(run)
        return controls

    def _lay_out(self) -> None:
        left = QVBoxLayout()
        matrix_bar = QHBoxLayout()
        matrix_bar.addWidget(self.percent_box)
        matrix_bar.addWidget(self.side_box)
        matrix_bar.addStretch(1)
        left.addLayout(matrix_bar)
        left.addWidget(self.matrix, 1)
        right = QGridLayout()
        right.addWidget(self.summary, 0, 0, 1, 2)
        right.addWidget(self.digit_bars, 1, 0, 1, 2)
        right.addWidget(self._labels[3], 2, 0)
        right.addWidget(self.pairs, 3, 0)
        reject = QVBoxLayout()
        reject.addWidget(self._labels[4])
        reject.addWidget(self.threshold)
        reject.addWidget(self.threshold_label)
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
        layout.addLayout(self._controls())
        layout.addWidget(split, 1)
