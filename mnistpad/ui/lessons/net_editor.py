"""The network editor: the lecture's exercise of designing one's own hidden layers.

It starts from a lab variant or from a saved model's recorded spec (an ensemble: from one of
its members) and edits the conv stages, if any, and the hidden layers: width, activation,
keep_prob and batch norm per layer; add, remove, reorder. The parameter count is redrawn in
the same event as the edit (arithmetic on the spec, nothing is built). The epoch time comes
from a short run of the real training loop in the background (:mod:`mnistpad.core.training.probe`),
started a moment after the last edit. A design past the limits says why in one line and
cannot be trained; a trainable one is handed on with ``trainingRequested`` (the Train tab
trains it like any lab variant) and the design is stored in the model file's spec.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import QEvent, QLocale, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.models.layers import (
    ACTIVATIONS,
    KERNELS,
    MAX_CHANNELS,
    MAX_CONV_STAGES,
    MAX_HIDDEN_LAYERS,
    MAX_PARAMETERS,
    MAX_WIDTH,
    PADDINGS,
    Breach,
    ConvStage,
    Layer,
    limit_breaches,
    network_parameters,
    shape_steps,
    shrinking_stage,
)
from mnistpad.core.models.specs import LAB_VARIANTS, OPTIMIZER_LABELS, VariantSpec, designed
from mnistpad.ui.widgets.layer_table import (
    RowTable,
    check_column,
    choice_column,
    keep_prob_column,
    spin_column,
)

PROBE_DELAY_MS = 800
_ACTIVATION_LABELS = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}
# The spin boxes reach past the limits on purpose: a design past them is explained, not hidden.
_WIDTH_INPUT_MAX = 100_000
_CHANNELS_INPUT_MAX = 10_000


def _next_layer(rows: list[Layer]) -> Layer:
    return rows[-1] if rows else Layer(128)


def _next_stage(rows: list[ConvStage]) -> ConvStage:
    return ConvStage(2 * rows[-1].channels if rows else 32)


def editable_start(spec: VariantSpec) -> VariantSpec:
    """The spec an edit starts from: an ensemble's member, else ``spec`` itself."""
    if spec.arch != "ensemble":
        return spec
    return spec.with_overrides(arch=spec.member_arch, members=1, member_arch="")


