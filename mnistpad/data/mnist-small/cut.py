"""Cut the small MNIST set that ships in the package, from a full MNIST folder.

    python mnistpad/data/mnist-small/cut.py ../shared/mnist

Writes ``mnist-small.safetensors`` beside this script: ``replay_images`` / ``replay_labels``
(3,000 training digits, 300 of each digit) that personalization mixes into every step so the
model keeps reading MNIST, and ``check_images`` / ``check_labels`` (1,000 test digits, 100 of
each) on which a personal model's MNIST accuracy is measured when full MNIST is not there.
Images are uint8 (N, 28, 28) as in the IDX files; the digits are drawn at random (seed 0).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file
from torchvision.datasets import MNIST

PER_DIGIT = {"replay": (True, 300), "check": (False, 100)}


def cut(root: str) -> Path:
    rng = np.random.default_rng(0)
    tensors = {}
    for name, (train, per_digit) in PER_DIGIT.items():
        data = MNIST(root=root, train=train, download=False)
        labels = data.targets.numpy()
        rows = np.concatenate([rng.choice(np.flatnonzero(labels == d), per_digit, replace=False)
                               for d in range(10)])
        rng.shuffle(rows)
        tensors[f"{name}_images"] = data.data[torch.from_numpy(rows)].contiguous()
        tensors[f"{name}_labels"] = data.targets[torch.from_numpy(rows)].to(torch.uint8)
    out = Path(__file__).resolve().parent / "mnist-small.safetensors"
    save_file(tensors, str(out), metadata={
        "source": "MNIST (LeCun, Cortes, Burges): 300 training and 100 test digits of each "
                  "digit, drawn at random with seed 0 by cut.py"})
    return out


if __name__ == "__main__":
    print(cut(sys.argv[1] if len(sys.argv) > 1 else "../shared/mnist"))
