"""MNIST, read once from its IDX files and kept in memory as tensors.

Training feeds batches by indexing these tensors: no per-sample PIL images or transforms in
the loop. Pixels are scaled to [0, 1] and nothing else, as in the lecture. torchvision is
used only to download the files.
"""

from __future__ import annotations

import gzip
import itertools
import math
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mnistpad.core.platform.errors import DataError

if TYPE_CHECKING:  # the folder checks need no torch: the window uses them at start
    import torch

EXPECTED_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


@dataclass(frozen=True)
class Split:
    """One split: ``images`` float32 (N, 784) in [0, 1], ``labels`` int64 (N,)."""

    images: torch.Tensor
    labels: torch.Tensor

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Mnist:
    train: Split
    test: Split
    root: Path


def idx_file(folder: Path, name: str) -> Path | None:
    """``folder/name``, or its gzip-compressed ``name.gz`` as MNIST is distributed."""
    for path in (folder / name, folder / f"{name}.gz"):
        if path.is_file():
            return path
    return None


def raw_folder(root: Path) -> Path:
    """The folder under ``root`` that holds the IDX files: torchvision's ``root/MNIST/raw``,
    or ``root/raw`` (``root`` is an ``MNIST/`` folder), or ``root`` itself (the files are
    there). A user may point at any of the three. Where none holds a single file, it is
    ``root/MNIST/raw``, where a download puts them."""
    root = Path(root)
    for folder in (root / "MNIST" / "raw", root / "raw", root):
        if any(idx_file(folder, name) for name in EXPECTED_FILES):
            return folder
    return root / "MNIST" / "raw"


def missing_files(root: Path) -> list[str]:
    folder = raw_folder(root)
    return [name for name in EXPECTED_FILES if idx_file(folder, name) is None]


def read_idx(path: Path) -> torch.Tensor:
    """An IDX file of unsigned bytes, plain or gzip-compressed, as a uint8 tensor of the
    shape its header gives; ValueError when the file is not one or is cut short.

    The pixels are read straight into the tensor's memory, with the GIL free while the file
    is read: copying the 47 MB of the training images once more in Python held it for tens
    of milliseconds, a stall of the window as a run started."""
    import numpy as np
    import torch

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        head = fh.read(4)
        if len(head) < 4 or head[:3] != b"\0\0\x08" or not 1 <= head[3] <= 3:
            raise ValueError(f"{path.name} is not an IDX file of bytes")
        dims = fh.read(4 * head[3])
        if len(dims) < 4 * head[3]:
            raise ValueError(f"{path.name} ends inside its header")
        shape = struct.unpack(f">{head[3]}I", dims)
        body = np.empty(math.prod(shape), dtype=np.uint8)
        view, filled = memoryview(body), 0
        while filled < len(body) and (got := fh.readinto(view[filled:])):
            filled += got
        if filled == len(body):
            filled += len(fh.read())  # anything after the pixels the header counts
    if filled != len(body):
        raise ValueError(f"{path.name} holds {filled} bytes, its header says {len(body)}")
    return torch.from_numpy(body).reshape(shape)


def download_failure_reason(exc: BaseException) -> str:
    """The first underlying error of a failed torchvision download, in one line (its own
    first line only names the file: "Error downloading train-images-idx3-ubyte.gz:")."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    for line, following in itertools.pairwise(lines):
        if line.endswith("got:"):
            return following
    return lines[0].rstrip(":") if lines else type(exc).__name__


def _download(root: Path) -> None:
    from mnistpad.core.data.torchvision_check import import_mnist_dataset

    import_mnist_dataset()(root=os.fspath(root), train=True, download=True)


TEST_FILES = EXPECTED_FILES[2:]  # all that evaluating needs


def _help(root: Path, problem: str, needed: tuple[str, ...] = EXPECTED_FILES) -> str:
    """What went wrong and what to do; ``needed`` are the files the task at hand reads (the
    two test files alone for evaluating)."""
    folder = raw_folder(root)
    which = "four original" if needed == EXPECTED_FILES else "two test"
    return (
        f"MNIST could not be loaded from {folder}: {problem}. mnistpad expects the {which} "
        f"IDX files there ({', '.join(needed)}; .gz files do too). To fix "
        f"it, download them (run 'mnistpad train ... --download' or choose Download in the "
        f"app, which needs a network connection), or point mnistpad at the folder that holds "
        f"them (or their raw/ or MNIST/raw/) with --data DIR or the MNISTPAD_DATA "
        f"environment variable. A truncated or corrupt file "
        f"can be deleted and downloaded again."
    )


def _split(root: Path, train: bool, download: bool,
           needed: tuple[str, ...] = EXPECTED_FILES) -> Split:
    name = "train" if train else "t10k"
    try:
        if download and missing_files(root):
            _download(root)
        folder = raw_folder(root)
        images = read_idx(idx_file(folder, f"{name}-images-idx3-ubyte"))
        labels = read_idx(idx_file(folder, f"{name}-labels-idx1-ubyte"))
    except DataError:
        raise
    except Exception as exc:
        missing = [name for name in missing_files(root) if name in needed]
        if missing:
            problem = f"missing {', '.join(missing)}"
            if download:
                problem += f" and the download failed ({download_failure_reason(exc)})"
        else:
            problem = f"the files are truncated or corrupt ({exc})"
        raise DataError(_help(root, problem, needed)) from exc
    if images.ndim != 3 or tuple(images.shape[1:]) != (28, 28):
        raise DataError(_help(root, f"{name}-images is not a set of 28x28 images", needed))
    if len(images) != len(labels) or len(labels) == 0:
        raise DataError(
            _help(root, f"{name}-images holds {len(images)} images but {name}-labels "
                        f"{len(labels)} labels", needed)
        )
    if int(labels.min()) < 0 or int(labels.max()) > 9:
        raise DataError(_help(root, f"{name}-labels holds labels outside 0-9", needed))
    return Split(images.reshape(len(images), 784).float().div_(255.0), labels.long())


def load_mnist(root: str | os.PathLike, download: bool = False) -> Mnist:
    """Both splits of MNIST from ``root``: a folder that holds ``MNIST/raw/``, ``raw/``, or
    the four IDX files themselves (each plain or ``.gz``), see :func:`raw_folder`.

    With ``download=True`` missing files are fetched by torchvision (with a progress bar on
    stderr). Any failure is a :class:`DataError` whose message tells the user what to do.
    """
    root = Path(root)
    if not download and missing_files(root):
        raise DataError(_help(root, f"missing {', '.join(missing_files(root))}"))
    return Mnist(_split(root, True, download), _split(root, False, download), root)


def missing_test_files(root: str | os.PathLike) -> list[str]:
    """The test split's files that are not there (the training files are not needed)."""
    folder = raw_folder(Path(root))
    return [name for name in TEST_FILES if idx_file(folder, name) is None]


def load_test_split(root: str | os.PathLike, download: bool = False) -> Split:
    """Only the test split (what evaluation needs): the two training files may be missing."""
    root = Path(root)
    missing = missing_test_files(root)
    if missing and not download:
        raise DataError(_help(root, f"missing {', '.join(missing)}", TEST_FILES))
    return _split(root, False, download, TEST_FILES)
