"""The window's file actions: open an image or a model file (by menu or by dropping it on
the window) and save the drawing. A mixin of :class:`~mnistpad.ui.shell.main_window.MainWindow`:
it uses the window's canvas, status bar and the app state."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from mnistpad.core.data.preprocess import read_ink
from mnistpad.core.files.modelfile import SUFFIX, atomic_write_bytes
from mnistpad.core.platform.errors import MnistpadError, ModelFileError

# what the user is told in one sentence goes to the log with its traceback (core.platform.log)
log = logging.getLogger("mnistpad.window")

IMAGE_PATTERNS = "*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff"


class FileActions:
    def open_image(self, path: str | Path) -> bool:
        try:
            ink = read_ink(path)
        except MnistpadError as exc:
            log.warning("cannot open image %s", path, exc_info=exc)
            QMessageBox.warning(self, self.tr("Cannot open image"), str(exc))
            return False
        self.canvas.set_picture(ink)
        self.statusBar().showMessage(self.tr("Opened {0}").format(path), 5000)
        return True

    def open_model(self, path: str | Path) -> bool:
        """Load a model file and make it the active one; a file that does not load is
        refused with a message and never listed."""
        try:
            self.state.open_file(Path(path))
        except ModelFileError as exc:
            log.warning("cannot open model %s", path, exc_info=exc)
            QMessageBox.warning(self, self.tr("Cannot open model"),
                                self.tr("{0}\n\nThe current model stays.").format(exc))
            return False
        return True

    def on_open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open image"), "",
                                              self.tr("Images ({0})").format(IMAGE_PATTERNS))
        if path:
            self.open_image(path)

    def on_open_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open model"), "",
                                              self.tr("mnistpad models (*{0})").format(SUFFIX))
        if path:
            self.open_model(path)

    def save_drawing(self, path: str | Path) -> None:
        atomic_write_bytes(Path(path), self.canvas.png_bytes())

    def on_save_drawing(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save drawing"), "digit.png",
                                              "PNG (*.png)")
        if not path:
            return
        try:
            self.save_drawing(path)
            self.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)
        except MnistpadError as exc:
            log.warning("cannot save the drawing to %s", path, exc_info=exc)
            QMessageBox.warning(self, self.tr("Cannot save"), str(exc))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                path = url.toLocalFile()
                if path.endswith(SUFFIX):
                    self.open_model(path)
                else:
                    self.open_image(path)
                event.acceptProposedAction()
                return
