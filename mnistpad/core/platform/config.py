"""A small file of remembered choices that the command line and the window share.

``config.json`` in the user's folder, a JSON object of plain values. It is read defensively:
as a regular file only (a named pipe would wait forever, a link to a device read forever),
bounded, and only as a JSON object of sane values (text without NUL characters, booleans,
integers a float holds exactly, finite numbers, lists and objects of those); anything else
is ignored with one warning line, since a remembered choice is a convenience, never a reason
to fail. It is written atomically (:func:`~mnistpad.core.files.atomic.write_atomic`), so
that two processes writing at once leave one whole file, and with sane values only. Qt-free:
the commands read and write it without a window.

It holds ``data_dir`` (:mod:`mnistpad.core.platform.paths`) and ``model`` (the model active
in the window: :mod:`mnistpad.core.models.active`), which the window kept in its QSettings
``settings.ini`` before: :func:`old_setting` reads them there, exactly as Qt does, for a user
upgrading.
"""

from __future__ import annotations

import json
import math
import os
import sys
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
    key). Written by :func:`~mnistpad.core.files.atomic.write_atomic` (a link there is
    replaced, not written through; readable by the user only, as it names their folders);
    a :class:`SaveError` naming the file when it cannot be written, or when a value is not
    one it keeps (:func:`is_sane`: a NaN, an infinity...)."""
    from mnistpad.core.files.atomic import write_atomic

    path = config_path(folder)
    for key, value in values.items():
        if value is not None and not is_sane(value):
            raise SaveError(f"cannot save {path}: {key} is not a plain finite value")
    merged = {**read_config(folder), **values}
    merged = {key: value for key, value in merged.items() if value is not None}
    payload = json.dumps(merged, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    return write_atomic(path, payload, mode=0o600)


# ------------------------------------------------- the window's settings.ini, as it was before

OLD_SETTINGS_FILE = "settings.ini"  # QSettings' INI file (mnistpad.ui.shell.settings)
MAX_OLD_SETTINGS_BYTES = 1_000_000
_SPACES = b" \t\n\r\f\v"
_ESCAPES = {ord(k): v for k, v in {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
                                   "t": "\t", "v": "\v", '"': '"', "?": "?", "'": "'",
                                   "\\": "\\"}.items()}


def old_setting(folder: Path, key: str) -> str | None:
    """The text the window kept under ``key`` (its [General] section) in ``folder``'s
    settings.ini before config.json held it, read without Qt exactly as QSettings reads it
    (quotes, backslash escapes, comments); None when there is none, or it is not one text
    (a list, a byte array, not UTF-8), or the file cannot be read."""
    from mnistpad.core.files.outside import read_regular

    try:
        data = read_regular(Path(folder) / OLD_SETTINGS_FILE, MAX_OLD_SETTINGS_BYTES)
    except (MnistpadError, OSError):
        return None
    found, section = None, b"general"
    for line, equals in _ini_lines(data.removeprefix(b"\xef\xbb\xbf")):
        if line.startswith(b"["):
            section = line[1:].split(b"]", 1)[0].strip().lower()
        elif section == b"general" and equals > 0 and line[:equals].strip() == key.encode():
            found = line[equals + 1:]
    return None if found is None else _ini_text(found)


def _ini_lines(data: bytes):
    """(line, position of its '=' or -1) for each line of an INI file, as Qt's readIniLine
    splits them: a line goes on past a backslash-newline or a newline inside quotes, and an
    unquoted ';' starts a comment."""
    pos, size = 0, len(data)
    while True:
        start = pos
        while start < size and data[start] in _SPACES:
            start += 1
        i, equals, quoted = start, -1, False
        while i < size:
            ch = data[i : i + 1]
            i += 1
            if ch == b"=" and not quoted and equals == -1:
                equals = i - 1
            elif ch in (b"\n", b"\r"):
                if i == start + 1:
                    start += 1
                elif not quoted:
                    i -= 1
                    break
            elif ch == b"\\" and i < size:
                i += 1
                if i < size and data[i - 1 : i + 1] in (b"\n\r", b"\r\n"):
                    i += 1
            elif ch == b'"':
                quoted = not quoted
            elif ch == b";":
                if i == start + 1:  # a comment line: skipped
                    while i < size and data[i : i + 1] not in (b"\n", b"\r"):
                        i += 1
                    while i < size and data[i] in _SPACES:
                        i += 1
                    start = i
                elif not quoted:
                    i -= 1
                    break
        pos = i
        if i <= start:
            return
        yield data[start:i], (equals - start if equals >= 0 else -1)


def _ini_text(value: bytes) -> str | None:
    """A QSettings INI value as the text it holds (Qt's iniUnescapedStringList, then its
    '@' prefixes); None when it is a list, or anything but text."""
    try:
        parts = _ini_unescaped(value)
    except UnicodeDecodeError:
        return None
    if len(parts) != 1:
        return None
    text = parts[0]
    if text.endswith(")") and text.startswith("@String("):
        return text[len("@String("):-1]
    if text.endswith(")") and text.startswith(_NOT_TEXT):
        return None
    return text[1:] if text.startswith("@@") else text


_NOT_TEXT = ("@ByteArray(", "@Variant(", "@DateTime(", "@Rect(", "@Size(", "@Point(",
             "@Invalid(")


def _ini_unescaped(value: bytes) -> list[str]:
    """The strings of a QSettings INI value (one, or a list's: unquoted commas part them),
    as Qt's iniUnescapedStringList reads it. UnicodeDecodeError when it is not UTF-8."""
    parts: list[str] = []
    text, quoted, was_quoted, keep = [], False, False, 0
    i, size = _skip_spaces(value, 0), len(value)
    while i < size:
        ch = value[i : i + 1]
        if ch == b"\\":
            i, escaped = _escape(value, i + 1)
            text.append(escaped)
            keep = len(text)
        elif ch == b'"':
            i, quoted, was_quoted = i + 1, not quoted, True
            if not quoted:
                i, keep = _skip_spaces(value, i), len(text)
        elif ch == b"," and not quoted:
            parts.append(_chopped(text, keep, was_quoted))
            text, was_quoted, keep = [], False, 0
            i = _skip_spaces(value, i + 1)
        else:
            end = min([j for j in (value.find(c, i + 1) for c in (b"\\", b'"', b",")) if j > 0],
                      default=size)
            text.append(value[i:end].decode("utf-8"))
            i = end
    return [*parts, _chopped(text, keep, was_quoted)]


def _chopped(text: list[str], keep: int, was_quoted: bool) -> str:
    """The pieces joined; an unquoted value loses the spaces and tabs it ends with, save
    those of its first ``keep`` pieces (written as escapes)."""
    joined = "".join(text) if was_quoted else (
        "".join(text[:keep]) + "".join(text[keep:]).rstrip(" \t"))
    # Qt keeps UTF-16: two \x escapes may be the halves of one character
    return joined.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _skip_spaces(value: bytes, i: int) -> int:
    while i < len(value) and value[i : i + 1] in (b" ", b"\t"):
        i += 1
    return i


def _escape(value: bytes, i: int) -> tuple[int, str]:
    """(where reading goes on, the text) of the escape after a backslash at ``i - 1``:
    C's letters, \\x hex and octal digits (one UTF-16 unit), a line break (nothing)."""
    if i >= len(value):
        return i, ""
    ch, i = value[i], i + 1
    if ch in _ESCAPES:
        return i, _ESCAPES[ch]
    digits, base = (b"0123456789abcdefABCDEF", 16) if ch == ord("x") else (b"01234567", 8)
    if ch == ord("x") or chr(ch) in "01234567":
        start = i if ch == ord("x") else i - 1
        end = start
        while end < len(value) and value[end] in digits:
            end += 1
        if end == start:
            return i, ""
        return end, chr(int(value[start:end], base) % 0x10000)
    if ch in b"\n\r" and value[i : i + 1] in (b"\n", b"\r") and value[i] != ch:
        i += 1
    return i, ""
