"""Start the desktop app."""

from __future__ import annotations

import gc
import sys


def settle_heap() -> None:
    """Move every object alive now (torch, Qt, the loaded models: several hundred thousand)
    out of the garbage collector's reach. A full collection over them takes a quarter of a
    second on a small CPU, and would otherwise freeze the window now and then."""
    gc.freeze()


def create_main_window(wait_for_models: bool = False):
    """The main window, shown, with the heap settled: what ``mnistpad`` opens. The models
    load in the background (the window needs no torch to appear); ``wait_for_models`` runs
    the event loop until they have, for scripts and benchmarks."""
    from mnistpad.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    settle_heap()
    if wait_for_models and not window.models_ready:
        from PySide6.QtCore import QEventLoop

        loop = QEventLoop()
        window.modelsLoaded.connect(loop.quit)
        loop.exec()
    return window


def run(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("mnistpad")
    app.setOrganizationName("mnistpad")
    from mnistpad.ui.main_window import app_icon

    app.setWindowIcon(app_icon())
    window = create_main_window()  # noqa: F841 - kept alive for the event loop
    return app.exec()
