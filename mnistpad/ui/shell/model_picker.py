"""The toolbar's model list and the status bar's model line, both views of the app state."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from mnistpad.ui.state.app_state import AppState
from mnistpad.ui.state.model_text import describe, explain
from mnistpad.ui.widgets.rich_text import literal_tooltip, plain


class ModelPicker(QComboBox):
    """Every listed model; picking one emits ``picked(info)`` (the window activates it).
    Files that cannot be loaded are greyed out, with the reason as their tooltip."""

    picked = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("modelSelector")
        self.state = state
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currentIndexChanged.connect(self._on_index_changed)
        for signal in (state.catalogChanged, state.activeModelChanged, state.modelsLoaded):
            signal.connect(self.fill)
        # one model's arrival changes its own entry: refilling all of them for each of 200
        # arrivals made start-up quadratic in the number of model files
        state.modelLoaded.connect(self.show_loaded)
        self.retranslate()

    def retranslate(self) -> None:
        self.setToolTip(self.tr("The model that reads your drawing (lab, MNIST accuracy, "
                                "accuracy on real drawn digits)"))
        self.fill()

    def fill(self, *_) -> None:
        self.blockSignals(True)
        self.clear()
        for index, info in enumerate(self.state.models()):
            self.addItem(describe(info), str(info.path))
            self._show_item(index, info)
        active = self.state.active
        self.setCurrentIndex(self.findData(str(active.path)) if active else -1)
        self.blockSignals(False)

    def show_loaded(self, path) -> None:
        """The entry of the model whose classifier (or failure) has just arrived."""
        index = self.findData(str(path))
        info = self.state.find(path)
        if index < 0 or info is None:
            self.fill()
            return
        self.blockSignals(True)
        self._show_item(index, info)
        self.blockSignals(False)

    def _show_item(self, index: int, info) -> None:
        """Entry ``index`` as ``info`` is now: its tooltip, or greyed out with the reason."""
        problem = self.state.unusable(info.path)
        if problem is None:
            self.setItemData(index, literal_tooltip(explain(info)), Qt.ItemDataRole.ToolTipRole)
            return
        self.setItemText(index, self.tr("{0} (cannot be loaded)").format(describe(info)))
        self.model().item(index).setEnabled(False)
        self.setItemData(index, literal_tooltip(problem), Qt.ItemDataRole.ToolTipRole)

    def _on_index_changed(self, index: int) -> None:
        info = self.state.find(self.itemData(index)) if index >= 0 else None
        if info is not None and (self.state.active is None or info.path != self.state.active.path):
            self.picked.emit(info)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


MESSAGE_MARGIN = 30  # the status bar's own margins and the size grip, in pixels


class ModelStatus(QLabel):
    """The active model in the status bar's permanent corner (messages never hide it)."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__("", parent, objectName="modelStatus")
        plain(self)  # names a model from its file: never read as rich text
        self.state = state
        state.activeModelChanged.connect(self.retranslate)
        state.catalogChanged.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_) -> None:
        info = self.state.active
        if info is None:
            self.setText(self.tr("No model"))
            return
        self.setText(self.tr("{0} · {1} parameters · CPU, dropout off").format(
            describe(info), f"{info.parameters:,}"))

    def on_message_changed(self, message: str) -> None:
        """A temporary message too long to fit beside this text takes the whole bar while it
        shows (Qt cuts a message off where the permanent corner starts: "…View > Lan|"); the
        model stays named in the toolbar. A short one leaves the corner as it is."""
        bar = self.parentWidget()
        if not message or bar is None:
            self.setVisible(True)
            return
        room = bar.width() - self.sizeHint().width() - MESSAGE_MARGIN
        self.setVisible(bar.fontMetrics().horizontalAdvance(message) <= room)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
