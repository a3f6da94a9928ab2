"""Finding saved variants: the shipped ``models/`` folder and the user's models folder."""

from __future__ import annotations

import logging
import os
import re
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from mnistpad.core.files.modelfile import SUFFIX, ModelInfo, read_info
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.platform.paths import shipped_models_dir, user_models_dir

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# A header read stays trusted while its file is unchanged: same inode, size and times, and
# those times at least this long before the read (a file rewritten within the filesystem's
# clock tick of a read keeps its times: it is read again until it is older than this).
SETTLED_NS = 2_000_000_000


@dataclass
class Catalog:
    """Every saved variant found, shipped first; files that could not be read are listed in
    ``problems`` (one line each) instead of stopping the listing."""

    models: list[ModelInfo] = field(default_factory=list)
    shipped: set[Path] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def find(self, name: str) -> ModelInfo | None:
        return next((m for m in self.models if m.name == name), None)

    def is_shipped(self, info: ModelInfo) -> bool:
        return info.path in self.shipped

    def names(self) -> set[str]:
        return {m.name for m in self.models}


def _table_order(path: Path) -> tuple[int, str]:
    """Lab variants in lecture order, then everything else by name."""
    from mnistpad.core.models.specs import VARIANTS

    order = list(VARIANTS)
    return (order.index(path.stem) if path.stem in order else len(order), path.stem)


class _Headers:
    """The model files' headers read so far, each with what its file looked like then:
    rescanning after one model is saved reads that one header, not every file's again.
    Shared by every thread (the window rescans on its GUI thread, jobs may scan too)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._read: dict[Path, tuple[tuple, int, ModelInfo]] = {}

    @staticmethod
    def _looks(path: Path) -> tuple | None:
        try:
            found = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode):
            return None
        return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns

    def info(self, path: Path) -> ModelInfo:
        """``read_info(path)``, or the info read before when the file is unchanged since.
        Raises ModelFileError as read_info does (a failure is never kept)."""
        looks = self._looks(path)
        with self._lock:
            kept = self._read.get(path)
        if looks is not None and kept is not None and kept[0] == looks and \
                max(looks[3], looks[4]) + SETTLED_NS <= kept[1]:
            return kept[2]
        read_at = time.time_ns()
        info = read_info(path)
        if looks is not None and looks == self._looks(path):
            with self._lock:
                self._read[path] = (looks, read_at, info)
        return info

    def forget(self) -> None:
        with self._lock:
            self._read.clear()


_HEADERS = _Headers()


def _model_files(folders: list[Path] | None) -> list[tuple[Path, Path]]:
    """(folder, file) of every model file in ``folders`` (default: shipped, then user's), in
    the order they are listed; no file is opened."""
    folders = folders if folders is not None else [shipped_models_dir(), user_models_dir()]
    return [(folder, path) for folder in folders if folder.is_dir()
            for path in sorted(folder.glob(f"*{SUFFIX}"), key=_table_order)]


def scan(folders: list[Path] | None = None) -> Catalog:
    """Read the header of every model file in ``folders`` (default: shipped, then user's);
    a file unchanged since an earlier scan read it is not read again."""
    shipped = shipped_models_dir()
    catalog = Catalog()
    seen: set[str] = set()
    for folder, path in _model_files(folders):
        try:
            info = _HEADERS.info(path)
        except ModelFileError as exc:
            catalog.problems.append(str(exc))
            # INFO: in the log file with its traceback, never on a bare terminal
            logging.getLogger("mnistpad.models").info("cannot read %s", path, exc_info=exc)
            continue
        if info.name in seen:
            catalog.problems.append(f"{path}: skipped, a model named '{info.name}' is "
                                    f"already listed")
            continue
        seen.add(info.name)
        catalog.models.append(info)
        if folder == shipped:
            catalog.shipped.add(info.path)
    return catalog


def find_model(name: str, folders: list[Path] | None = None) -> ModelInfo | None:
    """The model :func:`scan` lists as ``name`` (the first file of that name), reading the
    headers only up to its file: a command that names a shipped model reads none of the
    user's files."""
    return _find(name, folders)[0]


def _find(name: str, folders: list[Path] | None) -> tuple[ModelInfo | None, set[str]]:
    """(the model named ``name`` or None, the names read before it)."""
    names: set[str] = set()
    for _folder, path in _model_files(folders):
        try:
            info = _HEADERS.info(path)
        except ModelFileError:
            continue
        if info.name == name:
            return info, names
        names.add(info.name)
    return None, names


def check_name(name: str) -> str:
    if not _NAME_RE.match(name):
        raise ValueError(
            f"{name!r} is not a usable model name: use letters, digits, '.', '_' or '-' "
            f"(at most 64, starting with a letter or digit)"
        )
    return name


PERSONAL_SUFFIX = "-personal"


def personal_name(base_name: str) -> str:
    """The name of the personal model fine-tuned from ``base_name``."""
    return base_name if base_name.endswith(PERSONAL_SUFFIX) else base_name + PERSONAL_SUFFIX


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken yet."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def resolve_model(reference: str, catalog: Catalog | None = None) -> Path:
    """A model file path from a saved variant's name or a file path; without ``catalog``,
    the headers are read only up to the named model's (every one when it is not found)."""
    path = Path(reference).expanduser()
    if path.suffix == SUFFIX or os.sep in reference or path.is_file():
        return path
    if catalog is not None:
        info, names = catalog.find(reference), catalog.names()
    else:
        info, names = _find(reference, None)
    if info is None:
        known = ", ".join(sorted(names)) or "none yet"
        raise ModelFileError(f"no saved model named '{reference}' (saved models: {known})")
    return info.path


def default_model(catalog: Catalog) -> ModelInfo:
    """The variant to draw against: the default variant if saved, else the most accurate."""
    from mnistpad.core.models.specs import DEFAULT_VARIANT

    if not catalog.models:
        raise ModelFileError("no saved models yet; train one with: mnistpad train xavier")
    return catalog.find(DEFAULT_VARIANT) or max(
        catalog.models, key=lambda m: m.test_accuracy or 0.0
    )
