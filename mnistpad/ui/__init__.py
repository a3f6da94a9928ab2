"""The Qt user interface. Everything here builds on mnistpad.core; nothing in the core
imports this package."""

from mnistpad.ui.shell.main_window import MainWindow

__all__ = ["MainWindow"]
