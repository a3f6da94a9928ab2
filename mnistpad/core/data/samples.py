"""Your samples: labelled drawings kept as files, without torch.

Samples live in the user data folder in torchvision's ImageFolder layout,
``samples/<digit>/<id>.png``: the canvas ink as drawn (white on black, 8-bit), so that a
person can look at them, copy them or delete them in a file manager, and a future
normalization still applies. The PNG's text chunks also hold the strokes (so a sample is
read exactly as the canvas reads a drawing), the digit the model read when the sample was
labelled (a correction when it differs from the label) and that model's name.
:mod:`mnistpad.core.personal.image` fine-tunes a model on them.
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

from mnistpad.core.data.preprocess import (
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    TOO_LARGE_FOR_PILLOW,
    load_image,
    open_image,
)
from mnistpad.core.files.atomic import write_atomic
from mnistpad.core.files.modelfile import MAX_NAME_LENGTH
from mnistpad.core.files.numbers import finite
from mnistpad.core.files.outside import is_regular, read_regular
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.platform.paths import user_dir
from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
# The digit folders, by name: ASCII digits only ('²' and '٣' are digits to str.isdigit()).
DIGIT_FOLDERS = {str(d): d for d in range(10)}
# Bounds on the strokes a sample carries, far above any drawing (a digit drawn with 500
# strokes of 200 points each is 100,000 points) and far below what would take seconds or
# gigabytes to draw again. A sample outside them is skipped and named, never drawn.
MAX_STROKES_TEXT = 4_000_000  # characters of the strokes' JSON
MAX_STROKES = 5_000
MAX_POINTS = 200_000
MAX_PEN_WIDTH = 200.0
MAX_CANVAS_SIDE = 4096  # a sample carrying strokes is the canvas's own square buffer
ERRORS = (OSError, UnidentifiedImageError, ValueError, SyntaxError, EOFError, MnistpadError,
          *TOO_LARGE_FOR_PILLOW)


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


def _number(value, low: float, high: float) -> bool:
    """A finite number in [low, high], through the parser of numbers read from files (a
    ``1`` and 400 zeros is an int no float holds: refused, never an OverflowError)."""
    return finite(value, low, high) is not None


def _strokes_from_json(text: str, side: int) -> list[PenStroke]:
    """The strokes of a sample drawn on a canvas of ``side`` pixels, every field bounded
    (see :data:`MAX_STROKES`...) before anything is drawn: a ``ValueError`` saying which
    bound is broken otherwise. Points may lie up to a canvas width outside the canvas (a
    stroke dragged past its edge), no further."""
    if len(text) > MAX_STROKES_TEXT:
        raise ValueError(f"its strokes take {len(text):,} characters, more than "
                         f"{MAX_STROKES_TEXT:,}")
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError("its strokes are nested too deep") from None
    if not isinstance(data, list) or len(data) > MAX_STROKES:
        raise ValueError(f"its strokes are not a list of at most {MAX_STROKES:,} strokes")
    strokes, total = [], 0
    for entry in data:
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], list)
                and entry[2] and entry[1] in (0, 1)):
            raise ValueError("a stroke is not [width, erase, points]")
        width, erase, points = entry
        if not _number(width, 0.0, MAX_PEN_WIDTH):
            raise ValueError(f"a stroke's pen width is not a number from 0 to {MAX_PEN_WIDTH:g}")
        total += len(points)
        if total > MAX_POINTS:
            raise ValueError(f"its strokes hold more than {MAX_POINTS:,} points")
        if not all(isinstance(p, list) and len(p) == 2
                   and _number(p[0], -side, 2 * side) and _number(p[1], -side, 2 * side)
                   for p in points):
            raise ValueError("a point is not two finite numbers on or near the canvas")
        strokes.append(PenStroke.of(points, float(width), bool(erase)))
    return strokes


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
    write_atomic(path, buffer.getvalue())
    return path


def _open_image(data: bytes) -> Image.Image:
    """An image from a file's bytes, its header read, nothing decoded (one of
    :data:`~mnistpad.core.data.preprocess.TOO_LARGE_FOR_PILLOW` for an image over Pillow's
    limits; the app's own, smaller pixel limit is checked by whoever decodes it)."""
    return open_image(data)


def _sample(path: Path, label: int) -> Sample:
    read_as, model = None, ""
    try:
        with _open_image(read_regular(path, MAX_IMAGE_BYTES)) as image:
            text = getattr(image, "text", {}) or {}
            if text.get("mnistpad-read-as", "") in DIGIT_FOLDERS:
                read_as = int(text["mnistpad-read-as"])
            model = text.get("mnistpad-model", "")
            if not (model.isprintable() and len(model) <= MAX_NAME_LENGTH):
                model = ""
    except ERRORS:
        pass  # listed all the same: reading it names the problem
    return Sample(path, label, read_as, model)


def sample_at(path: str | os.PathLike) -> Sample | None:
    """The sample in the file ``path`` (its label from its digit folder), or ``None`` when
    it is not in a digit folder or not a regular image file: one file read, not the folder."""
    path = Path(path)
    label = DIGIT_FOLDERS.get(path.parent.name)
    if label is None or path.suffix.lower() not in IMAGE_SUFFIXES or not is_regular(path):
        return None
    return _sample(path, label)


