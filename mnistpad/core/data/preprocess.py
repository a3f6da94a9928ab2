"""Turning a drawing or an image file into MNIST's 28x28 pixels.

MNIST's digits were scaled to fit a 20x20 box (aspect ratio kept, grey levels from
anti-aliasing) and placed in a 28x28 field with their center of mass at the center. A drawing
must go through the same steps, or models trained on MNIST misread it. :func:`normalize_digit`
is the one function the canvas, image files, the CLI and the tests all use.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from mnistpad.core.files.outside import read_regular
from mnistpad.core.platform import lazy
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.platform.image_limits import PILLOW_SIZE_MESSAGE

np = lazy.module("numpy")  # imported on first use, after the window is painted

FIELD = 28
BOX = 20
# Where MNIST's centers of mass sit, in pixel-index coordinates (measured on the training set).
CENTER = 14.0
INK_THRESHOLD = 0.05
# A drawing whose ink spans less than this share of the canvas's longer side is a speck
# (a click with the default pen is about 0.09).
MIN_EXTENT = 0.12
# Image files: larger ones are refused from their header, before any pixel is decoded (an
# 8000x5000 photo passes; a 12000x12000 PNG would take gigabytes); decoded ones are shrunk
# to WORKING_SIDE before they become floats, which is plenty for a 20x20 digit.
MAX_IMAGE_PIXELS = 40_000_000
WORKING_SIDE = 2048
# The most bytes read of an image file (a 40-megapixel photo is about 20 MB).
MAX_IMAGE_BYTES = 100_000_000


def _resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    shrinking = width <= image.shape[1] and height <= image.shape[0]
    resample = Image.Resampling.BOX if shrinking else Image.Resampling.LANCZOS
    out = Image.fromarray(image.astype(np.float32), mode="F").resize((width, height), resample)
    return np.asarray(out, dtype=np.float32)


def _shift(image: np.ndarray, dx: float, dy: float) -> np.ndarray:
    """Move the content by (dx, dy) pixels with bilinear interpolation and zero fill."""
    src = Image.fromarray(image, mode="F")
    out = src.transform(src.size, Image.Transform.AFFINE, (1, 0, -dx, 0, 1, -dy),
                        resample=Image.Resampling.BILINEAR, fillcolor=0.0)
    return np.asarray(out, dtype=np.float32)


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the ink's center of mass."""
    mass = image.sum()
    rows = np.arange(image.shape[0], dtype=np.float64)
    cols = np.arange(image.shape[1], dtype=np.float64)
    return float(image.sum(1) @ rows / mass), float(image.sum(0) @ cols / mass)


