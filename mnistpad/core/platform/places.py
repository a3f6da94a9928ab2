"""Every place mnistpad reads or writes, in one list: what ``mnistpad paths`` prints and the
window's Help menu opens, so that a user (or a bug report) can find their files.

Qt-free and cheap to import: each place comes from the function its owner uses, so this
list cannot drift from where the files really go.
"""

from __future__ import annotations

from pathlib import Path

PLACES = ("models", "samples", "settings", "cache", "log", "data", "shipped")


def places() -> dict[str, dict]:
    """name -> {"path", "exists"} for each of :data:`PLACES`; ``data`` also says where the
    MNIST folder was chosen (``source``: one of
    :data:`mnistpad.core.platform.paths.DATA_SOURCES`)."""
    from mnistpad.core.data.samples import samples_dir
    from mnistpad.core.evaluation.evaluate import default_cache_dir
    from mnistpad.core.platform.log import log_file
    from mnistpad.core.platform.paths import data_dir_choice, shipped_models_dir, user_models_dir

    data, source = data_dir_choice()
    found: dict[str, Path] = {
        "models": user_models_dir(),
        "samples": samples_dir(),
        "settings": settings_file(),
        "cache": default_cache_dir().parent,  # evaluate/ and drawn/ under it
        "log": log_file(),
        "data": data,
        "shipped": shipped_models_dir(),
    }
    result = {name: {"path": str(path.absolute()), "exists": path.exists()}
              for name, path in found.items()}
    result["data"]["source"] = source
    return result


def settings_file() -> Path:
    """The window's settings (language, appearance, geometry), an INI file QSettings writes."""
    from mnistpad.core.platform.paths import user_dir

    return user_dir() / "settings.ini"
