"""A small file of remembered choices that the command line and the window share.

``config.json`` in the user's folder, a JSON object of plain values. It is read defensively:
as a regular file only (a named pipe would wait forever, a link to a device read forever),
bounded, and only as a JSON object of sane values (text without NUL characters, booleans,
integers a float holds exactly, finite numbers, lists and objects of those); anything else
is ignored with one warning line, since a remembered choice is a convenience, never a reason
to fail. It is written atomically, so that two processes writing at once leave one whole
file, and with sane values only. Qt-free: the commands read and write it without a window.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from pathlib import Path

from mnistpad.core.platform.errors import MnistpadError, SaveError

FILE_NAME = "config.json"
MAX_BYTES = 100_000  # a remembered folder or two; anything larger is not ours
MAX_INT = 2**53  # past it, an integer is not a number a float (or JSON elsewhere) holds
MAX_DEPTH = 8

_told: set[tuple[str, str]] = set()  # the warnings given already, in this process


def config_path(folder: Path) -> Path:
    return Path(folder) / FILE_NAME


def is_sane(value, depth: int = 0) -> bool:
    """Whether ``value`` is one config.json keeps (see the module docstring)."""
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return abs(value) <= MAX_INT
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return "\0" not in value
    if depth >= MAX_DEPTH:
        return False
    if isinstance(value, list):
        return all(is_sane(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and is_sane(item, depth + 1)
                   for key, item in value.items())
    return False


def _warn(path: Path, problem: str) -> None:
    """One warning line on stderr, once per file and problem in a process."""
    if (str(path), problem) in _told:
        return
    _told.add((str(path), problem))
    print(f"warning: {path}: {problem}; it is ignored", file=sys.stderr)


def _parsed(path: Path):
    """The JSON value in ``path``; None (with a warning) when it is not one, or not a
    regular file of at most :data:`MAX_BYTES`."""
    from mnistpad.core.files.outside import read_regular

    try:
        text = read_regular(path, MAX_BYTES).decode("utf-8")
        return json.loads(text)
    except MnistpadError as exc:
        _warn(path, str(exc).removeprefix(f"{path}: "))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        _warn(path, "not JSON")
    return None


def read_config(folder: Path) -> dict:
    """The remembered values in ``folder``'s config file: {} when there is none, or when it
    is not a JSON object (with a warning); values that are not sane are left out (with a
    warning naming their keys)."""
    path = config_path(folder)
    if not os.path.lexists(path):
        return {}
    values = _parsed(path)
    if values is None:
        return {}
    if not isinstance(values, dict):
        _warn(path, "not a JSON object")
        return {}
    sane = {key: value for key, value in values.items() if is_sane(value)}
    if len(sane) != len(values):
        left_out = ", ".join(sorted(key for key in values if key not in sane))
        _warn(path, f"values that are not plain finite values ({left_out})")
    return sane


def update_config(folder: Path, **values) -> Path:
    """Set ``values`` in ``folder``'s config file, keeping the others (``None`` removes a
    key). Written through a temporary file renamed into place (a link there is replaced,
    not written through); a :class:`SaveError` naming the file when it cannot be written,
    or when a value is not one it keeps (:func:`is_sane`: a NaN, an infinity...)."""
    path = config_path(folder)
    for key, value in values.items():
        if value is not None and not is_sane(value):
            raise SaveError(f"cannot save {path}: {key} is not a plain finite value")
    merged = {**read_config(folder), **values}
    merged = {key: value for key, value in merged.items() if value is not None}
    payload = json.dumps(merged, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise SaveError(f"cannot save {path}: {exc.strerror or exc}") from None
    return path
