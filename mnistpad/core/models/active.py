"""The model active in the app, for the command line: ``classify``, ``inspect`` (and ``eval``)
without a model use the one the window last had active. The window remembers it in
config.json (key :data:`MODEL_KEY`, the model file's path as text), the file the commands
share with it (:mod:`mnistpad.core.platform.config`)."""

from __future__ import annotations

from pathlib import Path

from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.models.registry import Catalog, default_model
from mnistpad.core.platform.paths import user_dir

MODEL_KEY = "model"


def remembered_model_path() -> Path | None:
    """The path the app remembers as its active model, or None (none remembered, or not a
    path). For a user upgrading, whose config.json has none yet: the one the window kept in
    its settings.ini before, read as QSettings reads it (until the window remembers one)."""
    from mnistpad.core.platform.config import old_setting, read_config

    folder = user_dir()
    values = read_config(folder)
    value = values[MODEL_KEY] if MODEL_KEY in values else old_setting(folder, MODEL_KEY)
    return Path(value) if isinstance(value, str) and value and "\0" not in value else None


def active_model(catalog: Catalog) -> ModelInfo:
    """The app's active model when it is still listed, else the default one."""
    remembered = remembered_model_path()
    if remembered is not None:
        for info in catalog.models:
            if info.path == remembered or info.path.resolve() == remembered.resolve():
                return info
    return default_model(catalog)


def active_model_words() -> str:
    """The default model as --help names it (from the settings alone: no model is read)."""
    from mnistpad.core.models.specs import DEFAULT_VARIANT

    remembered = remembered_model_path()
    if remembered is not None and remembered.is_file():
        return f"the model active in the app, now {remembered.stem}"
    return f"the model active in the app; none is remembered, so {DEFAULT_VARIANT}"