def _digit_folders(root: Path) -> list[tuple[int, Path]]:
    try:
        entries = sorted(root.iterdir())
    except OSError:  # unreadable: no samples, as for a missing folder
        return []
    return [(DIGIT_FOLDERS[p.name], p) for p in entries
            if p.name in DIGIT_FOLDERS and p.is_dir()]


def _sample_files(folder: Path) -> list[Path]:
    """The image files of a digit folder: regular files only (a named pipe called
    ``x.png`` would block whoever opened it), hidden ones left out."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    return [path for path in entries if path.suffix.lower() in IMAGE_SUFFIXES
            and not path.name.startswith(".") and is_regular(path)]


def list_samples(root: Path | None = None) -> list[Sample]:
    """Every sample under ``root`` (default: the user's), by digit, oldest first."""
    root = root or samples_dir()
    if not root.is_dir():
        return []
    return [_sample(path, digit)
            for digit, folder in _digit_folders(root)
            for path in _sample_files(folder)]


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
    data = read_regular(path, MAX_IMAGE_BYTES)  # a one-line error for a pipe or a huge file
    try:
        with _open_image(data) as image:
            text = (getattr(image, "text", {}) or {}).get("mnistpad-strokes")
            if text:
                return _read_strokes(image, text)
    except (OSError, UnidentifiedImageError, SyntaxError, EOFError):
        pass  # not an image Pillow opens: read as an image, which names the problem
    except TOO_LARGE_FOR_PILLOW:
        pass  # refused with the app's own pixel limit, named, by load_image
    except ValueError as exc:
        raise MnistpadError(f"{path}: skipped, {exc}") from None
    return load_image(path)


def _read_strokes(image: Image.Image, text: str) -> np.ndarray | None:
    """A sample's pixels from the strokes it carries, after its image and its strokes pass
    their bounds (a ``ValueError`` naming the broken bound otherwise)."""
    width, height = image.size
    if width != height or width > MAX_CANVAS_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise ValueError(f"its image is {width}x{height} pixels, not a canvas's square of at "
                         f"most {MAX_CANVAS_SIDE} pixels")
    strokes = _strokes_from_json(text, width)
    image.load()
    ink = np.asarray(image.convert("L"), dtype=np.float32) / 255.0
    return digit_from_strokes(strokes, ink.shape[0], ink)


def sample_strokes(path: str | os.PathLike) -> list[PenStroke] | None:
    """The strokes a sample was drawn with, every field bounded as :func:`read_sample` bounds
    them, or ``None`` when it holds none, or none that pass (an image file, a damaged or
    foreign PNG): the stroke reader learns from these."""
    try:
        data = read_regular(Path(path), MAX_IMAGE_BYTES)
        with _open_image(data) as image:
            text = (getattr(image, "text", {}) or {}).get("mnistpad-strokes")
            width, height = image.size
            if not text or width != height or width > MAX_CANVAS_SIDE:
                return None
            return _strokes_from_json(text, width)
    except (MnistpadError, OSError, UnidentifiedImageError, ValueError, TypeError,
            SyntaxError, EOFError, *TOO_LARGE_FOR_PILLOW):
        return None


def delete_sample(path: Path) -> bytes:
    """Remove a sample file; returns its bytes so that :func:`restore_sample` can undo."""
    data = Path(path).read_bytes()
    Path(path).unlink()
    return data


def restore_sample(path: Path, data: bytes) -> None:
    write_atomic(path, data)


def _folder_sample(path: Path) -> np.ndarray:
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise MnistpadError(f"{path}: not an image file (expected one of "
                            f"{', '.join(sorted(IMAGE_SUFFIXES))})")
    pixels = read_sample(path)
    if pixels is None:
        raise MnistpadError(f"{path}: holds no digit (the image is blank)")
    return pixels


def load_sample_folder(root: str | os.PathLike, problems: list[str] | None = None
                       ) -> tuple[np.ndarray, np.ndarray, list[Path]]:
    """(images (N, 28, 28), labels (N,), paths) of an ImageFolder-style folder (``0/`` ...
    ``9/`` holding image files). Any problem is a one-line :class:`MnistpadError` naming the
    folder or file; with a ``problems`` list, a file that cannot be used is skipped and its
    line appended there instead, so one bad sample never blocks the others."""
    root = Path(root)
    if not root.is_dir():
        raise MnistpadError(f"{root}: no such folder")
    folders = _digit_folders(root)
    if not folders:
        raise MnistpadError(f"{root}: no digit folders (0/ ... 9/) holding your samples")
    images, labels, paths = [], [], []
    for digit, folder in folders:
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            try:
                pixels = _folder_sample(path)
            except MnistpadError as exc:
                if problems is None:
                    raise
                problems.append(str(exc))
                continue
            images.append(pixels)
            labels.append(digit)
            paths.append(path)
    if not images and problems:  # nothing usable: the first reason is the error
        more = f" (and {len(problems) - 1} more files that cannot be used)" if problems[1:] else ""
        raise MnistpadError(problems[0] + more)
    if not images:
        raise MnistpadError(f"{root}: its digit folders hold no images")
    return np.stack(images).astype(np.float32), np.asarray(labels, dtype=np.int64), paths
