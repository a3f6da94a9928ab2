"""Start the desktop app."""

from __future__ import annotations

import gc
import sys


def settle_heap() -> None:
    """Move every object alive now (torch, Qt, the loaded models: several hundred thousand)
    out of the garbage collector's reach. A full collection over them takes a quarter of a
    second on a small CPU, and would otherwise freeze the window now and then."""
    gc.freeze()


def create_main_window():
    """The main window, shown, with the heap settled: what ``mnistpad`` opens."""
    from mnistpad.ui.main_window import MainWindow
    from mnistpad.ui.worker import serial_gui_thread

    serial_gui_thread()  # the GUI thread's torch thread count (the rule is in worker.py)
    window = MainWindow()
    window.show()
    settle_heap()
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
