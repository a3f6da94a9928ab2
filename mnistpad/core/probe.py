"""How long an epoch of a design takes on this machine, from a short measured run.

The network editor shows the estimate next to the parameter count. A guess from the count
alone would be wrong by several times (a CNN's convolutions cost far more per parameter than
a Linear layer; batch norm and dropout add passes), so the probe runs the real training loop
(:func:`mnistpad.core.train.train`, the one the CLI and the window use) for a few batches of
random digits-shaped data and scales the measured time per batch to MNIST's 60,000 training
digits. The first batches (allocations, caches warming up) are left out of the measurement.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from mnistpad.core.errors import TrainingCancelled
from mnistpad.core.specs import VariantSpec

MNIST_TRAIN_SIZE = 60_000
WARMUP_BATCHES = 2
MEASURED_BATCHES = 6


@dataclass(frozen=True)
class EpochEstimate:
    """The training pass of one epoch (the test pass after it is not counted)."""

    spec: VariantSpec
    epoch_seconds: float
    batch_seconds: float
    measured_batches: int


def measure_epoch(spec: VariantSpec, report=None, should_stop=None,
                  batches: int = MEASURED_BATCHES, device: str = "cpu") -> EpochEstimate:
    """Train ``spec`` for ``WARMUP_BATCHES + batches`` batches of random data through the real
    loop and time the last ``batches``. A job for the window's job runner: ``report`` gets the
    fraction done, ``should_stop`` cancels (then :class:`TrainingCancelled` is raised)."""
    import torch

    from mnistpad.core.data import Mnist, Split
    from mnistpad.core.train import train

    probe = spec.with_overrides(epochs=1, pen_copies=0, lr_schedule="none")
    total = WARMUP_BATCHES + batches
    n = total * probe.batch_size
    generator = torch.Generator().manual_seed(0)
    images = torch.rand(n, 784, generator=generator)
    labels = torch.randint(0, 10, (n,), generator=generator)
    split = Split(images, labels)
    times: list[float] = []

    def on_progress(record) -> None:
        if record.kind == "batch":
            times.append(time.perf_counter())
            if report is not None:
                report(record.batch / total)

    train(probe, Mnist(split, split, root=None), device=device, on_progress=on_progress,
          should_stop=should_stop, evaluate=False)
    if len(times) < total:
        raise TrainingCancelled("the measurement was cancelled")
    batch_seconds = (times[-1] - times[WARMUP_BATCHES - 1]) / batches
    per_epoch = math.ceil(MNIST_TRAIN_SIZE / probe.batch_size)
    return EpochEstimate(spec, batch_seconds * per_epoch, batch_seconds, batches)
