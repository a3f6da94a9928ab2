"""The GUI's settings file and icon."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon

from mnistpad.core.platform.paths import assets_dir
from mnistpad.core.platform.places import settings_file


def settings() -> QSettings:
    return QSettings(str(settings_file()), QSettings.Format.IniFormat)


def app_icon() -> QIcon:
    return QIcon(str(assets_dir() / "icon.png"))
