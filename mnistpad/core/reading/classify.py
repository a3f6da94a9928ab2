"""Classification of 28x28 images by a loaded variant, always with dropout off."""

from __future__ import annotations

import os

import numpy as np
import torch

from mnistpad.core.files.modelfile import LoadedModel, ModelInfo, load_model
from mnistpad.core.models.variants import Dropout


class Classifier:
    """Wraps a loaded model in eval mode (dropout disabled, batch norm frozen), no gradients.

    :meth:`probabilities` takes images of shape (N, 28, 28) or (28, 28) in [0, 1] and returns
    the ten probabilities per image as a float64 array of shape (N, 10).
    """

    def __init__(self, loaded: LoadedModel):
        self.info: ModelInfo = loaded.info
        self.model = loaded.model.eval()
        self._device = next(self.model.parameters()).device
        self._shape = self.info.spec.input_shape

    @classmethod
    def from_file(cls, path: str | os.PathLike, device: str = "cpu") -> Classifier:
        return cls(load_model(path, device))

    @property
    def name(self) -> str:
        return self.info.name

    def _inputs(self, images) -> torch.Tensor:
        """(N, 28, 28) or (28, 28) images as the model's input batch, on its device."""
        x = torch.as_tensor(np.asarray(images, dtype=np.float32))
        if x.ndim == 2:
            x = x.unsqueeze(0)
        if tuple(x.shape[1:]) != (28, 28):
            raise ValueError(f"expected 28x28 images, got shape {tuple(x.shape)}")
        return x.to(self._device).reshape(-1, *self._shape)

    @staticmethod
    def _softmax(logits: torch.Tensor) -> np.ndarray:
        return logits.float().softmax(dim=1).cpu().double().numpy()

    @torch.inference_mode()
    def probabilities(self, images) -> np.ndarray:
        x = self._inputs(images)
        if self.model.training:  # put in train mode by someone: eval() walks every module
            self.model.eval()
        return self._softmax(self.model(x))

    @property
    def has_dropout(self) -> bool:
        return any(isinstance(m, Dropout) and m.p > 0 for m in self.model.modules())

    @torch.inference_mode()
    def probabilities_with_dropout_on(self, image, samples: int = 5,
                                      seed: int | None = None) -> np.ndarray:
        """The lecture's warning made visible: ``samples`` readings of one 28x28 image with
        the dropout layers left on, as while training (batch norm stays frozen). Each reading
        drops its own random units, so the answers wobble. Shape (samples, 10). The masks come
        from a private generator, never torch's global one; the model is back in eval mode
        afterwards, and :meth:`probabilities` never uses this."""
        x = self._inputs(image)[:1].expand(samples, *self._shape)
        generator = torch.Generator(device=self._device)
        if seed is None:
            generator.seed()
        else:
            generator.manual_seed(seed)
        dropouts = [m for m in self.model.modules() if isinstance(m, Dropout)]
        try:
            for module in dropouts:
                module.generator = generator
                module.train()
            logits = self.model(x)
        finally:
            for module in dropouts:
                module.generator = None
            self.model.eval()
        return self._softmax(logits)

    def predict(self, image) -> tuple[int, np.ndarray]:
        """The predicted digit and the ten probabilities for one 28x28 image."""
        probs = self.probabilities(image)[0]
        return int(probs.argmax()), probs
