"""Reading remembered settings defensively: settings.ini is a text file anyone (or a crash, or
another version of mnistpad) may have changed. Every value is checked; a bad one gives its
default, so a damaged file never keeps the window from opening."""

from __future__ import annotations

import math

from PySide6.QtCore import QByteArray, QSettings


def remembered_number(settings: QSettings, key: str, default: int, low: int, high: int) -> int:
    """A whole number in [low, high] (``pen_width=abc``, ``nan`` or ``1e400`` give ``default``)."""
    value = settings.value(key, None)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    if not math.isfinite(number) or not low <= number <= high:
        return default
    return int(number)


def remembered_text(settings: QSettings, key: str) -> str:
    """A string, or "" for anything else (a value with a comma reads back as a list)."""
    value = settings.value(key, None)
    return value if isinstance(value, str) else ""


def remembered_bytes(settings: QSettings, key: str) -> QByteArray | None:
    """Bytes saved by ``saveGeometry``/``saveState``, or None when the value is not bytes."""
    value = settings.value(key, None)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None
