"""The model active in the app, for the command line: ``classify``, ``inspect`` (and ``eval``)
without a model use the one the window last had active, which it remembers in its settings
file (key "model", a path). Read here without Qt: the file is an INI file."""

from __future__ import annotations

import configparser
from pathlib import Path

from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.models.registry import Catalog, default_model
from mnistpad.core.platform.paths import user_dir

SETTINGS_FILE = "settings.ini"  # the GUI's (mnistpad.ui.shell.settings)


def remembered_model_path(settings_file: Path | None = None) -> Path | None:
    """The path the app remembers as its active model, or None (no file, no key, unreadable)."""
    settings_file = settings_file or user_dir() / SETTINGS_FILE
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(settings_file, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None
    value = parser.get("General", "model", fallback="").strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':  # QSettings quotes some strings
        value = value[1:-1].replace('\\\\', '\\')
    return Path(value) if value else None


def active_model(catalog: Catalog, settings_file: Path | None = None) -> ModelInfo:
    """The app's active model when it is still listed, else the default one."""
    remembered = remembered_model_path(settings_file)
    if remembered is not None:
        for info in catalog.models:
            if info.path == remembered or info.path.resolve() == remembered.resolve():
                return info
    return default_model(catalog)


def active_model_words(settings_file: Path | None = None) -> str:
    """The default model as --help names it (from the settings alone: no model is read)."""
    from mnistpad.core.models.specs import DEFAULT_VARIANT

    remembered = remembered_model_path(settings_file)
    if remembered is not None and remembered.is_file():
        return f"the model active in the app, now {remembered.stem}"
    return f"the model active in the app; none is remembered, so {DEFAULT_VARIANT}"
