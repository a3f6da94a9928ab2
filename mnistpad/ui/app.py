"""Start the desktop app."""

from __future__ import annotations

import sys

from mnistpad.ui.runtime import configure_threads, settle_heap


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
        window.state.modelsLoaded.connect(loop.quit)
        loop.exec()
    return window


def run(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from mnistpad.core.log import setup_logging

    configure_threads()
    setup_logging(verbose="--verbose" in (argv or sys.argv))
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("mnistpad")
    app.setOrganizationName("mnistpad")
    from mnistpad.ui.settings import app_icon

    app.setWindowIcon(app_icon())
    window = create_main_window()  # noqa: F841 - kept alive for the event loop
    return app.exec()
