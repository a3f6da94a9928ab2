""""Show as PyTorch code": a saved model's standalone script (core.lessons.codegen), with Copy and
Save.

The script is made from the model file's header alone (no weights are read), so the dialog
opens at once; the script loads the weights itself when it is run.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.platform.errors import MnistpadError


class CodeDialog(QDialog):
    """The script of the model file ``path``; ``saved`` (past tense) carries the path written."""

    def __init__(self, path: str | os.PathLike, parent: QWidget | None = None):
        from mnistpad.core.lessons.codegen import script_for_file

        super().__init__(parent)
        self.setObjectName("codeDialog")
        self.model_path = Path(path)
        self.script = script_for_file(self.model_path)  # ModelFileError: see open_code_dialog
        self.setWindowTitle(self.tr("{0} as PyTorch code").format(self.model_path.stem))
        self.note = QLabel(self.tr(
            "A standalone script (torch and safetensors only) that builds this network, loads "
            "{0} and reads one 28x28 image.").format(self.model_path.name), wordWrap=True)
        self.text = QPlainTextEdit(self.script, readOnly=True, objectName="codeText")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox()
        self.close_button = QPushButton(self.tr("Close"), objectName="codeClose")
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.copy = QPushButton(self.tr("Copy"), objectName="codeCopy", clicked=self.on_copy)
        self.save = QPushButton(self.tr("Save…"), objectName="codeSave", clicked=self.on_save)
        buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(760, 620)

    def on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.script)
        self.copy.setText(self.tr("Copied"))

    def on_save(self) -> None:
        suggested = str(self.model_path.with_suffix(".py").name)
        target, _ = QFileDialog.getSaveFileName(self, self.tr("Save the script"), suggested,
                                                self.tr("Python scripts (*.py)"))
        if target:
            self.save_to(Path(target))

    def save_to(self, target: Path) -> bool:
        """Write the script atomically; a failure is said in a message box, nothing half
        written is left."""
        from mnistpad.core.files.modelfile import atomic_write_bytes

        try:
            atomic_write_bytes(target, self.script.encode("utf-8"))
        except MnistpadError as exc:
            QMessageBox.warning(self, self.tr("The script was not saved"), str(exc))
            return False
        self.save.setText(self.tr("Saved"))
        return True


def open_code_dialog(path: str | os.PathLike, parent: QWidget | None = None) -> CodeDialog | None:
    """Show the dialog for the model file ``path`` (non-modal), or say in a message box why
    the file has no script (it is not a model). Returns the dialog, or None."""
    try:
        dialog = CodeDialog(path, parent)
    except MnistpadError as exc:
        QMessageBox.warning(parent, QCoreApplication.translate("CodeDialog", "No PyTorch code"),
                            str(exc))
        return None
    dialog.show()
    return dialog
