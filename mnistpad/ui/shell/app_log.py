"""The window says nothing on the terminal: Qt's messages, Python's warnings and exceptions
escaping a slot go to the log file (see core.platform.log), and to the terminal as well only with
``--verbose`` (the log's stderr handler). A user who started mnistpad from a menu has no
terminal to read; a bug report has the log."""

from __future__ import annotations

import logging
import sys
import warnings

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def _on_qt_message(kind, context, message) -> None:
    logging.getLogger("mnistpad.qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def _on_uncaught(kind, value, traceback) -> None:
    """An exception that left a slot: logged with its traceback; the window goes on."""
    logging.getLogger("mnistpad.window").error("uncaught %s: %s", kind.__name__, value,
                                               exc_info=(kind, value, traceback))


def _on_warning(message, category, filename, lineno, file=None, line=None) -> None:
    logging.getLogger("mnistpad.warnings").warning(
        "%s:%s: %s: %s", filename, lineno, category.__name__, message)


def route_to_log():
    """Send Qt's messages, warnings and uncaught exceptions to the ``mnistpad`` logger;
    returns a callable that puts the previous handlers back (for tests)."""
    previous = (qInstallMessageHandler(_on_qt_message), sys.excepthook, warnings.showwarning)
    sys.excepthook = _on_uncaught
    warnings.showwarning = _on_warning

    def undo() -> None:
        qInstallMessageHandler(previous[0])
        sys.excepthook, warnings.showwarning = previous[1], previous[2]

    return undo