def normalize_digit(ink: np.ndarray) -> np.ndarray | None:
    """MNIST pixels (28x28 float32 in [0, 1]) for ``ink``, a 2-D array of ink in [0, 1]
    (bright ink on black), or ``None`` when nothing but a speck is there."""
    ink = np.clip(np.asarray(ink, dtype=np.float32), 0.0, 1.0)
    if ink.ndim != 2:
        raise ValueError(f"ink must be a 2-D array, got shape {ink.shape}")
    rows = np.flatnonzero((ink > INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((ink > INK_THRESHOLD).any(axis=0))
    if rows.size == 0:
        return None
    height, width = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    if max(height, width) < MIN_EXTENT * max(ink.shape):
        return None
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    scale = BOX / max(height, width)
    new_h = max(1, round(height * scale))
    new_w = max(1, round(width * scale))
    digit = np.clip(_resize(crop, new_w, new_h), 0.0, 1.0)
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    top, left = (FIELD - new_h) // 2, (FIELD - new_w) // 2
    field[top : top + new_h, left : left + new_w] = digit
    if field.sum() <= 0:
        return None
    cy, cx = center_of_mass(field)
    return np.clip(_shift(field, CENTER - cx, CENTER - cy), 0.0, 1.0)


def _grey(image: Image.Image) -> np.ndarray:
    """Brightness in [0, 1]. Float and 16/32-bit images keep their own scale: a float TIFF
    in [0, 1] would be all black through ``convert("L")``, which clamps to 0-255."""
    if image.mode == "F":
        grey = np.nan_to_num(np.asarray(image, dtype=np.float32), nan=0.0, posinf=0.0,
                             neginf=0.0)
        top = float(grey.max(initial=0.0))  # [0, 1] or [0, 255], with resampling overshoot
        scale = 1.0 if top <= 2.0 else 255.0 if top <= 300.0 else top
        return np.clip(grey / scale, 0.0, 1.0)
    if image.mode.startswith("I"):
        grey = np.asarray(image, dtype=np.float32)
        top = float(grey.max(initial=0.0))
        return np.clip(grey / (255.0 if top <= 255.0 else 65535.0), 0.0, 1.0)
    return np.asarray(image.convert("L"), dtype=np.float32) / 255.0


def ink_from_image(image: Image.Image) -> np.ndarray:
    """Ink in [0, 1] from a picture of a digit: light ink on dark or dark ink on light paper
    (told apart by the border), or strokes on a transparent background."""
    if "A" in image.getbands() or "transparency" in image.info:
        alpha = np.asarray(image.convert("RGBA").getchannel("A"), dtype=np.float32) / 255.0
        if alpha.min() < 0.98:
            return alpha
    grey = _grey(image)
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper = float(np.median(border))
    ink = 1.0 - grey if paper > 0.5 else grey
    paper_ink = 1.0 - paper if paper > 0.5 else paper
    peak = float(np.percentile(ink, 99.5))
    if peak - paper_ink < 0.1:
        return np.zeros_like(ink)
    return np.clip((ink - paper_ink) / (peak - paper_ink), 0.0, 1.0)


def _too_large(path: Path, size: str) -> MnistpadError:
    return MnistpadError(
        f"{path}: the image is {size} pixels; mnistpad reads images of at most "
        f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels"
    )


def _open_picture(image: Image.Image, path: Path) -> Image.Image:
    """``image`` decoded, after its header says it is small enough: a JPEG is decoded at a
    reduced scale, anything else above :data:`MAX_IMAGE_PIXELS` is refused unread, and what
    is decoded is shrunk to at most :data:`WORKING_SIDE` before it becomes floats."""
    if image.format == "JPEG":
        image.draft(image.mode, (WORKING_SIDE, WORKING_SIDE))
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_large(path, f"{width}x{height}")
    image.load()
    factor = -(-max(image.size) // WORKING_SIDE)
    if factor > 1:
        reducible = {"1": "L", "P": "RGBA", "PA": "RGBA"}.get(image.mode, image.mode)
        if image.mode.startswith("I;"):
            reducible = "I"
        image = image.convert(reducible).reduce(factor)
    return image


# Pillow's own limits, as the errors an image over them raises here: over
# ``Image.MAX_IMAGE_PIXELS`` it warns (an error under a strict warnings filter), over twice
# that it raises. Either way the image is over mnistpad's smaller MAX_IMAGE_PIXELS, which is
# checked before decoding; the warning is left to the process's filters, never swapped (a
# ``warnings.catch_warnings`` in a job's thread swaps them for every thread).
TOO_LARGE_FOR_PILLOW = (Image.DecompressionBombError, Image.DecompressionBombWarning)


def pillow_limit_words(exc: Exception) -> str:
    """How large an image Pillow refused was, for :func:`_too_large`: its pixels as the
    warning says them, else over Pillow's limit."""
    found = re.match(PILLOW_SIZE_MESSAGE, str(exc))
    if found:
        return f"{int(found.group(1)):,}"
    if isinstance(exc, Image.DecompressionBombError):
        return f"over {2 * Image.MAX_IMAGE_PIXELS:,}"
    return f"over {Image.MAX_IMAGE_PIXELS:,}"


def open_image(data: bytes) -> Image.Image:
    """An image from a file's bytes, its header read, nothing decoded (raises one of
    :data:`TOO_LARGE_FOR_PILLOW` for an image over Pillow's limits)."""
    return Image.open(io.BytesIO(data))


def read_ink(path: str | os.PathLike) -> np.ndarray:
    """Ink in [0, 1] from an image file (see :func:`ink_from_image`), with a one-line
    :class:`MnistpadError` naming the file for anything unreadable, oversized or hostile."""
    path = Path(path)
    data = read_regular(path, MAX_IMAGE_BYTES)  # a named pipe would block Image.open forever
    try:
        with open_image(data) as image:
            return ink_from_image(_open_picture(image, path))
    except FileNotFoundError:
        raise MnistpadError(f"{path}: no such file") from None
    except TOO_LARGE_FOR_PILLOW as exc:
        raise _too_large(path, pillow_limit_words(exc)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise MnistpadError(f"{path}: not an image file that can be read ({exc})") from None


def load_image(path: str | os.PathLike) -> np.ndarray | None:
    """Normalized 28x28 pixels of the digit in an image file (``None`` if it is blank)."""
    return normalize_digit(read_ink(path))
