"""The Inside panel: every layer of the active model reading the current drawing, live.

A dock beside the canvas rather than a tab: the point is to watch the layers change while
drawing, and a tab would hide the canvas. It computes nothing while hidden. It observes the
app state: the drawing, its reading and the active model's classifier are the state's, read
when the panel updates; each new reading (``readingChanged``) and each stroke end
(``drawingSettled``) mark it out of date, and it does its work on the next turn of the event
loop, after the prediction is painted, so drawing and the prediction never wait for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mnistpad.ui.inside.parts import PartsSection, heading
from mnistpad.ui.widgets.cell_map import MAX_WIDTH, CellMap, Describe, inside
from mnistpad.ui.widgets.colour_key import ColourKey
from mnistpad.ui.widgets.probabilities import Retranslates

if TYPE_CHECKING:
    from mnistpad.ui.state.app_state import AppState


class InsidePanel(Retranslates, QDockWidget):
    """Inside the active model: input, every layer, output, weights and saliency."""

    updated = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("insidePanel")
        self.state = state
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
        self._layer_titles: list[tuple[QLabel, inside.Layer]] = []
        self._shown_reading: inside.NetworkReading | None = None
        self._summary_words = self._weights_words = str
        self._incoming_words = lambda: self.tr("Click a unit or a channel to see its incoming "
                                              "weights.")
        self._build()
        self.retranslate()
        state.readingChanged.connect(self.on_reading_changed)
        state.drawingSettled.connect(self.explain)
        self.on_reading_changed()

    # what the panel shows is the state's, never a copy of it

    @property
    def classifier(self):
        """The active model's classifier (None while it loads)."""
        return self.state.active_classifier()

    @property
    def pixels(self) -> np.ndarray | None:
        """The current 28x28 drawing (None: nothing drawn)."""
        return self.state.pixels

    @property
    def parts(self):
        """The reading in parts of a model that reads the strokes too, or None."""
        return self.state.parts

    @property
    def strokes(self):
        return self.state.strokes

    # ------------------------------------------------------------------ construction

    def _build(self) -> None:
        self.summary = QLabel(objectName="insideSummary", wordWrap=True)
        self.parts_section = PartsSection()
        self.method = QComboBox(objectName="saliencyMethod")
        # core.lessons.inside.SALIENCY_METHODS, named here without importing torch at start
        for method in ("gradient_x_input", "occlusion"):
            self.method.addItem("", method)
        self.target = QComboBox(objectName="saliencyTarget")
        for digit in range(-1, 10):
            self.target.addItem(str(digit), digit)
        self.member = QComboBox(objectName="ensembleMember")
        for combo in (self.method, self.target):
            combo.currentIndexChanged.connect(self.on_saliency_choice)
        self.member.currentIndexChanged.connect(self.on_member_chosen)
        self.why_label, self.towards_label, self.member_label = QLabel(), QLabel(), QLabel()
        self.input_map = CellMap(max_width=28 * 6)
        self.input_map.setObjectName("insideInput")
        self.vector_map = CellMap()
        self.vector_map.setObjectName("insideVector")
        self.vector_caption = QLabel()
        self.layers_box = QVBoxLayout()
        self.output = QLabel(objectName="insideOutput")
        self.weights_caption = heading()
        self.weights_map = CellMap()
        self.weights_map.setObjectName("insideWeights")
        self.weights_map.cellClicked.connect(self.on_weight_image_clicked)
        self.incoming_caption = QLabel(wordWrap=True)
        self.incoming_map = CellMap()
        self.incoming_map.setObjectName("insideIncoming")
        self._headings = [heading() for _ in range(4)]  # input, layers, output, incoming
        self.layers_key, self.weights_key = ColourKey(), ColourKey()
        self.layers_key.setObjectName("insideLayersKey")
        self.weights_key.setObjectName("insideWeightsKey")
        self._lay_out()
        self._clear()

    def _lay_out(self) -> None:
        # two rows: side by side, "towards" and its box run past the panel's default width
        controls = QGridLayout()
        controls.addWidget(self.why_label, 0, 0)
        controls.addWidget(self.method, 0, 1)
        controls.addWidget(self.towards_label, 1, 0)
        controls.addWidget(self.target, 1, 1)
        controls.setColumnStretch(2, 1)
        members = QHBoxLayout()
        members.addWidget(self.member_label)
        members.addWidget(self.member)
        members.addStretch(1)
        column = QVBoxLayout()
        for item in (self.summary, self.parts_section, controls, members, self._headings[0],
                     self.input_map, self.vector_caption, self.vector_map, self._headings[1],
                     self.layers_key, self.layers_box, self._headings[2], self.output,
                     self.weights_caption, self.weights_key, self.weights_map,
                     self._headings[3], self.incoming_caption, self.incoming_map):
            if isinstance(item, QWidget):
                column.addWidget(item)
            else:
                column.addLayout(item)
        column.addStretch(1)
        body = QWidget()
        body.setLayout(column)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setMinimumWidth(MAX_WIDTH + 40)
        # every picture is at most MAX_WIDTH wide and the texts wrap: nothing to scroll to
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(scroll)

    def retranslate(self) -> None:
        """Every text of the panel in the language now installed: the static ones, the layer
        titles, the member list and what is shown (summary, output, captions)."""
        self.setWindowTitle(self.tr("Inside the Model"))
        self.method.setItemText(0, self.tr("gradient × input"))  # noqa: RUF001
        self.method.setItemText(1, self.tr("occlusion"))
        self.method.setToolTip(self.tr("How the saliency map is computed (dropout off)"))
        self.target.setItemText(0, self.tr("the digit read"))
        self.target.setToolTip(self.tr("Which pixels push the reading towards this digit"))
        self.member.setToolTip(self.tr("Which member of the ensemble to look inside"))
        self.why_label.setText(self.tr("Why: "))
        self.towards_label.setText(self.tr("Towards: "))
        self.member_label.setText(self.tr("Ensemble member shown: "))
        self.vector_caption.setText(self.tr("…and as the 784 numbers an MLP reads, row by row:"))
        for label, text in zip(self._headings, (
                self.tr("The input as the model gets it, with the saliency map"),
                self.tr("Layers, in order"), self.tr("Output: logits and softmax probabilities"),
                self.tr("Incoming weights")), strict=True):
            label.setText(f"<b>{text}</b>")
        for label, layer in self._layer_titles:
            label.setText(self._layer_title(layer))
        for n in range(self.member.count()):
            self.member.setItemText(n, self.tr("{0} of {1}").format(n + 1, self.member.count()))
        self._show_texts()

    def _show_texts(self) -> None:
        """The summary, the output table and the captions of what is shown, each worded
        again by the function kept when it was shown."""
        self.summary.setText(self._summary_words())
        reading = self._shown_reading
        self.output.setText("" if reading is None else self._output_table(reading))
        self.weights_caption.setText(self._weights_words())
        self.incoming_caption.setText(self._incoming_words())

    # ------------------------------------------------------------------ feeding

    def on_reading_changed(self) -> None:
        """The state's drawing, its reading or the active model changed."""
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
        """Whether the panel shows the state's last drawing and model."""
        return not (self._reading_stale or self._saliency_stale)

    @property
    def member_index(self) -> int:
        return max(0, self.member.currentIndex())

    def update_now(self) -> None:
        """Bring the panel up to date with the state's drawing and model (if it is
        shown)."""
        if not self.isVisible() or self.up_to_date:
            return
        self._sync_model()
        drawn = self.classifier is not None and self.pixels is not None
        self.parts_section.show_parts(self.parts if drawn else None, self.strokes)
        if not drawn:
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
        self._shown_reading = None
        self.output.setText("")
        name = None if self.classifier is None else self.classifier.name
        if name is None:
            self._summary_words = lambda: self.tr("No model.")
        else:
            self._summary_words = lambda: self.tr(
                "Draw a digit to see {0} read it, layer by layer.").format(name)
        self.summary.setText(self._summary_words())

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
        self._layer_titles = []
        self.incoming = None
        self.incoming_map.clear()
        if key is None:
            return
        reading = self.inspection.members[self.member_index]
        for layer in reading.layers:
            title = QLabel(self._layer_title(layer), wordWrap=True)
            self._layer_titles.append((title, layer))
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
                cell_map = self.layer_maps[layer.index]
                cell_map.set_values(layer.values, self._describer(layer), layer.dropped)
                if layer.shape == (10,):  # the digits' scores: each labelled with its digit
                    cell_map.set_cell_labels([str(d) for d in range(10)])
        flat = result.model_input.ndim == 1
        self.vector_caption.setVisible(flat)
        self.vector_map.setVisible(flat)
        if flat:
            self.vector_map.set_values(result.model_input, self._describe_vector,
                                       tiling=inside.Tiling(784, 784, 1, 1, 0))
        classifier = self.classifier
        self._summary_words = lambda: self._summary_text(result, classifier.name)
        self.summary.setText(self._summary_words())
        self._shown_reading = reading
        self.output.setText(self._output_table(reading))

    def _summary_text(self, result: inside.Inspection, name: str) -> str:
        digit = result.digit
        text = self.tr("{0} reads {1} ({2:.1f}%).").format(
            name, digit, 100 * result.probabilities[digit])
        if result.is_ensemble:
            members = " · ".join(
                self.tr("{0}: {1} ({2:.0f}%)").format(n + 1, m.digit, 100 * m.probabilities.max())
                for n, m in enumerate(result.members))
            text += " " + self.tr("Members: {0}. The ensemble averages their "
                                  "probabilities.").format(members)
        if self.parts is not None and self.parts.combination is not None:  # strokes read too
            text += " " + self.tr("That is its picture's reading, layer by layer below; with "
                                  "the strokes it reads {0}.").format(self.parts.digit)
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
        self._weights_words = str
        self.weights_caption.setText("")
        self._weights = None
        if self.classifier is None:
            return
        weights = inside.weight_images(self.classifier.model, self.member_index)
        shown, tiling = weights.shown()
        self._weights = weights
        self._weights_words = lambda: f"<b>{self._weights_caption(weights, len(shown))}</b>"
        self.weights_caption.setText(self._weights_words())

        name = {"filters": self.tr("filter {0}"), "templates": self.tr("digit {0}"),
                "units": self.tr("unit {0}")}[weights.kind]

        def describe(cell: int, y: int, x: int) -> str:
            return self.tr("{0}: weight at row {1}, column {2}: {3:+.4f}").format(
                name.format(int(weights.units[cell])), y, x, float(shown[cell, y, x]))

        self.weights_map.set_values(shown, describe, tiling=tiling)
        if weights.kind == "templates":  # each template labelled with its digit
            self.weights_map.set_cell_labels([str(int(u)) for u in weights.units[:len(shown)]])

    def _weights_caption(self, weights: inside.WeightImages, shown: int) -> str:
        if weights.kind == "filters":
            return self.tr("Weights: the first convolution's 3x3 filters")
        if weights.kind == "templates":
            return self.tr("Weights: softmax's ten templates, digits 0-9 (warm: ink here raises "
                           "the digit's score, blue: lowers it)")
        return self.tr("Weights: the first layer's {0} strongest units of {1}, each as a 28x28 "
                       "image").format(shown, len(weights.images))

    def on_weight_image_clicked(self, cell: int) -> None:
        if self._weights is not None:
            self.show_incoming(0, int(self._weights.units[cell]))

    def show_incoming(self, layer: int, unit: int) -> None:
        """Show the incoming weights of ``unit`` (a unit or a channel) of ``layer``."""
        if self.classifier is None:
            return
        weights = inside.incoming_weights(self.classifier.model, layer, unit, self.member_index)
        if weights is None:
            self._incoming_words = lambda: self.tr(
                "Layer {0} has no weights of its own.").format(layer)
            self.incoming_caption.setText(self._incoming_words())
            self.incoming_map.clear()
            return
        self._incoming_words = lambda: self.tr(
            "Unit {0} of layer {1} ({2}) reads its input with these weights (shape {3}).").format(
            unit, weights.layer, weights.kind, " x ".join(str(n) for n in weights.values.shape))
        self.incoming_caption.setText(self._incoming_words())
        values = weights.values

        def describe(cell: int, y: int, x: int) -> str:
            value = values[cell] if values.ndim == 1 else (
                values[y, x] if values.ndim == 2 else values[cell, y, x])
            return self.tr("Weight {0} (row {1}, column {2}): {3:+.4f}").format(
                cell, y, x, float(value))

        self.incoming_map.set_values(values, describe)
        self.incoming = weights
