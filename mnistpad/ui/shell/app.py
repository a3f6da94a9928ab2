"""Start the desktop app."""

from __future__ import annotations

import sys

from mnistpad.ui.shell.runtime import configure_threads, settle_heap

# The launcher's name (install-desktop writes mnistpad.desktop): Wayland docks match the
# window to it, X11 ones by WM class, which Qt takes from the application name.
DESKTOP_FILE_NAME = "mnistpad"


def create_main_window(wait_for_models: bool = False):
    """The main window, shown, with the heap settled: what ``mnistpad`` opens. The models
    load in the background (the window needs no torch to appear); ``wait_for_models`` runs
    the event loop until they have, for scripts and benchmarks."""
    from mnistpad.ui.shell.main_window import MainWindow

    settle_heap()  # before the window: its objects must stay collectable
    window = MainWindow()
    window.show()
    if wait_for_models and not window.state.models_ready:
        from PySide6.QtCore import QEventLoop

        loop = QEventLoop()
        window.state.modelsLoaded.connect(loop.quit)
        loop.exec()
    return window


def start(argv: list[str] | None = None):
    """The application and its window, everything set up but the event loop: the log (and
    everything Qt or Python would print) first, so that what the window finds wrong while it
    is built (an unreadable model file) is in it."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from mnistpad.core.platform.log import setup_logging
    from mnistpad.ui.shell.app_log import route_to_log

    argv = argv if argv is not None else sys.argv
    configure_threads()
    setup_logging(verbose="--verbose" in argv)
    route_to_log()
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("mnistpad")
    app.setOrganizationName("mnistpad")
    QGuiApplication.setDesktopFileName(DESKTOP_FILE_NAME)
    from mnistpad.ui.shell.settings import app_icon, settings
    from mnistpad.ui.widgets.appearance import follow_appearance

    app.setWindowIcon(app_icon())
    follow_appearance(app, settings())
    return app, create_main_window()


def run(argv: list[str] | None = None) -> int:
    app, _window = start(argv)  # the window is kept alive for the event loop
    return app.exec()

