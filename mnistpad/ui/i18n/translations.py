"""Qt translations of the window's strings: English (plural forms only) and Korean.

Source strings are English, wrapped in ``self.tr``/``QCoreApplication.translate``; strings with
a count are written ``self.tr("%n epoch(s)", "", n)``. ``mnistpad_<lang>.ts`` is the source of
each translation (``pyside6-lupdate``), ``mnistpad_<lang>.qm`` its compiled form
(``pyside6-lrelease``); ``i18n/glossary.md`` keeps the Korean terms consistent. With Korean,
Qt's own Korean strings (``qtbase_ko.qm``: dialog buttons, file dialogs) are installed too.

The language follows the system locale unless the user picked one (View > Language). A live
switch (:func:`set_language`) swaps the translators; Qt then sends every widget a
``LanguageChange`` event, on which each view sets its texts again in its ``retranslate()``
(Qt's retranslate idiom), the computed ones (a reading, a summary) included.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QAction, QActionGroup, QFontDatabase
from PySide6.QtWidgets import QMenu

I18N_DIR = Path(__file__).resolve().parent
LANGUAGES = {"en": "English", "ko": "한국어"}  # each in its own language, as menus show them
_installed: list[QTranslator] = []
_current = ["en"]


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
