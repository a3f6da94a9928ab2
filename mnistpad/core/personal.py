"""Your handwriting: a personal model fine-tuned on your samples (:mod:`mnistpad.core.samples`).

**Personalizing** fine-tunes a copy of a saved model on the samples (Adam, a small learning
rate, every step all samples with fresh random augmentation plus MNIST digits as replay so
that the model keeps reading MNIST). The replay digits ship in the package
(``mnistpad/data/mnist-small``: 3,000 training digits, and 1,000 test digits to measure
MNIST accuracy), so no MNIST download is needed. Before/after on your own digits is measured
honestly: one sample of each digit that has two or more is held out, a first fine-tune on the
others is scored on them, then the personal model is fine-tuned on all of them.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from mnistpad.core.data import Split
from mnistpad.core.errors import MnistpadError, TrainingCancelled
from mnistpad.core.modelfile import LoadedModel, build_metadata, save_model
from mnistpad.core.registry import personal_name  # noqa: F401 - part of this module's API
from mnistpad.core.train import _batch_loss, accuracy
from mnistpad.core.variants import Dropout

SMALL_MNIST = (Path(__file__).resolve().parents[1] / "data" / "mnist-small"
               / "mnist-small.safetensors")
STEPS = 60
LEARNING_RATE = 1e-4
REPLAY_PER_STEP = 64
MAX_SAMPLES_PER_STEP = 100


# ----------------------------------------------------------------------------- fine-tuning


@functools.lru_cache(maxsize=1)
def small_mnist() -> tuple[Split, Split]:
    """(replay, check): the MNIST digits that ship in the package (see the module doc)."""
    from safetensors import SafetensorError
    from safetensors.torch import load

    from mnistpad.core.files import read_regular

    try:  # read into memory, not mapped: see mnistpad.core.files
        tensors = load(read_regular(SMALL_MNIST, 64_000_000))
    except (MnistpadError, SafetensorError, ValueError) as exc:
        raise MnistpadError(f"{SMALL_MNIST}: the shipped MNIST digits cannot be read ({exc})"
                            ) from None

    def split(name: str) -> Split:
        images = tensors[f"{name}_images"].reshape(-1, 784).float().div_(255.0)
        return Split(images, tensors[f"{name}_labels"].long())

    return split("replay"), split("check")


@dataclass
class Personalized:
    """A fine-tuned copy of a model and what was measured about it."""

    model: torch.nn.Module
    base: LoadedModel
    per_digit: list[int]
    held_out: int
    before: int | None = None  # held-out samples read right by the base model
    after: int | None = None  # ... and by a fine-tune that did not see them
    mnist_before: float | None = None
    mnist_after: float | None = None
    mnist_source: str = ""
    steps: int = STEPS
    seconds: float = 0.0


def _split(images: np.ndarray, labels: np.ndarray) -> Split:
    return Split(torch.from_numpy(np.asarray(images, np.float32).reshape(-1, 784)),
                 torch.from_numpy(np.asarray(labels, np.int64)))


def fine_tune(model: torch.nn.Module, spec, samples: Split, replay: Split, *,
              steps: int = STEPS, seed: int = 0,
              should_stop: Callable[[], bool] | None = None,
              on_step: Callable[[int], None] | None = None) -> torch.nn.Module:
    """Fine-tune ``model`` in place on ``samples`` mixed with ``replay`` digits, with
    augmentation and dropout as in training (batch norm statistics stay frozen); every
    random draw comes from a private generator seeded with ``seed``."""
    generator = torch.Generator().manual_seed(seed)
    augmenting = dataclasses.replace(spec, augment=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    dropouts = [m for m in model.modules() if isinstance(m, Dropout)]
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    # Convolutions run faster in NHWC order on the CPU, as in training.
    channels_last = len(spec.input_shape) == 3 and next(model.parameters()).device.type == "cpu"
    if channels_last:
        model.to(memory_format=torch.channels_last)
    model.train()
    for module in norms:
        module.eval()
    for module in dropouts:
        module.generator = generator
    try:
        for step in range(steps):
            if should_stop is not None and should_stop():
                raise TrainingCancelled("Personalizing was cancelled; nothing was saved.")
            pick = torch.randperm(len(samples), generator=generator)[:MAX_SAMPLES_PER_STEP]
            extra = torch.randint(len(replay), (REPLAY_PER_STEP,), generator=generator)
            x = torch.cat([samples.images[pick], replay.images[extra]])
            y = torch.cat([samples.labels[pick], replay.labels[extra]])
            loss, _ = _batch_loss(model, augmenting, x.view(-1, *spec.input_shape), y, generator)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if on_step is not None:
                on_step(step + 1)
    finally:
        for module in dropouts:
            module.generator = None
        if channels_last:
            model.to(memory_format=torch.contiguous_format)
        model.eval()
    return model


def _held_out_rows(labels: np.ndarray) -> np.ndarray:
    """The newest sample of every digit that has two or more."""
    rows = [np.flatnonzero(labels == d)[-1] for d in range(10)
            if np.count_nonzero(labels == d) >= 2]
    return np.asarray(rows, dtype=np.int64)


def personalize(base: LoadedModel, images: np.ndarray, labels: np.ndarray, *,
                steps: int = STEPS, seed: int = 0, mnist_check: Split | None = None,
                should_stop: Callable[[], bool] | None = None,
                on_progress: Callable[[float], None] | None = None) -> Personalized:
    """Fine-tune a copy of ``base`` on the samples (see the module docstring); ``base`` is
    left as it was. ``mnist_check`` (default: the 1,000 shipped test digits) measures MNIST
    accuracy before and after. ``on_progress`` gets the fraction done."""
    images = np.asarray(images, dtype=np.float32)
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) == 0:
        raise MnistpadError("no samples to learn from: label a few drawings first")
    spec = base.info.spec
    replay, shipped_check = small_mnist()
    check = mnist_check if mnist_check is not None else shipped_check
    start = time.perf_counter()
    held = _held_out_rows(labels)
    runs = 2 if len(held) else 1
    done = [0]

    def step(_: int) -> None:
        done[0] += 1
        if on_progress is not None:
            on_progress(done[0] / (runs * steps))

    result = Personalized(base.model, base, [int((labels == d).sum()) for d in range(10)],
                          len(held), steps=steps,
                          mnist_source=f"{len(check):,} MNIST test digits")
    if len(held):
        keep = np.setdiff1d(np.arange(len(labels)), held)
        held_split = _split(images[held], labels[held])
        trial = copy.deepcopy(base.model)
        result.before = _count(base.model, spec, held_split)
        fine_tune(trial, spec, _split(images[keep], labels[keep]), replay, steps=steps,
                  seed=seed, should_stop=should_stop, on_step=step)
        result.after = _count(trial, spec, held_split)
        del trial
    model = copy.deepcopy(base.model)
    fine_tune(model, spec, _split(images, labels), replay, steps=steps, seed=seed,
              should_stop=should_stop, on_step=step)
    result.model = model
    result.mnist_before = accuracy(base.model, spec, check, should_stop)
    result.mnist_after = accuracy(model, spec, check, should_stop)
    result.seconds = time.perf_counter() - start
    return result


def _count(model: torch.nn.Module, spec, split: Split) -> int:
    return round(accuracy(model, spec, split) * len(split))


def save_personal(result: Personalized, path: str | os.PathLike) -> Path:
    """Write the personal model with what it is: its base, the samples per digit, the
    before/after on held-out samples and the MNIST accuracy."""
    path = Path(path)
    info = result.base.info
    personal = {
        "base": info.name, "base_file": info.path.name, "samples_per_digit": result.per_digit,
        "held_out": result.held_out, "held_out_before": result.before,
        "held_out_after": result.after, "mnist_before": result.mnist_before,
        "mnist_after": result.mnist_after, "mnist_measured_on": result.mnist_source,
        "steps": result.steps, "learning_rate": LEARNING_RATE, "seconds": round(result.seconds, 2),
    }
    meta = build_metadata(
        path.stem, info.spec,
        personal=personal,
        training_data=f"{info.training_data}; then fine-tuned on {sum(result.per_digit)} of "
                      f"your own drawings",
        test_accuracy="" if result.mnist_after is None else f"{result.mnist_after:.6f}",
        cost_history=info.cost_history, accuracy_history=info.accuracy_history,
    )
    return save_model(path, result.model, meta)


def summary(result: Personalized) -> str:
    """One line for people: before and after on held-out samples, and MNIST."""
    parts = []
    if result.before is not None:
        parts.append(f"read {result.before} of {result.held_out} of your held-out digits "
                     f"before, {result.after} of {result.held_out} now")
    if result.mnist_before is not None and result.mnist_after is not None:
        parts.append(f"MNIST {100 * result.mnist_before:.1f}% -> {100 * result.mnist_after:.1f}% "
                     f"({result.mnist_source})")
    return "; ".join(parts) or "no held-out samples to compare (label two of a digit)"
