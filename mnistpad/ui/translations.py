"""Qt translations of the window's strings: English (plural forms only) and Korean.

Source strings are English, wrapped in ``self.tr``/``QCoreApplication.translate``; strings with
a count are written ``self.tr("%n epoch(s)", "", n)``. ``mnistpad_<lang>.ts`` is the source of
each translation (``pyside6-lupdate``), ``mnistpad_<lang>.qm`` its compiled form
(``pyside6-lrelease``); ``i18n/glossary.md`` keeps the Korean terms consistent. With Korean,
Qt's own Korean strings (``qtbase_ko.qm``: dialog buttons, file dialogs) are installed too.

The language follows the system locale unless the user picked one (View > Language). A live
switch swaps the translators, then :func:`retranslate_widgets` re-applies every static text the
widgets show (labels, buttons, tooltips, menus, tab titles, list items) by looking each text up
in the old language's catalog; texts computed per reading are recomputed by their views.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QAction, QActionGroup, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTableWidget,
    QTabWidget,
    QWidget,
)

I18N_DIR = Path(__file__).resolve().parent / "i18n"
LANGUAGES = {"en": "English", "ko": "한국어"}  # each in its own language, as menus show them
_installed: list[QTranslator] = []
_current = ["en"]
_BOLD = re.compile(r"^<b>(.*)</b>$", re.DOTALL)


def system_language() -> str:
    """Korean on a Korean desktop, English otherwise."""
    return "ko" if QLocale.system().language() == QLocale.Language.Korean else "en"


def current_language() -> str:
    return _current[0]


def remembered_language(settings: QSettings) -> str:
    """The language the user picked (View > Language), else the system's."""
    value = settings.value("language", None)
    return value if isinstance(value, str) and value in LANGUAGES else system_language()


def missing_font_warning(language: str) -> str:
    """"" when ``language`` can be drawn; else, in English (the one script every font has),
    what to install. Qt falls back to any installed font with Hangul on its own."""
    if language != "ko" or QFontDatabase.families(QFontDatabase.WritingSystem.Korean):
        return ""
    return ("No font with Hangul is installed, so Korean shows as boxes: install one "
            "(fonts-nanum or fonts-noto-cjk) or choose View > Language > English.")


def add_language_menu(menu: QMenu, title: str, on_chosen) -> dict[str, QAction]:
    """A submenu of ``menu`` with one checkable action per language; ``on_chosen(code)``
    runs when the user picks one. Returns the actions by language code."""
    submenu = menu.addMenu(title)
    group = QActionGroup(submenu)
    actions = {}
    for code, name in LANGUAGES.items():
        action = submenu.addAction(name)
        action.setObjectName(f"language_{code}")
        action.setCheckable(True)
        action.setChecked(code == _current[0])
        action.triggered.connect(lambda _=False, c=code: on_chosen(c))
        group.addAction(action)
        actions[code] = action
    return actions


def install_translations() -> bool:
    """Install the current language's translations once; True when they are installed."""
    if QCoreApplication.instance() is None:
        return False
    return bool(_installed) or set_language(_current[0])


def set_language(language: str) -> bool:
    """Install ``language``'s translators in place of the current ones; False when the
    application or the compiled file is missing (the strings then stay English)."""
    app = QCoreApplication.instance()
    if app is None or language not in LANGUAGES:
        return False
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    files = [I18N_DIR / f"mnistpad_{language}.qm"]
    if language != "en":
        qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        files.append(qt_dir / f"qtbase_{language}.qm")
    ok = True
    for file in files:
        translator = QTranslator(app)
        if translator.load(str(file)):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            ok = False
    _current[0] = language
    QLocale.setDefault(QLocale(QLocale.Language.Korean if language == "ko"
                               else QLocale.Language.English))
    return ok


@functools.cache
def catalog(language: str) -> dict[str, tuple[str, str, bool]]:
    """Every shown text of ``language`` -> (context, English source, whether shown without
    its "&" mnemonic, as an action's default tooltip is), from the Korean .ts file."""
    texts: dict[str, tuple[str, str, bool]] = {}
    path = I18N_DIR / "mnistpad_ko.ts"
    if not path.exists():
        return texts
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            if message.get("numerus") == "yes":
                continue
            source = message.findtext("source")
            shown = source if language == "en" else message.findtext("translation")
            if shown:
                texts.setdefault(shown, (name, source, False))
                texts.setdefault(_without_mnemonic(shown), (name, source, True))
    return texts


def switch_language(language: str, widgets: list[QWidget] | None = None) -> None:
    """Switch to ``language`` now and re-apply the static texts of ``widgets`` (by default
    every top-level window) and of all their children."""
    old = catalog(_current[0])
    set_language(language)
    for top in widgets if widgets is not None else QApplication.topLevelWidgets():
        retranslate_widgets(top, old)


def _without_mnemonic(text: str) -> str:
    return re.sub(r"\(&\w\)", lambda m: f"({m.group(0)[2]})", text).replace("&", "")


def _translated(text: str, old: dict[str, tuple[str, str, bool]]) -> str:
    bold = _BOLD.match(text)
    if bold:
        return f"<b>{_translated(bold.group(1), old)}</b>"
    if text not in old:
        return text
    context, source, stripped = old[text]
    new = QCoreApplication.translate(context, source)
    return _without_mnemonic(new) if stripped else new


def retranslate_widgets(top: QWidget, old: dict[str, tuple[str, str, bool]]) -> None:
    """Re-apply, in the language now installed, every text of ``top`` and its children that
    reads as a string of the ``old`` catalog."""
    def redo(getter, setter) -> None:
        text = getter()
        if text:
            new = _translated(text, old)
            if new != text:
                setter(new)

    for widget in [top, *top.findChildren(QWidget)]:
        redo(widget.toolTip, widget.setToolTip)
        redo(widget.statusTip, widget.setStatusTip)
        redo(widget.accessibleName, widget.setAccessibleName)
        redo(widget.windowTitle, widget.setWindowTitle)
        if isinstance(widget, (QLabel, QAbstractButton)):
            redo(widget.text, widget.setText)
        elif isinstance(widget, QGroupBox):
            redo(widget.title, widget.setTitle)
        elif isinstance(widget, QLineEdit):
            redo(widget.placeholderText, widget.setPlaceholderText)
        elif isinstance(widget, QMenu):
            redo(widget.title, widget.setTitle)
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                redo(functools.partial(widget.tabText, i), functools.partial(widget.setTabText, i))
                redo(functools.partial(widget.tabToolTip, i),
                     functools.partial(widget.setTabToolTip, i))
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                redo(functools.partial(widget.itemText, i),
                     functools.partial(widget.setItemText, i))
        elif isinstance(widget, QTableWidget):
            for i in range(widget.columnCount()):
                item = widget.horizontalHeaderItem(i)
                if item is not None:
                    redo(item.text, item.setText)
    for action in top.findChildren(QAction):
        redo(action.text, action.setText)
        redo(action.toolTip, action.setToolTip)
        redo(action.statusTip, action.setStatusTip)
