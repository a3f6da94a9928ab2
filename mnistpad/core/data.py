"""MNIST, loaded once through torchvision and kept in memory as tensors.

Training feeds batches by indexing these tensors: no per-sample PIL images or transforms in
the loop. Pixels are scaled to [0, 1] and nothing else, as in the lecture.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import torch

from mnistpad.core.errors import DataError

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


def raw_folder(root: Path) -> Path:
    return Path(root) / "MNIST" / "raw"


def missing_files(root: Path) -> list[str]:
    folder = raw_folder(root)
    return [name for name in EXPECTED_FILES if not (folder / name).is_file()]


def _help(root: Path, problem: str) -> str:
    folder = raw_folder(root)
    return (
        f"MNIST could not be loaded from {folder}: {problem}. mnistpad expects the four "
        f"original IDX files there ({', '.join(EXPECTED_FILES)}). To fix it, download them "
        f"(run 'mnistpad train ... --download' or choose Download in the app, which needs a "
        f"network connection), or point mnistpad at a folder that holds MNIST/raw/ with "
        f"--data DIR or the MNISTPAD_DATA environment variable. A truncated or corrupt file "
        f"can be deleted and downloaded again."
    )


def _split(root: Path, train: bool, download: bool) -> Split:
    from torchvision.datasets import MNIST

    try:
        dataset = MNIST(root=os.fspath(root), train=train, download=download)
    except DataError:
        raise
    except Exception as exc:
        missing = missing_files(root)
        if missing:
            problem = f"missing {', '.join(missing)}"
            if download:
                problem += f" and the download failed ({str(exc).splitlines()[0]})"
        else:
            problem = f"the files are truncated or corrupt ({type(exc).__name__})"
        raise DataError(_help(root, problem)) from exc
    return _checked(root, "train" if train else "t10k", dataset.data, dataset.targets)


def _checked(root: Path, name: str, images: torch.Tensor, labels: torch.Tensor) -> Split:
    if images.ndim != 3 or tuple(images.shape[1:]) != (28, 28):
        raise DataError(_help(root, f"{name}-images is not a set of 28x28 images"))
    if len(images) != len(labels) or len(labels) == 0:
        raise DataError(
            _help(root, f"{name}-images holds {len(images)} images but {name}-labels "
                        f"{len(labels)} labels")
        )
    if int(labels.min()) < 0 or int(labels.max()) > 9:
        raise DataError(_help(root, f"{name}-labels holds labels outside 0-9"))
    return Split(images.reshape(len(images), 784).float().div_(255.0), labels.long())


def load_test_split(root: str | os.PathLike, download: bool = False) -> Split:
    """Only the test split (what evaluation needs): the two training files may be missing.

    torchvision's ``MNIST`` refuses to read either split unless all four files are there, so
    present test files are read with its own IDX readers; a download goes through ``MNIST``.
    """
    root = Path(root)
    names = EXPECTED_FILES[2:]
    missing = [name for name in names if not (raw_folder(root) / name).is_file()]
    if missing and download:
        return _split(root, False, download=True)
    if missing:
        raise DataError(_help(root, f"missing {', '.join(missing)}"))
    from torchvision.datasets.mnist import read_image_file, read_label_file

    folder = raw_folder(root)
    try:
        images = read_image_file(os.fspath(folder / names[0]))
        labels = read_label_file(os.fspath(folder / names[1]))
    except Exception as exc:
        raise DataError(_help(root, f"the files are truncated or corrupt "
                                    f"({type(exc).__name__})")) from exc
    return _checked(root, "t10k", images, labels)


def load_mnist(root: str | os.PathLike, download: bool = False) -> Mnist:
    """Both splits of MNIST from ``root`` (which holds ``MNIST/raw/``).

    With ``download=True`` missing files are fetched by torchvision (with a progress bar on
    stderr). Any failure is a :class:`DataError` whose message tells the user what to do.
    """
    root = Path(root)
    if not download and missing_files(root):
        raise DataError(_help(root, f"missing {', '.join(missing_files(root))}"))
    return Mnist(_split(root, True, download), _split(root, False, download), root)
