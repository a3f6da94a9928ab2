"""The stroke reader: reads a drawing from its strokes (order and direction), not its pixels.

A model file like the others (safetensors, the ``strokes`` spec in its metadata, see
:data:`mnistpad.core.specs.STROKE_VARIANTS`), trained by ``mnistpad train strokes``
(:mod:`mnistpad.core.stroke_training`). Its metadata also holds how its probabilities are
combined with the image model's (``combination``, chosen by cross-validation over the
training writers, :mod:`mnistpad.core.stroke_combination`).

Stroke models live in a ``strokes/`` folder beside the image models (shipped:
``models/strokes/strokes.safetensors``; trained: ``<user data folder>/models/strokes/``), so
that the catalog of image models, whose every file reads 28x28 pixels, never lists them.

Importing this module does not import torch (loading a model does): the torch-free stroke
reader (:class:`mnistpad.core.npreader.NumpyStrokeReader`) finds its file with
:func:`default_stroke_model` before torch has loaded.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mnistpad.core.errors import ModelFileError
from mnistpad.core.modelfile import SUFFIX, LoadedModel, ModelInfo, load_model
from mnistpad.core.paths import shipped_models_dir, user_models_dir
from mnistpad.core.stroke_features import CHANNELS, POINTS, trajectory

FOLDER = "strokes"
NAME = "strokes"
INPUT_CONVENTION = (
    "a drawing's pen strokes (canvas pixels, y down), resampled to 48 points along the pen's "
    "path: x, y (centred, longer side in [-1, 1]), cos and sin of the direction, pen up"
)


def shipped_stroke_model() -> Path:
    return shipped_models_dir() / FOLDER / f"{NAME}{SUFFIX}"


def user_stroke_models_dir() -> Path:
    return user_models_dir() / FOLDER


def default_stroke_model() -> Path:
    """The stroke model to read with: the user's own ``strokes`` if trained, else the
    shipped one."""
    own = user_stroke_models_dir() / f"{NAME}{SUFFIX}"
    return own if own.is_file() else shipped_stroke_model()


class StrokeReader:
    """A loaded stroke model in eval mode (dropout off, batch norm frozen), no gradients."""

    def __init__(self, loaded: LoadedModel):
        if loaded.info.spec.arch != "strokes":
            raise ModelFileError(f"{loaded.info.path}: not a stroke model (a "
                                 f"'{loaded.info.variant}' model reads images)")
        self.info: ModelInfo = loaded.info
        self.model = loaded.model.eval()

    @classmethod
    def from_file(cls, path: str | os.PathLike | None = None) -> StrokeReader:
        return cls(load_model(path if path is not None else default_stroke_model()))

    @property
    def name(self) -> str:
        return self.info.name

    def probabilities_of_features(self, features: np.ndarray) -> np.ndarray:
        """Ten probabilities (float64) per trajectory of shape (N, CHANNELS, POINTS)."""
        import torch

        x = torch.as_tensor(np.asarray(features, dtype=np.float32))
        if tuple(x.shape[1:]) != (CHANNELS, POINTS):
            raise ValueError(f"expected (N, {CHANNELS}, {POINTS}) trajectories, got "
                             f"{tuple(x.shape)}")
        self.model.eval()
        with torch.inference_mode():
            return self.model(x).float().softmax(dim=1).double().numpy()

    def probabilities(self, strokes: Sequence) -> np.ndarray | None:
        """The ten probabilities for one drawing's strokes, or ``None`` when it has no
        trajectory (nothing drawn, a dot: see :func:`trajectory`)."""
        features = trajectory(strokes)
        if features is None:
            return None
        return self.probabilities_of_features(features[None])[0]

    def probabilities_of_drawings(self, drawings: Sequence[Sequence]) -> np.ndarray:
        """(N, 10) probabilities for many drawings, a row of NaN for one with no trajectory."""
        out = np.full((len(drawings), 10), np.nan)
        rows, batch = [], []
        for i, strokes in enumerate(drawings):
            features = trajectory(strokes)
            if features is not None:
                rows.append(i)
                batch.append(features)
        for start in range(0, len(batch), 1000):
            chunk = np.stack(batch[start:start + 1000])
            out[rows[start:start + 1000]] = self.probabilities_of_features(chunk)
        return out
