"""Putting text from files into Qt's rich text safely.

Qt renders a label's, a tooltip's or a message box's text as HTML when it merely looks like
HTML (``Qt.AutoText``): a model named ``<big style='color:green'>accuracy 99.99%</big>``
would be shown as that markup's result, in place of what mnistpad says. Every string that
comes from a file or the user (model names, file names, a model's training notes, error
messages naming files) is passed through :func:`escaped` before it goes into rich text, or
shown in a label set to plain text (:func:`plain`), or as a tooltip through
:func:`literal_tooltip`.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def escaped(text: object) -> str:
    """``text`` as rich text that shows exactly ``text`` (``<``, ``>`` and ``&`` escaped)."""
    return escape(str(text), quote=False)


def literal_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally, its line breaks kept (a tooltip is rich text
    whenever it looks like it, and then ignores line breaks)."""
    return f"<p style='white-space:pre-wrap'>{escaped(text)}</p>"


def plain(label: QLabel) -> QLabel:
    """``label`` set to show its text as plain text, whatever it holds; returns it."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
