"""Where a new model file goes, and whether writing it there replaces something.

A model's name comes from its file (metadata a stranger wrote), so it is data, never a path:
the file a personal model is written to is named from the name reduced to a checked file
name (letters, digits, '.', '_', '-'; no separator, no leading dot, bounded length), inside
the models folder. Whoever writes a model asks :func:`output_state` first: a shipped model is
never written over, and an existing file is replaced only when the user says so (the
command's ``--replace``, the window's question). Without torch: the window asks it.
"""

from __future__ import annotations

import enum
import os
import re
from pathlib import Path

from mnistpad.core.files.modelfile import SUFFIX
from mnistpad.core.models.registry import PERSONAL_SUFFIX
from mnistpad.core.platform.paths import shipped_models_dir

MAX_STEM = 64  # as registry.check_name's names
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class OutputState(enum.Enum):
    FREE = "free"  # nothing there: write
    EXISTS = "exists"  # a file of the user's: replace only when asked
    SHIPPED = "shipped"  # one of the shipped models: never written over
    NOT_A_FILE = "not a file"  # a folder, a pipe...: never written over


def file_stem(name: str) -> str:
    """A file name (without suffix) for a model named ``name``: ``name`` itself when it is
    already a plain name, else with every other character replaced by '-', leading dots and
    dashes dropped, cut to :data:`MAX_STEM` characters ('model' when nothing is left)."""
    stem = _UNSAFE.sub("-", name).lstrip(".-")[:MAX_STEM].rstrip(".")
    return stem or "model"


def personal_stem(base_name: str) -> str:
    """The file name (without suffix) of the personal model fine-tuned from ``base_name``."""
    stem = file_stem(base_name)
    if stem.endswith(PERSONAL_SUFFIX):
        return stem
    return file_stem(stem[: MAX_STEM - len(PERSONAL_SUFFIX)] + PERSONAL_SUFFIX)


def personal_path(base_name: str, folder: Path) -> Path:
    """The personal model's file: always directly inside ``folder``."""
    path = Path(folder) / f"{personal_stem(base_name)}{SUFFIX}"
    if path.parent != Path(folder):  # file_stem leaves no separator; kept as a guard
        raise ValueError(f"{base_name!r} does not make a file name")
    return path


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def is_shipped(path: str | os.PathLike) -> bool:
    """True for a path in the shipped models folder (links and '..' resolved)."""
    return _inside(Path(path), shipped_models_dir())


def output_state(path: str | os.PathLike) -> OutputState:
    """What writing a model to ``path`` would do (see :class:`OutputState`)."""
    path = Path(path)
    if is_shipped(path):
        return OutputState.SHIPPED
    if not os.path.lexists(path):
        return OutputState.FREE
    return OutputState.EXISTS if path.is_file() else OutputState.NOT_A_FILE
