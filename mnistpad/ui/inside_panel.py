"""The Inside panel: every layer of the active model reading the current drawing, live.

A dock beside the canvas rather than a tab: the point is to watch the layers change while
drawing, and a tab would hide the canvas. It computes nothing while hidden. The main window
hands it each reading (:meth:`InsidePanel.show_drawing`) and each stroke end
(:meth:`InsidePanel.explain`); the panel does its work on the next turn of the event loop,
after the prediction is painted, so drawing and the prediction never wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core import lazy

if TYPE_CHECKING:
    from mnistpad.core.inspect import Tiling

# core.inspect imports torch: loaded on first use, after the window is on screen
inside = lazy.module("mnistpad.core.inspect")

MAX_WIDTH = 320
MAX_SCALE = 10
MIN_HEIGHT = 10

Describe = Callable[[int, int, int], str]


class CellMap(QWidget):
    """A picture of numbers (a layer's output, weights, the input) with hard pixel edges.
    Hovering names the cell under the mouse; clicking emits ``cellClicked`` with the cell
    (the unit or channel)."""

    cellClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, max_width: int = MAX_WIDTH):
        super().__init__(parent)
        self.max_width = max_width
        self.values: np.ndarray | None = None
        self.tiling: Tiling | None = None
        self._describe: Describe | None = None
        self._image = QImage()
        self._make_picture: Callable[[], np.ndarray] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_values(self, values: np.ndarray, describe: Describe,
                   dropped: np.ndarray | None = None, tiling: Tiling | None = None) -> None:
        """Show ``values`` (a layer output or weights) in the warm/blue colour scale. The
        picture is made when the widget is next painted: a layer scrolled out of view costs
        nothing until it is scrolled into view."""
        tiling = tiling or inside.Tiling.for_shape(values.shape)
        self._show(tiling, describe, values, lambda: inside.picture(values, tiling, dropped))

    def set_rgb(self, rgb: np.ndarray, tiling: Tiling, describe: Describe,
                values: np.ndarray | None = None) -> None:
        self._show(tiling, describe, values, lambda: rgb)

    def _show(self, tiling: Tiling, describe: Describe, values: np.ndarray | None,
              make_picture: Callable[[], np.ndarray]) -> None:
        self.values, self.tiling, self._describe = values, tiling, describe
        self._make_picture, self._image = make_picture, QImage()
        height, width = tiling.size
        scale = min(MAX_SCALE, self.max_width / width)
        self.setFixedSize(QSize(max(1, round(width * scale)),
                                max(MIN_HEIGHT, round(height * scale))))
        self.update()

    def picture(self) -> QImage:
        """The picture shown, made now if it has not been yet."""
        if self._image.isNull() and self._make_picture is not None:
            rgb = np.ascontiguousarray(self._make_picture())
            height, width = rgb.shape[:2]
            # RGB32 draws scaled 20 times faster than RGB888: convert once, not in every paint
            self._image = QImage(rgb.data, width, height, 3 * width,
                                 QImage.Format.Format_RGB888).convertToFormat(
                                     QImage.Format.Format_RGB32)
        return self._image

    def clear(self) -> None:
        self.values, self.tiling, self._describe, self._make_picture = None, None, None, None
        self._image = QImage()
        self.update()

    def cell_at(self, pos: QPoint) -> tuple[int, int, int] | None:
        if self.tiling is None or self.width() == 0 or self.height() == 0:
            return None
        height, width = self.tiling.size
        return self.tiling.locate(int(pos.y() * height / self.height()),
                                  int(pos.x() * width / self.width()))

    def text_at(self, pos: QPoint) -> str | None:
        cell = self.cell_at(pos)
        return None if cell is None or self._describe is None else self._describe(*cell)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.text_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mousePressEvent(self, event) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.cellClicked.emit(cell[0])

    def paintEvent(self, event) -> None:
        image = self.picture()
        if image.isNull():
            return
        painter = QPainter(self)
        painter.drawImage(self.rect(), image)
        painter.end()


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>", wordWrap=True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class InsidePanel(QDockWidget):
    """Inside the active model: input, every layer, output, weights and saliency."""

    updated = Signal()

    def __init__(self, state=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Inside the Model"))
        self.setObjectName("insidePanel")
        self.state = state
        self.classifier = None
        self.pixels: np.ndarray | None = None
        self.inspection: inside.Inspection | None = None
        self.saliency_map: np.ndarray | None = None
        self.layer_maps: dict[int, CellMap] = {}
        self.incoming: inside.IncomingWeights | None = None
        self._weights: inside.WeightImages | None = None
        self._layout_key = self._weights_key = None
        self._batch_model_of = (None, None)
        self._reading_stale = self._saliency_stale = False
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.update_now)
        self._build()
        if state is not None:
            state.readingChanged.connect(self.on_reading_changed)
            state.drawingSettled.connect(self.explain)
            self.on_reading_changed()

    def on_reading_changed(self) -> None:
        """The app state's drawing or active model changed."""
        self.show_drawing(self.state.active_classifier(), self.state.pixels)

    def changeEvent(self, event) -> None:
        """A live language switch: the layer titles, the member list and the texts again."""
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Inside the Model"))
            self._layout_key = self._weights_key = None
            self.member.clear()
            self._reading_stale = self._saliency_stale = True
            self._schedule()
        super().changeEvent(event)

    # ------------------------------------------------------------------ construction

    def _build(self) -> None:
        self.summary = QLabel(objectName="insideSummary", wordWrap=True)
        self.method = QComboBox(objectName="saliencyMethod")
        # core.inspect.SALIENCY_METHODS, named here without importing torch at start
        for method, label in (("gradient_x_input", self.tr("gradient × input")),  # noqa: RUF001
                              ("occlusion", self.tr("occlusion"))):
            self.method.addItem(label, method)
        self.method.setToolTip(self.tr("How the saliency map is computed (dropout off)"))
        self.target = QComboBox(objectName="saliencyTarget")
        self.target.addItem(self.tr("the digit read"), -1)
        for digit in range(10):
            self.target.addItem(str(digit), digit)
        self.target.setToolTip(self.tr("Which pixels push the reading towards this digit"))
        self.member = QComboBox(objectName="ensembleMember")
        self.member.setToolTip(self.tr("Which member of the ensemble to look inside"))
        for combo in (self.method, self.target):
            combo.currentIndexChanged.connect(self.on_saliency_choice)
        self.member.currentIndexChanged.connect(self.on_member_chosen)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Why: ")))
        controls.addWidget(self.method)
        controls.addWidget(QLabel(self.tr(" towards ")))
        controls.addWidget(self.target)
        controls.addStretch(1)
        members = QHBoxLayout()
        self.member_label = QLabel(self.tr("Ensemble member shown: "))
        members.addWidget(self.member_label)
        members.addWidget(self.member)
        members.addStretch(1)

        self.input_map = CellMap(max_width=28 * 6)
        self.input_map.setObjectName("insideInput")
        self.vector_map = CellMap()
        self.vector_map.setObjectName("insideVector")
        self.vector_caption = QLabel(self.tr("…and as the 784 numbers an MLP reads, row by row:"))
        self.layers_box = QVBoxLayout()
        self.output = QLabel(objectName="insideOutput")
        self.weights_caption = _heading("")
        self.weights_map = CellMap()
        self.weights_map.setObjectName("insideWeights")
        self.weights_map.cellClicked.connect(self.on_weight_image_clicked)
        self.incoming_caption = QLabel(self.tr("Click a unit or a channel to see its incoming "
                                               "weights."), wordWrap=True)
        self.incoming_map = CellMap()
        self.incoming_map.setObjectName("insideIncoming")

        column = QVBoxLayout()
        column.addWidget(self.summary)
        column.addLayout(controls)
        column.addLayout(members)
        column.addWidget(_heading(self.tr("The input as the model gets it, with the saliency "
                                          "map")))
        column.addWidget(self.input_map)
        column.addWidget(self.vector_caption)
        column.addWidget(self.vector_map)
        column.addWidget(_heading(self.tr("Layers, in order")))
        column.addLayout(self.layers_box)
        column.addWidget(_heading(self.tr("Output: logits and softmax probabilities")))
        column.addWidget(self.output)
        column.addWidget(self.weights_caption)
        column.addWidget(self.weights_map)
        column.addWidget(_heading(self.tr("Incoming weights")))
        column.addWidget(self.incoming_caption)
        column.addWidget(self.incoming_map)
        column.addStretch(1)
        body = QWidget()
        body.setLayout(column)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setMinimumWidth(MAX_WIDTH + 40)
        self.setWidget(scroll)
        self._clear()

    # ------------------------------------------------------------------ feeding

    def show_drawing(self, classifier, pixels: np.ndarray | None) -> None:
        """The active classifier and the current 28x28 drawing (None: nothing drawn)."""
        self.classifier, self.pixels = classifier, pixels
        self._reading_stale = True
        self._schedule()

    def explain(self) -> None:
        """The drawing has settled (a stroke ended, the model changed): recompute the
        heavier saliency map too."""
        self._saliency_stale = True
        self._schedule()

    def _schedule(self) -> None:
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._schedule()

    @property
    def up_to_date(self) -> bool:
        """Whether the panel shows the last drawing and model handed to it."""
        return not (self._reading_stale or self._saliency_stale)

    @property
    def member_index(self) -> int:
        return max(0, self.member.currentIndex())

    def update_now(self) -> None:
        """Bring the panel up to date with the last drawing and model (if it is shown)."""
        if not self.isVisible() or self.up_to_date:
            return
        self._sync_model()
        if self.classifier is None or self.pixels is None:
            self._clear()
        else:
            if self._reading_stale or self.inspection is None:
                self.inspection = inside.inspect(self.classifier.model, self.pixels)
                self._show_inspection()
                self.saliency_map = None  # until the stroke ends: the map is not live
            if self._saliency_stale:
                self._compute_saliency()
            self._show_input()
        self._reading_stale = self._saliency_stale = False
        self.updated.emit()

    # ------------------------------------------------------------------ showing

    def _clear(self) -> None:
        self.inspection, self.saliency_map = None, None
        self._set_layout(None)
        self.input_map.clear()
        self.vector_map.clear()
        self.output.setText("")
        if self.classifier is None:
            self.summary.setText(self.tr("No model."))
        else:
            self.summary.setText(self.tr("Draw a digit to see {0} read it, layer by layer.")
                                 .format(self.classifier.name))

    def _set_layout(self, key) -> None:
        """Rebuild the layer rows when the model or the ensemble member changes (``key``),
        not on every reading."""
        if key == self._layout_key:
            return
        self._layout_key = key
        while self.layers_box.count():
            item = self.layers_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.layer_maps = {}
        self.incoming = None
        self.incoming_map.clear()
        if key is None:
            return
        reading = self.inspection.members[self.member_index]
        for layer in reading.layers:
            title = QLabel(self._layer_title(layer), wordWrap=True)
            self.layers_box.addWidget(title)
            if layer.kind == "Flatten":
                continue
            cell_map = CellMap()
            cell_map.setObjectName(f"insideLayer{layer.index}")
            cell_map.cellClicked.connect(lambda unit, i=layer.index: self.show_incoming(i, unit))
            self.layers_box.addWidget(cell_map)
            self.layer_maps[layer.index] = cell_map

    def _layer_title(self, layer: inside.Layer) -> str:
        shape = " x ".join(str(n) for n in layer.shape)
        if layer.kind == "Flatten":
            return self.tr("{0}. Flatten: the maps above as {1} numbers").format(layer.index,
                                                                                 shape)
        if layer.dropped is not None:
            return self.tr("{0}. {1} ({2}); dark red: what dropout would drop while "
                           "training").format(layer.index, layer.kind, shape)
        return self.tr("{0}. {1} ({2})").format(layer.index, layer.kind, shape)

    def _sync_model(self) -> None:
        """The member list and the weight pictures follow the model, drawing or not."""
        model = None if self.classifier is None else self.classifier.model
        count = 0 if model is None else len(inside.networks(model))
        self.member.setVisible(count > 1)
        self.member_label.setVisible(count > 1)
        if self.member.count() != count:
            self.member.blockSignals(True)
            self.member.clear()
            for n in range(count):
                self.member.addItem(self.tr("{0} of {1}").format(n + 1, count))
            self.member.blockSignals(False)
        key = None if model is None else (self.classifier, self.member_index)
        if key != self._weights_key:
            self._weights_key = key
            self._show_weights()

    def _show_inspection(self) -> None:
        result = self.inspection
        self._set_layout((self.classifier, self.member_index))
        reading = result.members[self.member_index]
        for layer in reading.layers:
            if layer.index in self.layer_maps:
                self.layer_maps[layer.index].set_values(layer.values, self._describer(layer),
                                                        layer.dropped)
        flat = result.model_input.ndim == 1
        self.vector_caption.setVisible(flat)
        self.vector_map.setVisible(flat)
        if flat:
            self.vector_map.set_values(result.model_input, self._describe_vector,
                                       tiling=inside.Tiling(784, 784, 1, 1, 0))
        self.summary.setText(self._summary_text(result))
        self.output.setText(self._output_table(reading))

    def _summary_text(self, result: inside.Inspection) -> str:
        digit = result.digit
        text = self.tr("{0} reads {1} ({2:.1f}%).").format(
            self.classifier.name, digit, 100 * result.probabilities[digit])
        if result.is_ensemble:
            members = " · ".join(
                self.tr("{0}: {1} ({2:.0f}%)").format(n + 1, m.digit, 100 * m.probabilities.max())
                for n, m in enumerate(result.members))
            text += " " + self.tr("Members: {0}. The ensemble averages their "
                                  "probabilities.").format(members)
        return text

    def _output_table(self, reading: inside.NetworkReading) -> str:
        """Digits 0-4 and 5-9 in two blocks, each a row of digits, logits and softmax."""
        best = reading.digit
        rows = []
        for digits in (range(5), range(5, 10)):
            cells = [["", self.tr("logit"), self.tr("softmax")]]
            for digit in digits:
                mark = "<b>{0}</b>" if digit == best else "{0}"
                cells.append([mark.format(digit), mark.format(f"{reading.logits[digit]:.2f}"),
                              mark.format(f"{100 * reading.probabilities[digit]:.1f}%")])
            rows += ["<tr>" + "".join(f"<td align='right'>&nbsp;{c}&nbsp;</td>" for c in row)
                     + "</tr>" for row in zip(*cells, strict=True)]
        return f"<table>{''.join(rows)}</table>"

    def _describer(self, layer: inside.Layer) -> Describe:
        values, dropped = layer.values, layer.dropped

        def describe(cell: int, y: int, x: int) -> str:
            if values.ndim == 1:
                text = self.tr("Layer {0} ({1}), unit {2}: {3:.4f}").format(
                    layer.index, layer.kind, cell, float(values[cell]))
                dropped_now = dropped is not None and bool(dropped[cell])
            else:
                text = self.tr("Layer {0} ({1}), channel {2} at row {3}, column {4}: "
                               "{5:.4f}").format(layer.index, layer.kind, cell, y, x,
                                                 float(values[cell, y, x]))
                dropped_now = dropped is not None and bool(dropped[cell, y, x])
            if dropped_now:
                text += "\n" + self.tr("Dropout would drop this one while training.")
            return text + "\n" + self.tr("Click for its incoming weights.")

        return describe

    def _describe_vector(self, cell: int, _y: int, _x: int) -> str:
        row, col = divmod(cell, 28)
        return self.tr("Input {0} = pixel at row {1}, column {2}: {3:.3f}").format(
            cell, row, col, float(self.inspection.model_input[cell]))

    def _describe_input(self, _cell: int, y: int, x: int) -> str:
        text = self.tr("Pixel at row {0}, column {1}: ink {2:.3f}").format(
            y, x, float(self.pixels[y, x]))
        if self.saliency_map is not None:
            text += "\n" + self.tr("Saliency towards {0}: {1:+.4f}").format(
                self._target_digit(), float(self.saliency_map[y, x]))
        return text

    # ------------------------------------------------------------------ saliency

    def _target_digit(self) -> int:
        chosen = self.target.currentData()
        return self.inspection.digit if chosen is None or chosen < 0 else int(chosen)

    def _batch_model(self):
        """The active model as :func:`inside.for_batches` prepares it, made once per model."""
        if self._batch_model_of[0] is not self.classifier:
            self._batch_model_of = (self.classifier,
                                    inside.for_batches(self.classifier.model))
        return self._batch_model_of[1]

    def _compute_saliency(self) -> None:
        method = self.method.currentData()
        model = self._batch_model() if method == "occlusion" else self.classifier.model
        self.saliency_map = inside.saliency(model, self.pixels, self._target_digit(), method)

    def _show_input(self) -> None:
        """The drawing, with the saliency map over it once the stroke has ended."""
        heat = np.zeros((28, 28), np.float32) if self.saliency_map is None else self.saliency_map
        self.input_map.set_rgb(inside.overlay(self.pixels, heat),
                               inside.Tiling.for_shape((28, 28)),
                               self._describe_input, self.pixels)

    def on_saliency_choice(self) -> None:
        self.explain()

    def on_member_chosen(self) -> None:
        self._sync_model()
        if self.inspection is not None:
            self._show_inspection()

    # ------------------------------------------------------------------ weights

    def _show_weights(self) -> None:
        self.weights_map.clear()
        self.weights_caption.setText("")
        self._weights = None
        if self.classifier is None:
            return
        weights = inside.weight_images(self.classifier.model, self.member_index)
        shown, tiling = weights.shown()
        self._weights = weights
        caption = {"filters": self.tr("Weights: the first convolution's 3x3 filters"),
                   "templates": self.tr("Weights: softmax's ten templates, digits 0-9 "
                                        "(warm: ink here raises the digit's score, blue: "
                                        "lowers it)"),
                   "units": self.tr("Weights: the first layer's {0} strongest units of {1}, "
                                    "each as a 28x28 image").format(len(shown),
                                                                    len(weights.images))}
        self.weights_caption.setText(f"<b>{caption[weights.kind]}</b>")

        name = {"filters": self.tr("filter {0}"), "templates": self.tr("digit {0}"),
                "units": self.tr("unit {0}")}[weights.kind]

        def describe(cell: int, y: int, x: int) -> str:
            return self.tr("{0}: weight at row {1}, column {2}: {3:+.4f}").format(
                name.format(int(weights.units[cell])), y, x, float(shown[cell, y, x]))

        self.weights_map.set_values(shown, describe, tiling=tiling)

    def on_weight_image_clicked(self, cell: int) -> None:
        if self._weights is not None:
            self.show_incoming(0, int(self._weights.units[cell]))

    def show_incoming(self, layer: int, unit: int) -> None:
        """Show the incoming weights of ``unit`` (a unit or a channel) of ``layer``."""
        if self.classifier is None:
            return
        weights = inside.incoming_weights(self.classifier.model, layer, unit, self.member_index)
        if weights is None:
            self.incoming_caption.setText(self.tr("Layer {0} has no weights of its own.")
                                          .format(layer))
            self.incoming_map.clear()
            return
        self.incoming_caption.setText(
            self.tr("Unit {0} of layer {1} ({2}) reads its input with these weights "
                    "(shape {3}).").format(unit, weights.layer, weights.kind,
                                           " x ".join(str(n) for n in weights.values.shape)))
        values = weights.values

        def describe(cell: int, y: int, x: int) -> str:
            value = values[cell] if values.ndim == 1 else (
                values[y, x] if values.ndim == 2 else values[cell, y, x])
            return self.tr("Weight {0} (row {1}, column {2}): {3:+.4f}").format(
                cell, y, x, float(value))

        self.incoming_map.set_values(values, describe)
        self.incoming = weights
