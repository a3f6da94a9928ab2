"""Numbers read from files: the one parser for every number a model file's metadata (its
spec, histories, recorded figures, a stroke reader's combination) or a sample's strokes hold.

A file's JSON can hold anything: ``1e400`` reads as infinity, ``1`` followed by 400 zeros as
an int too large for a float (``float()`` and ``math.isfinite()`` then raise OverflowError),
``NaN`` as NaN, and a whole number of 4,000 digits cannot even be printed in an error
message. A number from a file is taken only through here: a finite number within its range,
or refused as data, never an exception of another kind. No torch, no numpy: the window reads
headers before either has loaded.
"""

from __future__ import annotations

import json
import math

from mnistpad.core.platform.errors import ModelFileError

# The largest whole number a file may hold anywhere (int64's): more than any count, width
# or seed mnistpad writes, and small enough that sums and products of a few stay printable.
MAX_WHOLE = 2**63 - 1


def finite(value, low: float = -math.inf, high: float = math.inf) -> float | None:
    """``value`` as a float when it is a JSON number (not true/false), finite and within
    [low, high]; else None. Never raises."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int) and abs(value) > MAX_WHOLE:
        return None  # float() of it overflows (or loses all meaning)
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        return None
    return number


def whole(value, low: int = -MAX_WHOLE, high: int = MAX_WHOLE) -> int | None:
    """``value`` when it is a whole JSON number (not true/false) within [low, high], else
    None. Never raises."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def is_whole(value, low: int = -MAX_WHOLE, high: int = MAX_WHOLE) -> bool:
    return whole(value, low, high) is not None


def bad(source: str, key: str, why: str = "") -> ModelFileError:
    """The one-line refusal of a file's metadata ``key``."""
    return ModelFileError(f"{source}: its metadata has no valid '{key}'"
                          + (f" ({why})" if why else ""))


def loads(text: str | None, source: str, key: str):
    """The JSON of metadata ``key`` (:func:`bad` when it is missing or not JSON)."""
    try:
        return json.loads(text)
    except (TypeError, ValueError, RecursionError):  # RecursionError: absurdly nested JSON
        raise bad(source, key) from None


def number(value, source: str, key: str, low: float = -math.inf,
           high: float = math.inf) -> float:
    """:func:`finite`, or :func:`bad` naming the file and the key."""
    found = finite(value, low, high)
    if found is None:
        raise bad(source, key, _range_words(low, high))
    return found


def numbers(value, source: str, key: str, low: float = -math.inf,
            high: float = math.inf) -> list[float]:
    """A JSON list of :func:`finite` numbers, or :func:`bad` naming the file and the key."""
    if not isinstance(value, list):
        raise bad(source, key, "not a list of numbers")
    return [number(v, source, key, low, high) for v in value]


def number_text(text: str, source: str, key: str, low: float = -math.inf,
                high: float = math.inf) -> float:
    """A number stored as text ("0.9"; ``float("1" + 400 zeros)`` is infinity, refused)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise bad(source, key, "not a number") from None
    return number(value, source, key, low, high)


def whole_text(text: str, source: str, key: str, low: int = 0, high: int = MAX_WHOLE) -> int:
    """A whole number stored as text in ASCII digits ('²' is a digit to ``str.isdigit``)."""
    if not (isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= 19):
        raise bad(source, key, "not a whole number")
    value = whole(int(text), low, high)
    if value is None:
        raise bad(source, key, f"not a whole number from {low:,} to {high:,}")
    return value


def _range_words(low: float, high: float) -> str:
    if math.isinf(low) and math.isinf(high):
        return "not a finite number"
    if math.isinf(high):
        return f"not a finite number from {low:g} up"
    return f"not a finite number from {low:g} to {high:g}"
