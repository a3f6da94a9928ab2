"""Help > Open Data Folder and Help > Open Log Folder: the user's files and the log, shown
in the system's file manager, so that nobody has to know where platformdirs put them."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices

log = logging.getLogger("mnistpad.window")


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the file manager, creating it first (a fresh install has none);
    returns whether the system took the request (a failure is logged, never raised)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("cannot create %s: %s", folder, exc)
    opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    if not opened:
        log.warning("the system did not open %s", folder)
    return opened


class FolderActions(QObject):
    """The two Help entries, added to ``help_menu`` of ``window``; the window's actions call
    :meth:`retranslate` with theirs."""

    def __init__(self, window, help_menu):
        super().__init__(window)
        self.window = window
        self.open_data = QAction(window, objectName="openDataFolder")
        self.open_data.triggered.connect(self.on_open_data_folder)
        self.open_log = QAction(window, objectName="openLogFolder")
        self.open_log.triggered.connect(self.on_open_log_folder)
        help_menu.addSeparator()
        help_menu.addActions([self.open_data, self.open_log])
        self.retranslate()

    def on_open_data_folder(self) -> bool:
        from mnistpad.core.platform.paths import user_dir

        return open_folder(user_dir())

    def on_open_log_folder(self) -> bool:
        from mnistpad.core.platform.log import log_dir

        return open_folder(log_dir())

    def retranslate(self) -> None:
        for action, text, tip in (
                (self.open_data, self.tr("Open &Data Folder"), self.tr(
                    "Show the folder with your models, samples and settings")),
                (self.open_log, self.tr("Open &Log Folder"), self.tr(
                    "Show the folder with mnistpad's log, for a bug report"))):
            action.setText(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)

