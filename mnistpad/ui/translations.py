"""Qt translations of the window's strings; for now English plural forms only.

Source strings with a count are written ``self.tr("%n epoch(s)", "", n)``, as Qt's
translation tools expect; the English file turns them into "1 epoch" and "2 epochs".
``mnistpad_en.ts`` is the source, ``mnistpad_en.qm`` its compiled form (pyside6-lrelease).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

I18N_DIR = Path(__file__).resolve().parent / "i18n"
_installed: list[QTranslator] = []


def install_translations() -> bool:
    """Install the translations into the running application, once; True when they are."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    if not _installed:
        translator = QTranslator(app)
        if not translator.load(str(I18N_DIR / "mnistpad_en.qm")):
            return False
        app.installTranslator(translator)
        _installed.append(translator)
    return True
