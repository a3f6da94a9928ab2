"""How long an epoch of a design takes on this machine, from a short measured run.

The network editor shows the estimate next to the parameter count. A guess from the count
alone would be wrong by several times (a CNN's convolutions cost far more per parameter than
a Linear layer; batch norm and dropout add passes), so the probe runs the real training loop
(:func:`mnistpad.core.training.train.train`, the one the CLI and the window use) on random
digit-shaped data and scales the measured time per batch to MNIST's 60,000 training digits.
The first batches (allocations, caches warming up) are left out; the rest are timed until
they add up to :data:`MIN_SECONDS` (a softmax batch takes a few milliseconds, and a handful
of them says more about the machine's load at that instant than about the design), within
:data:`MIN_BATCHES` to :data:`MAX_BATCHES` batches.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from mnistpad.core.models.specs import VariantSpec
from mnistpad.core.platform.errors import TrainingCancelled

MNIST_TRAIN_SIZE = 60_000
WARMUP_BATCHES = 2
MIN_BATCHES = 6
MAX_BATCHES = 200
MIN_SECONDS = 0.5
_ROWS = 10_000  # random images held for the probe (31 MB), reused epoch after epoch


@dataclass(frozen=True)
class EpochEstimate:
    """The training pass of one epoch (the test pass after it is not counted)."""

    spec: VariantSpec
    epoch_seconds: float
    batch_seconds: float
    measured_batches: int


def measure_epoch(spec: VariantSpec, report=None, should_stop=None,
                  device: str = "cpu") -> EpochEstimate:
    """Train ``spec`` through the real loop on random data and time its batches after the
    warm-up ones (see the module docstring). A job for the window's job runner: ``report``
    gets the fraction done, ``should_stop`` cancels (:class:`TrainingCancelled` is raised)."""
    import torch

    from mnistpad.core.data.mnist import Mnist, Split
    from mnistpad.core.training.train import train

    per_epoch = max(1, min(10, _ROWS // spec.batch_size))
    n = per_epoch * spec.batch_size
    probe = spec.with_overrides(epochs=math.ceil(MAX_BATCHES / per_epoch), pen_copies=0,
                                lr_schedule="none")
    generator = torch.Generator().manual_seed(0)
    split = Split(torch.rand(n, 784, generator=generator),
                  torch.randint(0, 10, (n,), generator=generator))
    times: list[float] = []

    def measured() -> tuple[int, float]:
        count = len(times) - WARMUP_BATCHES
        return count, (times[-1] - times[WARMUP_BATCHES - 1]) if count > 0 else 0.0

    def enough() -> bool:
        count, seconds = measured()
        return count >= MAX_BATCHES - WARMUP_BATCHES or (
            count >= MIN_BATCHES and seconds >= MIN_SECONDS)

    def on_progress(record) -> None:
        if record.kind == "batch":
            times.append(time.perf_counter())
            if report is not None:
                count, seconds = measured()
                report(min(1.0, max(count / MAX_BATCHES, seconds / MIN_SECONDS)))

    asked = should_stop or (lambda: False)
    try:
        train(probe, Mnist(split, split, root=None), device=device, on_progress=on_progress,
              should_stop=lambda: asked() or enough(), evaluate=False)
    except TrainingCancelled:
        if asked():
            raise
    count, seconds = measured()
    batch_seconds = seconds / count
    batches = math.ceil(MNIST_TRAIN_SIZE / spec.batch_size)
    return EpochEstimate(spec, batch_seconds * batches, batch_seconds, count)
