"""Where mnistpad keeps data and models.

The user's folder is MNISTPAD_HOME when set, else the platform's user data folder
(platformdirs). It holds ``mnist/`` (the dataset) and ``models/`` (the user's trained
variants). Shipped variants live in the project's ``models/`` folder (a source checkout or an
editable install) or ``<prefix>/share/mnistpad/models`` (a regular install).
"""

from __future__ import annotations

import os
import sys
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


def _config_file() -> Path:
    return user_dir() / "data-folder.txt"


def data_dir_choice(cli_value: str | os.PathLike | None = None) -> tuple[Path, str]:
    """The MNIST folder and where the choice came from: ``--data``, MNISTPAD_DATA, the
    folder remembered from an earlier choice ("settings"), else the default."""
    if cli_value:
        return Path(cli_value).expanduser(), "--data"
    env = os.environ.get("MNISTPAD_DATA")
    if env:
        return Path(env).expanduser(), "MNISTPAD_DATA"
    try:
        remembered = _config_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        remembered = ""
    if remembered:
        return Path(remembered), "settings"
    return default_data_dir(), "default"


def remember_data_dir(folder: Path) -> None:
    from mnistpad.core.modelfile import atomic_write_bytes

    _config_file().parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(_config_file(), str(Path(folder).resolve()).encode("utf-8"))
