"""The stroke reader: reads a drawing from its strokes (order and direction), not its pixels.

A model file like the others (safetensors, the ``strokes`` spec in its metadata, see
:data:`mnistpad.core.models.specs.STROKE_VARIANTS`), trained by ``mnistpad train strokes``
(:mod:`mnistpad.core.strokes.training`). Its metadata also holds how its probabilities are
combined with the image model's (``combination``, chosen by cross-validation over the
training writers, :mod:`mnistpad.core.strokes.combination`).

Where stroke models live, and which one reads with which image model:
:mod:`mnistpad.core.strokes.files`.
"""

from __future__ import annotations

import os

import numpy as np
import torch

from mnistpad.core.files.modelfile import STROKES, LoadedModel, ModelInfo, load_model
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.strokes.features import CHANNELS, POINTS, TrajectoryReading
from mnistpad.core.strokes.files import (  # noqa: F401  (where stroke models live)
    FOLDER,
    NAME,
    default_stroke_model,
    shipped_stroke_model,
    user_stroke_models_dir,
)

INPUT_CONVENTION = (
    "a drawing's pen strokes (canvas pixels, y down), resampled to 48 points along the pen's "
    "path: x, y (centred, longer side in [-1, 1]), cos and sin of the direction, pen up"
)


class StrokeReader(TrajectoryReading):
    """A loaded stroke model in eval mode (dropout off, batch norm frozen), no gradients."""

    def __init__(self, loaded: LoadedModel):
        if loaded.info.spec.arch != "strokes":
            raise ModelFileError(f"{loaded.info.path}: not a stroke model (a "
                                 f"'{loaded.info.variant}' model reads images)")
        self.info: ModelInfo = loaded.info
        self.model = loaded.model.eval()

    @classmethod
    def from_file(cls, path: str | os.PathLike | None = None) -> StrokeReader:
        return cls(load_model(path if path is not None else default_stroke_model(),
                              kind=STROKES))

    @torch.inference_mode()
    def probabilities_of_features(self, features: np.ndarray) -> np.ndarray:
        """Ten probabilities (float64) per trajectory of shape (N, CHANNELS, POINTS)."""
        x = torch.as_tensor(np.asarray(features, dtype=np.float32))
        if tuple(x.shape[1:]) != (CHANNELS, POINTS):
            raise ValueError(f"expected (N, {CHANNELS}, {POINTS}) trajectories, got "
                             f"{tuple(x.shape)}")
        if self.model.training:  # put in train mode by someone: eval() walks every module
            self.model.eval()
        return self.model(x).float().softmax(dim=1).double().numpy()
