"""A small file of remembered choices that the command line and the window share.

``config.json`` in the user's folder, a JSON object of plain values. It is read defensively
(a damaged or foreign file reads as empty: a remembered choice is a convenience, never a
reason to fail) and written atomically, so that two processes writing at once leave one
whole file. Qt-free: the commands read and write it without a window.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from mnistpad.core.errors import SaveError

FILE_NAME = "config.json"
MAX_BYTES = 100_000  # a remembered folder or two; anything larger is not ours


def config_path(folder: Path) -> Path:
    return Path(folder) / FILE_NAME


def read_config(folder: Path) -> dict:
    """The remembered values in ``folder``'s config file; {} when there is none or it cannot
    be read as a JSON object."""
    path = config_path(folder)
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return values if isinstance(values, dict) else {}


def update_config(folder: Path, **values) -> Path:
    """Set ``values`` in ``folder``'s config file, keeping the others (``None`` removes a
    key). Written through a temporary file renamed into place; a :class:`SaveError` naming
    the file when it cannot be written."""
    path = config_path(folder)
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
