"""Your samples: labelled drawings kept as files, without torch.

Samples live in the user data folder in torchvision's ImageFolder layout,
``samples/<digit>/<id>.png``: the canvas ink as drawn (white on black, 8-bit), so that a
person can look at them, copy them or delete them in a file manager, and a future
normalization still applies. The PNG's text chunks also hold the strokes (so a sample is
read exactly as the canvas reads a drawing), the digit the model read when the sample was
labelled (a correction when it differs from the label) and that model's name.
:mod:`mnistpad.core.personal` fine-tunes a model on them.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, PngImagePlugin, UnidentifiedImageError

from mnistpad.core.errors import MnistpadError
from mnistpad.core.modelfile import atomic_write_bytes
from mnistpad.core.paths import user_dir
from mnistpad.core.preprocess import load_image
from mnistpad.core.strokes import PenStroke, digit_from_strokes

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}


def samples_dir() -> Path:
    return user_dir() / "samples"


@dataclass(frozen=True)
class Sample:
    """One labelled drawing: ``read_as`` is what the model read when it was labelled
    (``None`` if nothing was read), so ``corrected`` tells a fixed misreading."""

    path: Path
    label: int
    read_as: int | None = None
    model: str = ""

    @property
    def corrected(self) -> bool:
        return self.read_as is not None and self.read_as != self.label


def _strokes_json(strokes: list[PenStroke]) -> str:
    return json.dumps([[round(s.width, 2), int(s.erase),
                        [[round(float(x), 1), round(float(y), 1)] for x, y in s.points]]
                       for s in strokes], separators=(",", ":"))


def _strokes_from_json(text: str) -> list[PenStroke]:
    data = json.loads(text)
    return [PenStroke.of(points, float(width), bool(erase)) for width, erase, points in data]


def save_sample(label: int, ink: np.ndarray, strokes: list[PenStroke] | None = None,
                read_as: int | None = None, model: str = "",
                root: Path | None = None) -> Path:
    """Write a labelled drawing as ``<root>/<label>/<id>.png`` (atomically); returns its path."""
    if not 0 <= int(label) <= 9:
        raise ValueError(f"a sample's label must be a digit 0-9, not {label!r}")
    folder = (root or samples_dir()) / str(int(label))
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}-{secrets.token_hex(3)}.png"
    info = PngImagePlugin.PngInfo()
    info.add_text("mnistpad-label", str(int(label)))
    if read_as is not None:
        info.add_text("mnistpad-read-as", str(int(read_as)))
    if model:
        info.add_text("mnistpad-model", model)
    if strokes:
        info.add_text("mnistpad-strokes", _strokes_json(strokes))
    pixels = (np.clip(np.asarray(ink, dtype=np.float32), 0, 1) * 255 + 0.5).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="L").save(buffer, format="PNG", pnginfo=info)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def _sample(path: Path, label: int) -> Sample:
    read_as, model = None, ""
    try:
        with Image.open(path) as image:
            text = getattr(image, "text", {}) or {}
            if text.get("mnistpad-read-as", "").isdigit():
                read_as = int(text["mnistpad-read-as"])
            model = text.get("mnistpad-model", "")
    except (OSError, UnidentifiedImageError, ValueError):
        pass  # listed all the same: reading it names the problem
    return Sample(path, label, read_as, model)


def _digit_folders(root: Path) -> list[tuple[int, Path]]:
    return [(int(p.name), p) for p in sorted(root.iterdir())
            if p.is_dir() and len(p.name) == 1 and p.name.isdigit()]


def list_samples(root: Path | None = None) -> list[Sample]:
    """Every sample under ``root`` (default: the user's), by digit, oldest first."""
    root = root or samples_dir()
    if not root.is_dir():
        return []
    return [_sample(path, digit)
            for digit, folder in _digit_folders(root)
            for path in sorted(folder.iterdir())
            if path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")]


def counts(samples: list[Sample]) -> list[int]:
    """How many samples of each digit, 0 to 9."""
    per_digit = [0] * 10
    for sample in samples:
        per_digit[sample.label] += 1
    return per_digit


def read_sample(path: str | os.PathLike) -> np.ndarray | None:
    """The 28x28 pixels of a sample: from its strokes when the PNG holds them (read exactly
    as the canvas reads a drawing), else from the image through the app's normalization
    (any image file, dark-on-light or light-on-dark)."""
    path = Path(path)
    try:
        with Image.open(path) as image:
            text = (getattr(image, "text", {}) or {}).get("mnistpad-strokes")
            if text:
                image.load()
                ink = np.asarray(image.convert("L"), dtype=np.float32) / 255.0
                return digit_from_strokes(_strokes_from_json(text), ink.shape[0], ink)
    except (OSError, UnidentifiedImageError, ValueError, TypeError):
        pass  # not ours, or damaged strokes: read as an image, which names any problem
    return load_image(path)


def sample_strokes(path: str | os.PathLike) -> list[PenStroke] | None:
    """The strokes a sample was drawn with, or ``None`` when it holds none (an image file,
    a damaged or foreign PNG): the stroke reader learns from these."""
    try:
        with Image.open(path) as image:
            text = (getattr(image, "text", {}) or {}).get("mnistpad-strokes")
            return _strokes_from_json(text) if text else None
    except (OSError, UnidentifiedImageError, ValueError, TypeError, RecursionError):
        return None


def delete_sample(path: Path) -> bytes:
    """Remove a sample file; returns its bytes so that :func:`restore_sample` can undo."""
    data = Path(path).read_bytes()
    Path(path).unlink()
    return data


def restore_sample(path: Path, data: bytes) -> None:
    atomic_write_bytes(Path(path), data)


def load_sample_folder(root: str | os.PathLike) -> tuple[np.ndarray, np.ndarray, list[Path]]:
    """(images (N, 28, 28), labels (N,), paths) of an ImageFolder-style folder (``0/`` ...
    ``9/`` holding image files). Any problem is a one-line :class:`MnistpadError` naming the
    folder or file."""
    root = Path(root)
    if not root.is_dir():
        raise MnistpadError(f"{root}: no such folder")
    folders = _digit_folders(root)
    if not folders:
        raise MnistpadError(f"{root}: no digit folders (0/ ... 9/) holding your samples")
    images, labels, paths = [], [], []
    for digit, folder in folders:
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                raise MnistpadError(f"{path}: not an image file (expected one of "
                                    f"{', '.join(sorted(IMAGE_SUFFIXES))})")
            pixels = read_sample(path)
            if pixels is None:
                raise MnistpadError(f"{path}: holds no digit (the image is blank)")
            images.append(pixels)
            labels.append(digit)
            paths.append(path)
    if not images:
        raise MnistpadError(f"{root}: its digit folders hold no images")
    return np.stack(images).astype(np.float32), np.asarray(labels, dtype=np.int64), paths
