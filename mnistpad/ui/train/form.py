"""The Train tab's settings form: a lab variant (choosing one fills in the lecture's settings)
and every knob of the run, each with its label. Its texts are set in :meth:`retranslate`,
which runs when it is built and again on every language change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from mnistpad.core.models.specs import (
    INITS,
    LAB_INFO,
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    MAX_LEARNING_RATE,
    MIN_KEEP_PROB,
    OPTIMIZER_LABELS,
    VARIANTS,
    VariantSpec,
    optimizer_words,
)
from mnistpad.ui.state.model_text import lab_summary
from mnistpad.ui.widgets.probabilities import Retranslates


class TrainingForm(Retranslates, QWidget):
    """The knobs of a run; ``spec()`` is the variant with the knobs' values."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.variant = QComboBox(objectName="trainVariant")
        # the box names the variant and its lab, whole; what the variant is goes in the
        # line under it (and each item's tooltip): in the box it was cut off
        self.variant.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.variant_note = QLabel(objectName="trainVariantNote", wordWrap=True)
        for name in VARIANTS:
            self.variant.addItem("", name)
        self.variant.currentIndexChanged.connect(self.on_variant_changed)
        self.epochs = QSpinBox(objectName="trainEpochs", minimum=1, maximum=MAX_EPOCHS)
        self.batch_size = QSpinBox(objectName="trainBatchSize", minimum=1,
                                   maximum=MAX_BATCH_SIZE)
        self.learning_rate = QDoubleSpinBox(objectName="trainLearningRate", decimals=6,
                                            minimum=1e-6, maximum=MAX_LEARNING_RATE,
                                            singleStep=0.001)
        self.optimizer = QComboBox(objectName="trainOptimizer")
        for key in OPTIMIZER_LABELS:
            self.optimizer.addItem(optimizer_words(key), key)
        self.init = QComboBox(objectName="trainInit")
        for key in INITS:
            self.init.addItem("", key)
        self.keep_prob = QDoubleSpinBox(objectName="trainKeepProb", decimals=2,
                                        minimum=MIN_KEEP_PROB, maximum=1.0, singleStep=0.05)
        self.batch_norm = QCheckBox(objectName="trainBatchNorm")
        self.device = QComboBox(objectName="trainDevice")
        self.device.addItem("", "auto")
        self.device.addItem("CPU", "cpu")
        self.seed = QSpinBox(objectName="trainSeed", minimum=0, maximum=2**31 - 1, value=777)
        self.result_name = QLineEdit(objectName="trainName")
        self.knobs = [self.variant, self.epochs, self.batch_size, self.learning_rate,
                      self.optimizer, self.init, self.keep_prob, self.batch_norm, self.device,
                      self.seed, self.result_name]
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self._row_labels = {}
        for key, widget in (("variant", self.variant), ("epochs", self.epochs),
                            ("batch", self.batch_size), ("lr", self.learning_rate),
                            ("optimizer", self.optimizer), ("init", self.init),
                            ("keep_prob", self.keep_prob), ("", self.batch_norm),
                            ("device", self.device), ("seed", self.seed),
                            ("name", self.result_name)):
            if not key:
                form.addRow("", widget)  # the check box says what it is
                continue
            if key == "epochs":
                form.addRow("", self.variant_note)
            label = QLabel("keep_prob" if key == "keep_prob" else "", buddy=widget)
            self._row_labels[key] = label
            form.addRow(label, widget)

    def retranslate(self) -> None:
        for index in range(self.variant.count()):
            name = self.variant.itemData(index)
            self.variant.setItemText(index, self._variant_text(name))
            self.variant.setItemData(index, lab_summary(name), Qt.ItemDataRole.ToolTipRole)
        self.variant_note.setText(lab_summary(self.variant.currentData()))
        self.variant.setToolTip(
            self.tr("A lab variant; choosing one fills in the lecture's settings"))
        names = {"normal": self.tr("Normal N(0,1)"), "xavier": "Xavier", "he": "He"}
        for index in range(self.init.count()):
            self.init.setItemText(index, names[self.init.itemData(index)])
        self.keep_prob.setToolTip(
            self.tr("Probability of keeping a unit while training (1 = no dropout)"))
        self.batch_norm.setText(self.tr("Batch normalization"))
        self.batch_norm.setToolTip(
            self.tr("BatchNorm before each hidden ReLU (fully connected nets)"))
        self.device.setItemText(self.device.findData("auto"), self.tr("Auto"))
        self.result_name.setToolTip(
            self.tr("The saved model's name (letters, digits, '.', '_', '-')"))
        for key, text in (("variant", self.tr("Variant")), ("epochs", self.tr("Epochs")),
                          ("batch", self.tr("Batch size")), ("lr", self.tr("Learning rate")),
                          ("optimizer", self.tr("Optimizer")),
                          ("init", self.tr("Initialization")), ("device", self.tr("Device")),
                          ("seed", self.tr("Seed")), ("name", self.tr("Save as"))):
            self._row_labels[key].setText(text)

    def _variant_text(self, name: str) -> str:
        lab = LAB_INFO[name].lab
        if lab == "beyond":
            return self.tr("{0} (beyond the lecture)").format(name)
        return self.tr("{0} (lab {1})").format(name, lab)

    # ------------------------------------------------------------------ the values

    def on_variant_changed(self) -> None:
        """The lecture's settings of the variant chosen, in every knob."""
        spec = VARIANTS[self.variant.currentData()]
        self.variant_note.setText(lab_summary(self.variant.currentData()))
        self.epochs.setValue(spec.epochs)
        self.batch_size.setValue(spec.batch_size)
        self.learning_rate.setValue(spec.learning_rate)
        self.optimizer.setCurrentIndex(self.optimizer.findData(spec.optimizer))
        self.init.setCurrentIndex(self.init.findData(spec.init))
        self.keep_prob.setValue(spec.keep_prob)
        self.batch_norm.setChecked(spec.batch_norm)
        self.batch_norm.setEnabled(self.batch_norm_applies())

    def batch_norm_applies(self) -> bool:
        spec = VARIANTS[self.variant.currentData()]
        return spec.arch == "mlp" and bool(spec.hidden)

    def spec(self) -> VariantSpec:
        base = VARIANTS[self.variant.currentData()]
        return base.with_overrides(
            epochs=self.epochs.value(), batch_size=self.batch_size.value(),
            learning_rate=self.learning_rate.value(), optimizer=self.optimizer.currentData(),
            init=self.init.currentData(), keep_prob=self.keep_prob.value(),
            batch_norm=self.batch_norm.isChecked() and self.batch_norm_applies(),
        )
