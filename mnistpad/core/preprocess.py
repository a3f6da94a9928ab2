"""Turning a drawing or an image file into MNIST's 28x28 pixels.

MNIST's digits were scaled to fit a 20x20 box (aspect ratio kept, grey levels from
anti-aliasing) and placed in a 28x28 field with their center of mass at the center. A drawing
must go through the same steps, or models trained on MNIST misread it. :func:`normalize_digit`
is the one function the canvas, image files, the CLI and the tests all use.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from mnistpad.core.errors import MnistpadError

FIELD = 28
BOX = 20
# Where MNIST's centers of mass sit, in pixel-index coordinates (measured on the training set).
CENTER = 14.0
INK_THRESHOLD = 0.05
# A drawing whose ink spans less than this share of the canvas's longer side is a speck
# (a click with the default pen is about 0.09).
MIN_EXTENT = 0.12


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


def ink_from_image(image: Image.Image) -> np.ndarray:
    """Ink in [0, 1] from a picture of a digit: light ink on dark or dark ink on light paper
    (told apart by the border), or strokes on a transparent background."""
    if "A" in image.getbands() or "transparency" in image.info:
        alpha = np.asarray(image.convert("RGBA").getchannel("A"), dtype=np.float32) / 255.0
        if alpha.min() < 0.98:
            return alpha
    grey = np.asarray(image.convert("L"), dtype=np.float32) / 255.0
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper = float(np.median(border))
    ink = 1.0 - grey if paper > 0.5 else grey
    paper_ink = 1.0 - paper if paper > 0.5 else paper
    peak = float(np.percentile(ink, 99.5))
    if peak - paper_ink < 0.1:
        return np.zeros_like(ink)
    return np.clip((ink - paper_ink) / (peak - paper_ink), 0.0, 1.0)


def load_image(path: str | os.PathLike) -> np.ndarray | None:
    """Normalized 28x28 pixels of the digit in an image file (``None`` if it is blank)."""
    path = Path(path)
    try:
        with Image.open(path) as image:
            image.load()
            ink = ink_from_image(image)
    except FileNotFoundError:
        raise MnistpadError(f"{path}: no such file") from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise MnistpadError(f"{path}: not an image file that can be read ({exc})") from None
    return normalize_digit(ink)
