"""The GUI's settings file and icon."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon

from mnistpad.core.paths import assets_dir, user_dir


def settings() -> QSettings:
    return QSettings(str(user_dir() / "settings.ini"), QSettings.Format.IniFormat)


def app_icon() -> QIcon:
    return QIcon(str(assets_dir() / "icon.png"))
