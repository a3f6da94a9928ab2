"""The window's file actions: open an image or a model file (by menu or by dropping it on
the window) and save the drawing. The window composes one (``window.files``); it acts on the
window's canvas, status bar and app state."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from mnistpad.core.data.preprocess import read_ink
from mnistpad.core.files.modelfile import SUFFIX, atomic_write_bytes
from mnistpad.core.platform.errors import MnistpadError, ModelFileError

# what the user is told in one sentence goes to the log with its traceback (core.platform.log)
log = logging.getLogger("mnistpad.window")

IMAGE_PATTERNS = "*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff"


class FileActions(QObject):
    """File > Open Image, Open Model and Save Drawing, and a file dropped on the window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def open_image(self, path: str | Path) -> bool:
        try:
            ink = read_ink(path)
        except MnistpadError as exc:
            log.warning("cannot open image %s", path, exc_info=exc)
            QMessageBox.warning(self.window, self.tr("Cannot open image"), str(exc))
            return False
        self.window.canvas.set_picture(ink)
        self.window.statusBar().showMessage(self.tr("Opened {0}").format(path), 5000)
        return True

    def open_model(self, path: str | Path) -> bool:
        """Load a model file and make it the active one; a file that does not load is
        refused with a message and never listed."""
        try:
            self.window.state.open_file(Path(path))
        except ModelFileError as exc:
            log.warning("cannot open model %s", path, exc_info=exc)
            QMessageBox.warning(self.window, self.tr("Cannot open model"),
                                self.tr("{0}\n\nThe current model stays.").format(exc))
            return False
        return True

    def on_open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Open image"), "",
                                              self.tr("Images ({0})").format(IMAGE_PATTERNS))
        if path:
            self.open_image(path)

    def on_open_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Open model"), "",
                                              self.tr("mnistpad models (*{0})").format(SUFFIX))
        if path:
            self.open_model(path)

    def save_drawing(self, path: str | Path) -> None:
        atomic_write_bytes(Path(path), self.window.canvas.png_bytes())

    def on_save_drawing(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save drawing"), "digit.png",
                                              "PNG (*.png)")
        if not path:
            return
        try:
            self.save_drawing(path)
            self.window.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)
        except MnistpadError as exc:
            log.warning("cannot save the drawing to %s", path, exc_info=exc)
            QMessageBox.warning(self.window, self.tr("Cannot save"), str(exc))

    @staticmethod
    def on_drag_enter(event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def on_drop(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                path = url.toLocalFile()
                if path.endswith(SUFFIX):
                    self.open_model(path)
                else:
                    self.open_image(path)
                event.acceptProposedAction()
                return
