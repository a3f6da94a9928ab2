"""Where mnistpad keeps data and models.

The user's folder is MNISTPAD_HOME when set, else the platform's user data folder
(platformdirs). It holds ``mnist/`` (the dataset) and ``models/`` (the user's trained
variants). Shipped variants live in the project's ``models/`` folder (a source checkout or an
editable install) or ``<prefix>/share/mnistpad/models`` (a regular install).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

APP_NAME = "mnistpad"
_PROJECT_ROOT = Path(__file__).resolve().parents[3]


def user_dir() -> Path:
    home = os.environ.get("MNISTPAD_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def user_models_dir() -> Path:
    return user_dir() / "models"


def default_data_dir() -> Path:
    return user_dir() / "mnist"


DATA_SOURCES = ("--data", "MNISTPAD_DATA", "settings", "default")
DATA_DIR_KEY = "data_dir"


def data_dir_choice(cli_value: str | os.PathLike | None = None) -> tuple[Path, str]:
    """(the MNIST folder, where that choice comes from): ``--data``, else ``MNISTPAD_DATA``,
    else the folder remembered last (:func:`remember_data_dir`, by any command or the
    window), else the user data folder's ``mnist/``. The source is one of
    :data:`DATA_SOURCES`."""
    if cli_value:
        return Path(cli_value).expanduser(), "--data"
    env = os.environ.get("MNISTPAD_DATA")
    if env:
        return Path(env).expanduser(), "MNISTPAD_DATA"
    remembered = remembered_data_dir()
    if remembered is not None:
        return remembered, "settings"
    return default_data_dir(), "default"


def resolve_data_dir(cli_value: str | os.PathLike | None = None) -> Path:
    """The MNIST folder of :func:`data_dir_choice`, without its source."""
    return data_dir_choice(cli_value)[0]


def remembered_data_dir() -> Path | None:
    """The MNIST folder remembered in the config file; when it has none, the one the window
    kept in ``settings.ini`` before, if it holds MNIST (a damaged settings file gives
    nothing), copied into the config file so that it is read there only once."""
    from mnistpad.core.platform.config import old_setting, read_config

    text = read_config(user_dir()).get(DATA_DIR_KEY)
    if isinstance(text, str) and text:
        return Path(text)
    text = old_setting(user_dir(), DATA_DIR_KEY)
    old = Path(text) if text and "\0" not in text else None
    if old is None or not holds_mnist(old):
        return None
    with contextlib.suppress(OSError):  # read-only: the old setting answers, from settings.ini
        remember_data_dir(old)
    return old


def holds_mnist(folder: str | os.PathLike) -> bool:
    """Whether ``folder`` holds MNIST's four IDX files (itself, its raw/ or MNIST/raw/)."""
    from mnistpad.core.data.mnist import missing_files

    return not missing_files(Path(folder))


def remember_data_dir(folder: str | os.PathLike) -> bool:
    """Remember ``folder`` (made absolute) as the MNIST folder of every later command and
    window, if it holds MNIST; returns whether it was remembered. A
    :class:`~mnistpad.core.platform.errors.SaveError` when the config file cannot be written."""
    from mnistpad.core.platform.config import read_config, update_config

    folder = Path(folder).expanduser().absolute()
    if not holds_mnist(folder):
        return False
    if read_config(user_dir()).get(DATA_DIR_KEY) != str(folder):
        update_config(user_dir(), **{DATA_DIR_KEY: str(folder)})
    return True


def _shared_dir(name: str) -> Path:
    in_checkout = _PROJECT_ROOT / name
    if in_checkout.is_dir():
        return in_checkout
    return Path(sys.prefix) / "share" / APP_NAME / name


def shipped_models_dir() -> Path:
    env = os.environ.get("MNISTPAD_SHIPPED_MODELS")
    return Path(env) if env else _shared_dir("models")


def assets_dir() -> Path:
    return _shared_dir("assets")


def write_cache_file(file: Path, data: bytes) -> bool:
    """Write a cache entry as every file is written
    (:func:`~mnistpad.core.files.atomic.write_atomic`): a reader never sees half a file (and
    checks what it reads). A cache that cannot be written (read-only, full, a file where its
    folder goes) only costs time: the error is swallowed, and the answer is whether the
    entry was written."""
    from mnistpad.core.files.atomic import write_atomic

    try:
        write_atomic(file, data)
    except OSError:  # a SaveError is one
        return False
    return True
