"""Where stroke models live, and which one reads with which image model; no torch.

Stroke models live in a ``strokes/`` folder beside the image models (shipped:
``models/strokes/strokes.safetensors``; trained: ``<user data folder>/models/strokes/``), so
that the catalog of image models, whose every file reads 28x28 pixels, never lists them. A
personal copy of the default model has its own personal stroke reader, fine-tuned on the same
samples, in the ``strokes/`` folder beside it under the same file name
(:func:`personal_stroke_path`); :func:`stroke_model_for` picks the one to read with.
"""

from __future__ import annotations

import os
from pathlib import Path

from mnistpad.core.modelfile import SUFFIX, ModelInfo
from mnistpad.core.paths import shipped_models_dir, user_models_dir

FOLDER = "strokes"
NAME = "strokes"


def shipped_stroke_model() -> Path:
    return shipped_models_dir() / FOLDER / f"{NAME}{SUFFIX}"


def user_stroke_models_dir() -> Path:
    return user_models_dir() / FOLDER


def default_stroke_model() -> Path:
    """The stroke model to read with: the user's own ``strokes`` if trained, else the
    shipped one."""
    own = user_stroke_models_dir() / f"{NAME}{SUFFIX}"
    return own if own.is_file() else shipped_stroke_model()


def reads_strokes(info: ModelInfo | None) -> bool:
    """Whether ``info`` reads a drawing's strokes besides its picture: the default model (and
    a personal copy of it); the lab variants stay image-only, as the lecture's lessons."""
    from mnistpad.core.specs import DEFAULT_VARIANT

    return info is not None and info.variant == DEFAULT_VARIANT


def personal_stroke_path(image_model: str | os.PathLike) -> Path:
    """The personal stroke reader that goes with the personal image model at
    ``image_model``: ``strokes/<same file name>`` beside it."""
    image_model = Path(image_model)
    return image_model.parent / FOLDER / image_model.name


def stroke_model_for(info: ModelInfo | None) -> Path:
    """The stroke model that reads with image model ``info``: the personal stroke reader
    saved with it when ``info`` is a personal model that has one, else the default."""
    from mnistpad.core.personal_checks import personal_record

    if info is not None and personal_record(info) is not None:
        own = personal_stroke_path(info.path)
        if own.is_file():
            return own
    return default_stroke_model()
