"""The Help menu's dialogs: Keyboard Shortcuts (every shortcut of the window's menus, and the
keys that belong to no menu) and About."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

translate = QCoreApplication.translate
# a mnemonic as Korean (and other non-Latin) menus write it: "이미지 열기(&O)"
_BRACKETED_MNEMONIC = re.compile(r"\s*\(&[^)]\)")


def plain_text(text: str) -> str:
    """A menu text as a sentence names it: no mnemonic (neither "&Open" nor "열기(&O)") and
    no trailing ellipsis."""
    return _BRACKETED_MNEMONIC.sub("", text).replace("&&", "\0").replace(
        "&", "").replace("\0", "&").rstrip("…")


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(what, keys) for every action that has a shortcut, in menu order, then the keys that
    no menu shows."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys:
            rows.append((plain_text(action.text()), " / ".join(keys)))
    rows += [
        (translate("Shortcuts", "Keep the drawing as one of your samples (Draw tab)"),
         translate("Shortcuts", "0 - 9")),
        (translate("Shortcuts", "Keep the drawing the teaching drill asks for"),
         translate("Shortcuts", "Enter")),
        (translate("Shortcuts", "Train / cancel (Train tab)"), "Ctrl+T / Ctrl+."),
        (translate("Shortcuts", "Evaluate again / cancel (Evaluate tab)"), "F5 / Ctrl+."),
        (translate("Shortcuts", "Put the chosen gallery image on the canvas (Evaluate tab)"),
         "Ctrl+Return"),
        (translate("Shortcuts", "Delete samples / undo (Samples tab)"),
         translate("Shortcuts", "Delete / Ctrl+Z")),
    ]
    return rows


def show_shortcuts(parent: QWidget, actions: list[QAction]) -> None:
    rows = "".join(f"<tr><td>{escape(what)}</td><td>&nbsp;&nbsp;<b>{escape(keys)}</b></td></tr>"
                   for what, keys in shortcut_rows(actions))
    box = QMessageBox(parent)
    box.setObjectName("shortcutsDialog")
    box.setWindowTitle(translate("Shortcuts", "Keyboard Shortcuts"))
    box.setText(f"<table>{rows}</table>")
    box.exec()


def show_about(parent: QWidget, version: str) -> None:
    QMessageBox.about(
        parent, translate("Shortcuts", "About mnistpad"),
        f"<h3>mnistpad {escape(version)}</h3><p>"
        + translate("Shortcuts",
                     "Draw a digit and see how each model of the lecture <i>Lab 10: NN, ReLU, "
                     "Xavier, Dropout, and Adam</i> (Deep Learning Zero To All, Sung Kim) and "
                     "the CNNs of Lab 11 read it; train them yourself and compare their cost "
                     "curves; teach it your handwriting.")
        + "</p><p>" + translate("Shortcuts",
                                 "MNIST by Yann LeCun, Corinna Cortes and Christopher J.C. "
                                 "Burges. Pen-drawn digits by E. Alpaydin and F. Alimoglu (UCI, "
                                 "CC BY 4.0).")
        + "</p>",
    )
