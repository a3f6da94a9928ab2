"""The stroke reader's network: a small 1-D CNN over a drawing's trajectory.

Input: (N, CHANNELS, POINTS) trajectories (:mod:`mnistpad.core.strokes.features`). Four
convolutions along the path (kernel 5, 5, 3, 3; batch norm, ReLU, max-pooling twice), then the
12 positions of 128 channels, flattened (where along the path something happens matters: a
4's first stroke is not a 9's), dropout and one fully connected layer to the ten digits.
"""

from __future__ import annotations

import torch
from torch import nn

from mnistpad.core.strokes.features import CHANNELS, POINTS
from mnistpad.core.strokes.network_shape import KERNELS, POOL_AFTER, WIDTHS


class StrokeNet(nn.Module):
    def __init__(self, keep_prob: float = 1.0, generator: torch.Generator | None = None):
        super().__init__()
        layers: list[nn.Module] = []
        width = CHANNELS
        for i, (out, kernel) in enumerate(zip(WIDTHS, KERNELS, strict=True)):
            conv = nn.Conv1d(width, out, kernel, padding=kernel // 2)
            nn.init.xavier_uniform_(conv.weight, generator=generator)
            nn.init.zeros_(conv.bias)
            layers += [conv, nn.BatchNorm1d(out), nn.ReLU()]
            if i in POOL_AFTER:
                layers.append(nn.MaxPool1d(2))
            width = out
        self.features = nn.Sequential(*layers)
        positions = POINTS // 2 ** len(POOL_AFTER)
        out = nn.Linear(width * positions, 10)
        nn.init.xavier_uniform_(out.weight, generator=generator)
        nn.init.zeros_(out.bias)
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(1.0 - keep_prob), out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def build_stroke_net(spec, generator: torch.Generator | None = None) -> StrokeNet:
    """The network of a ``strokes`` spec (its ``keep_prob`` is the dropout before the last
    layer)."""
    return StrokeNet(spec.keep_prob, generator)