class NetEditor(QWidget):
    """``active_spec``, when given, returns the active model's recorded spec (or None), for
    "Start from the active model". ``probe_delay_ms`` None measures only on request."""

    designChanged = Signal(object)  # the VariantSpec, or None while the design is invalid
    trainingRequested = Signal(object)  # a trainable VariantSpec
    estimated = Signal(object)  # an EpochEstimate of the current design

    def __init__(self, runner, spec: VariantSpec | None = None,
                 active_spec: Callable[[], VariantSpec | None] | None = None,
                 probe_delay_ms: int | None = PROBE_DELAY_MS, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("netEditor")
        self._active_spec = active_spec
        self._base = editable_start(spec or LAB_VARIANTS["xavier"])
        self._spec: VariantSpec | None = None
        self._count: int | None = None
        self._shrinking: tuple[int, int] | None = None
        self._breaches: list[Breach] = []
        self._error = ""
        self.runner = runner  # the app's JobRunner: the epoch probe runs there
        self._probe = None
        self._estimate = None
        self._probe_timer = QTimer(self, singleShot=True, interval=probe_delay_ms or 0)
        self._probe_timer.timeout.connect(self.on_measure)
        self._auto_probe = probe_delay_ms is not None
        self._build()
        self.retranslate()
        self.start_from(self._base)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.start = QComboBox(objectName="netStart")
        for name in LAB_VARIANTS:
            self.start.addItem(name, name)
        self.start.activated.connect(self.on_start_chosen)
        self.from_active = QPushButton(objectName="netFromActive", clicked=self.on_from_active)
        self.from_active.setEnabled(self._active_spec is not None)
        self.start_label = QLabel()
        top = QHBoxLayout()
        for widget in (self.start_label, self.start, self.from_active):
            top.addWidget(widget)
        top.addStretch(1)
        self.convs = RowTable("netConvs", [
            spin_column("channels", 1, _CHANNELS_INPUT_MAX),
            choice_column("kernel", {k: f"{k}x{k}" for k in KERNELS}),
            choice_column("padding", {p: p for p in PADDINGS}),
            check_column("pool"),
            keep_prob_column(),
        ], _next_stage)
        self.layers = RowTable("netLayers", [
            spin_column("width", 1, _WIDTH_INPUT_MAX, 16),
            choice_column("activation", {a: _ACTIVATION_LABELS[a] for a in ACTIVATIONS}),
            keep_prob_column(),
            check_column("batch_norm"),
        ], _next_layer)
        self.convs_box, self.layers_box = QGroupBox(), QGroupBox()
        QVBoxLayout(self.convs_box).addWidget(self.convs)
        QVBoxLayout(self.layers_box).addWidget(self.layers)
        self.shapes = QLabel(objectName="netShapes", wordWrap=True)
        self.recipe = QLabel(objectName="netRecipe", wordWrap=True)
        self.parameters = QLabel(objectName="netParameters")
        self.estimate = QLabel(objectName="netEstimate", wordWrap=True)
        self.measure = QPushButton(objectName="netMeasure", clicked=self.on_measure)
        self.problem = QLabel(objectName="netProblem", wordWrap=True)
        self.problem.setStyleSheet("color: #c0392b")
        self.train = QPushButton(objectName="netTrain", clicked=self.on_train)
        figures = QHBoxLayout()
        figures.addWidget(self.parameters)
        figures.addWidget(self.estimate, 1)
        figures.addWidget(self.measure)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.convs_box)
        layout.addWidget(self.layers_box)
        layout.addWidget(self.shapes)
        layout.addWidget(self.recipe)
        layout.addLayout(figures)
        layout.addWidget(self.problem)
        layout.addWidget(self.train)
        self.convs.changed.connect(self.on_design_edited)
        self.layers.changed.connect(self.on_design_edited)

    def retranslate(self) -> None:
        self.start_label.setText(self.tr("Start from"))
        self.from_active.setText(self.tr("The active model's design"))
        self.convs_box.setTitle(self.tr("Convolution stages (none: a fully connected net)"))
        self.layers_box.setTitle(self.tr("Hidden layers"))
        self.convs.set_headers([self.tr("Channels"), self.tr("Kernel"), self.tr("Padding"),
                                self.tr("Max pool 2x2"), "keep_prob"])
        self.layers.set_headers([self.tr("Width"), self.tr("Activation"), "keep_prob",
                                 self.tr("Batch norm")])
        for table, noun in ((self.convs, self.tr("Add conv stage")),
                            (self.layers, self.tr("Add layer"))):
            table.set_button_texts(noun, self.tr("Remove"), self.tr("Move up"),
                                   self.tr("Move down"))
        self.measure.setText(self.tr("Measure the epoch time"))
        self.measure.setToolTip(self.tr("Time a few training batches of this design on this "
                                        "machine and scale them to an epoch"))
        self.train.setText(self.tr("Train this design"))
        self.setToolTip(self.limits_text())
        self._show_figures()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def limits_text(self) -> str:
        return self.tr(
            "Limits: up to {0} hidden layers of 1 to {1} units, up to {2} conv stages of 1 to "
            "{3} channels, at most {4} parameters").format(
            MAX_HIDDEN_LAYERS, _number(MAX_WIDTH), MAX_CONV_STAGES, MAX_CHANNELS,
            _number(MAX_PARAMETERS))

    # ------------------------------------------------------------------ the design

    def start_from(self, spec: VariantSpec) -> None:
        """Show ``spec``'s layers (an ensemble's member's) and keep its recipe."""
        self._base = editable_start(spec)
        index = self.start.findData(self._base.variant)
        if index >= 0:
            self.start.setCurrentIndex(index)
        self.convs.set_rows(self._base.conv_stages())
        self.layers.set_rows(self._base.fc_layers())
        self.on_design_edited()

    def on_start_chosen(self, index: int) -> None:
        self.start_from(LAB_VARIANTS[self.start.itemData(index)])

    def on_from_active(self) -> None:
        spec = self._active_spec() if self._active_spec else None
        if spec is not None:
            self.start_from(spec)

    def spec(self) -> VariantSpec | None:
        """The design as a spec, or None while it is invalid (see ``problem``)."""
        return self._spec

    def parameter_count(self) -> int | None:
        return self._count

    def trainable(self) -> bool:
        return self._spec is not None and not self._breaches

    def on_design_edited(self) -> None:
        """Recompute everything shown from the rows, in this event: nothing is built."""
        convs, layers = tuple(self.convs.rows()), tuple(self.layers.rows())
        self._shrinking = shrinking_stage(convs)
        self._count = None if self._shrinking else network_parameters(convs, layers)
        self._breaches = [] if self._shrinking else limit_breaches(convs, layers)
        try:
            self._spec = designed(self._base, layers, convs)
            self._error = ""
        except ValueError as exc:  # the widgets rule out all else; said as core says it
            self._spec, self._error = None, str(exc)
        self._estimate = None
        self._show_figures()
        self.designChanged.emit(self._spec)
        if self._auto_probe and self.trainable():
            self._probe_timer.start()

    def _show_figures(self) -> None:
        self.parameters.setText(self.tr("Parameters: {0}").format(
            "—" if self._count is None else _number(self._count)))
        self.shapes.setText(self._shapes_text())
        base = self._base
        self.recipe.setText(self.tr(
            "Recipe of {0}: {1}, learning rate {2}, batch size {3}, {4} epochs, init {5}")
            .format(base.variant, OPTIMIZER_LABELS[base.optimizer],
                    QLocale().toString(base.learning_rate, "g", 6), base.batch_size,
                    base.epochs, base.init))
        self.problem.setText(self._problem_text())
        self.problem.setVisible(bool(self.problem.text()))
        self.train.setEnabled(self.trainable())
        self.measure.setEnabled(self.trainable())
        self._show_estimate()

    def _shapes_text(self) -> str:
        steps = shape_steps(tuple(self.convs.rows()), tuple(self.layers.rows()))
        return self.tr("Shapes: {0}").format(" → ".join(steps))

    def _problem_text(self) -> str:
        if self._shrinking:
            number, size = self._shrinking
            return self.tr("Conv stage {0} shrinks the {1}x{1} image below 1 pixel: use 'same' "
                           "padding, a smaller kernel or fewer pools.").format(number, size)
        if self._breaches:
            return self._breach_text(self._breaches[0]) + " " + self.tr(
                "Past the limits: this design cannot be trained here.")
        return self._error

    def _breach_text(self, breach: Breach) -> str:
        texts = {
            "layers": self.tr("{1} hidden layers: at most {2}."),
            "width": self.tr("Hidden layer {0} has {1} units: at most {2}."),
            "stages": self.tr("{1} conv stages: at most {2}."),
            "channels": self.tr("Conv stage {0} has {1} channels: at most {2}."),
            "parameters": self.tr("{1} parameters: at most {2}."),
        }
        return texts[breach.what].format(breach.number, _number(breach.value),
                                         _number(breach.limit))

    # ------------------------------------------------------------------ epoch time

    def on_measure(self) -> None:
        """Time the design in the background; an edit meanwhile cancels it and measures the
        new design once it has ended."""
        from mnistpad.core.training.probe import measure_epoch
        if not self.trainable():
            return
        if self._probe is not None:
            self._probe.cancel()
            self._probe_timer.start()  # again once that run has ended
            return
        self._probe = self.runner.start(functools.partial(measure_epoch, self._spec),
                                        "epoch-probe", on_done=self._on_probe_done)
        self._show_estimate()

    def _on_probe_done(self, outcome: str, value) -> None:
        self._probe = None
        if outcome == "finished" and value.spec == self._spec:
            self._estimate = value
            self.estimated.emit(value)
        elif outcome == "failed":
            self.estimate.setText(self.tr("The epoch time could not be measured: {0}")
                                  .format(value.sentence()))
            return
        self._show_estimate()

    def _show_estimate(self) -> None:
        if self._estimate is not None:
            self.estimate.setText(self.tr(
                "About {0} s per epoch on this machine (measured: {1} batches, {2} s each)")
                .format(_number(self._estimate.epoch_seconds, 1),
                        self._estimate.measured_batches,
                        _number(self._estimate.batch_seconds, 3)))
        elif self._probe is not None:
            self.estimate.setText(self.tr("Measuring the epoch time…"))
        else:
            self.estimate.setText("")

    def set_auto_measure(self, on: bool) -> None:
        """Measure each new design a moment after its last edit (on), or only on request:
        the window turns it off while a training run is using the cores, whose epochs the
        probe would slow down and whose load would make the figure wrong."""
        self._auto_probe = on
        if not on:
            self._probe_timer.stop()

    def is_measuring(self) -> bool:
        return self._probe is not None

    def shutdown(self) -> None:
        """Stop a measurement (the window closing; the runner waits for its thread)."""
        self._probe_timer.stop()
        if self._probe is not None:
            self._probe.cancel()
            self._probe = None

    def on_train(self) -> None:
        if self.trainable():
            self.trainingRequested.emit(self._spec)


def _number(value: float, decimals: int = 0) -> str:
    return QLocale().toString(float(value), "f", decimals) if decimals else \
        QLocale().toString(int(value))
