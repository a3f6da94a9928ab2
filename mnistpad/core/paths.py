"""Where mnistpad keeps data and models.

The user's folder is MNISTPAD_HOME when set, else the platform's user data folder
(platformdirs). It holds ``mnist/`` (the dataset) and ``models/`` (the user's trained
variants). Shipped variants live in the project's ``models/`` folder (a source checkout or an
editable install) or ``<prefix>/share/mnistpad/models`` (a regular install).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

APP_NAME = "mnistpad"
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


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


def resolve_data_dir(cli_value: str | os.PathLike | None = None) -> Path:
    """The MNIST folder: ``--data``, else ``MNISTPAD_DATA``, else the user data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("MNISTPAD_DATA")
    if env:
        return Path(env).expanduser()
    return default_data_dir()


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


def write_cache_file(file: Path, data: bytes) -> None:
    """Write a cache entry under a temporary name and rename it into place, without an fsync:
    a reader never sees half a file, an entry lost in a crash only costs recomputing it, and
    one that cannot be written at all only costs time (the error is swallowed)."""
    temporary = file.with_name(f".{file.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, file)
    except OSError:
        temporary.unlink(missing_ok=True)
