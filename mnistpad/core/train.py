"""The training loop shared by the CLI and the GUI.

:func:`train` is one plain loop: shuffled batches indexed from the in-memory tensors, Adam
(or another optimizer the spec names), a progress record per batch and per epoch through a
callback, test accuracy after each epoch in eval mode without gradients, a cancel check at
every batch, and a stop with a clear error when the cost diverges.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from mnistpad.core.data import Mnist, Split
from mnistpad.core.errors import TrainingCancelled, TrainingDiverged
from mnistpad.core.variants import Dropout, Ensemble, VariantSpec, build_model

DEFAULT_SEED = 777
MAX_SEED = 2**63 - 1
# A batch cost this many times the first batch's means the run has blown up, even while it is
# still finite (Adam at lr 1e6 reached 6.6e17 and 10% accuracy); runs that train never came
# within a factor of 5 of it on the fixture, nn's N(0,1) start included.
EXPLODED_FACTOR = 1000.0


@dataclass(frozen=True)
class Progress:
    """One progress record. ``kind`` is "batch" (``cost`` is that batch's cost) or "epoch"
    (``cost`` is the epoch's mean cost and ``test_acc`` its test accuracy, if measured)."""

    kind: str
    epoch: int
    epochs: int
    batch: int
    batches: int
    cost: float
    seconds: float
    samples_per_s: float
    test_acc: float | None = None
    epoch_seconds: float | None = None

    @property
    def fraction(self) -> float:
        """How much of the whole run is done, from 0 to 1."""
        return ((self.epoch - 1) * self.batches + self.batch) / (self.epochs * self.batches)


@dataclass
class TrainResult:
    spec: VariantSpec
    model: nn.Module
    seed: int
    device: str
    cost_history: list[float] = field(default_factory=list)
    accuracy_history: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    seconds: float = 0.0
    training_data: str = ""
    drawn_accuracy: float | None = None

    @property
    def test_accuracy(self) -> float | None:
        return self.accuracy_history[-1] if self.accuracy_history else None


def resolve_device(name: str = "auto") -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("CUDA was asked for, but torch sees no CUDA device here; use --device cpu")
    if name not in ("cpu", "cuda"):
        raise ValueError(f"unknown device {name!r}; choose auto, cpu or cuda")
    return torch.device(name)


def make_optimizer(spec: VariantSpec, params) -> torch.optim.Optimizer:
    lr = spec.learning_rate
    if spec.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr)
    if spec.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if spec.optimizer == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    if spec.optimizer == "adagrad":
        return torch.optim.Adagrad(params, lr=lr)
    return torch.optim.RMSprop(params, lr=lr)


def augment_batch(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random small rotations, scalings, shifts and stroke-width changes of (N, 1, 28, 28)
    images, the way people's drawings vary from MNIST's."""
    n = images.shape[0]
    dev = images.device

    def uniform(low: float, high: float) -> torch.Tensor:
        return (torch.rand(n, generator=generator) * (high - low) + low).to(dev)

    angle = uniform(-15, 15) * math.pi / 180
    scale = uniform(0.85, 1.15)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack(
        [torch.stack([cos, -sin, uniform(-0.15, 0.15)], 1),
         torch.stack([sin, cos, uniform(-0.15, 0.15)], 1)], 1
    )
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    out = F.grid_sample(images, grid, align_corners=False, padding_mode="zeros")
    width = torch.rand(n, generator=generator).to(dev)
    thicker = F.max_pool2d(out, 3, 1, 1)
    thinner = -F.max_pool2d(-out, 3, 1, 1)
    out = torch.where((width < 0.15).view(n, 1, 1, 1), thicker, out)
    return torch.where((width > 0.9).view(n, 1, 1, 1), thinner, out)


def _augment(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """:func:`augment_batch` for a batch in the model's input shape (flat for MLPs)."""
    return augment_batch(x.view(-1, 1, 28, 28), generator).view(x.shape)


def _batch_loss(model: nn.Module, spec: VariantSpec, x: torch.Tensor, y: torch.Tensor,
                generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean cross-entropy; an ensemble sums its members' costs (each member sees its own
    augmentation of the batch) and reports their mean."""
    if isinstance(model, Ensemble):
        losses = [
            F.cross_entropy(member(_augment(x, generator) if spec.augment else x), y)
            for member in model.members
        ]
        total = torch.stack(losses).sum()
        return total, total.detach() / len(losses)
    if spec.augment:
        x = _augment(x, generator)
    loss = F.cross_entropy(model(x), y)
    return loss, loss.detach()


@torch.no_grad()
def predict_logits(model: nn.Module, spec: VariantSpec, images: torch.Tensor,
                   batch_size: int = 500,
                   should_stop: Callable[[], bool] | None = None) -> torch.Tensor:
    """Logits for flat (N, 784) images, in eval mode (dropout off), without gradients.
    ``should_stop`` is checked between chunks (a test-set pass of a CNN takes seconds)."""
    was_training = model.training
    model.eval()
    try:
        device = next(model.parameters()).device
        chunks = []
        for i in range(0, len(images), batch_size):
            if should_stop is not None and should_stop():
                raise TrainingCancelled("Training was cancelled; nothing was saved.")
            x = images[i : i + batch_size].to(device).view(-1, *spec.input_shape)
            chunks.append(model(x).cpu())
    finally:
        model.train(was_training)
    return torch.cat(chunks)


def accuracy(model: nn.Module, spec: VariantSpec, split: Split,
             should_stop: Callable[[], bool] | None = None) -> float:
    """Fraction of ``split`` read right, computed from the exact count (9,920 of 10,000 is 0.992,
    not float32's 0.99199998)."""
    predicted = predict_logits(model, spec, split.images, should_stop=should_stop).argmax(dim=1)
    return int((predicted == split.labels).sum()) / len(split.labels)


def training_split(spec: VariantSpec, data: Mnist, seed: int) -> tuple[Split, str]:
    """The split ``spec`` trains on, and what it is in words: MNIST's training set, plus the
    training writers' pen-drawn digits when ``spec.pen_copies`` asks for them."""
    described = f"MNIST training set ({len(data.train):,} digits)"
    if not spec.pen_copies:
        return data.train, described
    from mnistpad.core.pendigits import describe_pen_training
    from mnistpad.core.pendigits import training_split as pen_split

    pen = pen_split(spec.pen_copies, seed)
    combined = Split(torch.cat([data.train.images, pen.images]),
                     torch.cat([data.train.labels, pen.labels]))
    return combined, f"{described} + {describe_pen_training(spec.pen_copies)}"


def drawn_accuracy(model: nn.Module, spec: VariantSpec,
                   should_stop: Callable[[], bool] | None = None) -> float:
    """Fraction of the development writers' pen-drawn digits (never trained on) read right,
    drawn at full size as the canvas draws them."""
    from mnistpad.core.pendigits import development_split

    return accuracy(model, spec, development_split(), should_stop)


def check_seed(seed) -> int:
    if not (isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed <= MAX_SEED):
        raise ValueError(f"the seed must be a whole number from 0 to {MAX_SEED}")
    return seed


def _diverged(cost: float, first: float, epoch: int, batch: int, lr: float) -> TrainingDiverged:
    what = f"became {cost}" if not math.isfinite(cost) else f"exploded to {cost:.3g}"
    return TrainingDiverged(
        f"The cost {what} at epoch {epoch}, batch {batch} (it started at {first:.3g}): the run "
        f"diverged and was stopped, nothing was saved. Try a smaller learning rate than "
        f"{lr:g}; the lecture starts Adam at 0.001."
    )


def _run_generators(seed: int, dev: torch.device) -> tuple[torch.Generator, torch.Generator]:
    """The run's own random numbers: one generator for initialization, shuffling and
    augmentation, and the dropout masks from it too (or from its twin on a GPU, where masks
    are drawn). Nothing comes from torch's global generator, which any other thread (the
    window loading a model) may draw from at any moment."""
    generator = torch.Generator().manual_seed(seed)
    if dev.type == "cpu":
        return generator, generator
    return generator, torch.Generator(device=dev).manual_seed(seed)


def use_mask_generator(model: nn.Module, generator: torch.Generator | None) -> None:
    for module in model.modules():
        if isinstance(module, Dropout):
            module.generator = generator


def is_diverging(cost: float, first_cost: float) -> bool:
    """True when a batch's cost is NaN, infinite or :data:`EXPLODED_FACTOR` times the first."""
    return not math.isfinite(cost) or cost > EXPLODED_FACTOR * first_cost


def fresh_model(spec: VariantSpec, seed: int,
                dev: torch.device) -> tuple[nn.Module, torch.Generator, torch.Generator]:
    """A new model of ``spec`` initialized from ``seed`` on ``dev``, its dropout drawing from
    the run's mask generator; returns the model, the run's generator (for shuffling and
    augmentation, already past the initialization) and the mask generator."""
    check_seed(seed)
    generator, mask_generator = _run_generators(seed, dev)
    model = build_model(spec, generator).to(dev)
    use_mask_generator(model, mask_generator)
    return model, generator, mask_generator


def uses_channels_last(spec: VariantSpec, dev: torch.device) -> bool:
    """Convolutions and max-pooling run faster in NHWC order on the CPU (oneDNN)."""
    return dev.type == "cpu" and len(spec.input_shape) == 3


def finish_model(model: nn.Module, spec: VariantSpec, dev: torch.device) -> None:
    """Back to the layout and dropout a loaded model has, so both answer identically."""
    if uses_channels_last(spec, dev):
        model.to(memory_format=torch.contiguous_format)
    use_mask_generator(model, None)
    model.eval()


@dataclass
class BatchFeed:
    """The training split on the device, served as shuffled batches in the model's input
    shape: one data pipeline, whichever models it feeds."""

    spec: VariantSpec
    images: torch.Tensor
    labels: torch.Tensor
    described: str
    channels_last: bool

    @property
    def size(self) -> int:
        return len(self.labels)

    @property
    def batches(self) -> int:
        return math.ceil(self.size / self.spec.batch_size)

    def epoch(self, generator: torch.Generator):
        """Yield ``(b, x, y)`` for the batches of one epoch in an order drawn from
        ``generator``. Each batch gathers its shuffled rows into a small contiguous tensor:
        about as cheap as slicing pre-batched tensors, without a second copy of the split."""
        size = self.spec.batch_size
        order = torch.randperm(self.size, generator=generator).to(self.images.device)
        for b in range(self.batches):
            rows = order[b * size : (b + 1) * size]
            x = self.images.index_select(0, rows).view(-1, *self.spec.input_shape)
            if self.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            yield b, x, self.labels.index_select(0, rows)


def batch_feed(spec: VariantSpec, data: Mnist, seed: int, dev: torch.device) -> BatchFeed:
    split, described = training_split(spec, data, seed)
    return BatchFeed(spec, split.images.to(dev), split.labels.to(dev), described,
                     uses_channels_last(spec, dev))


def optimizer_step(model: nn.Module, optimizer: torch.optim.Optimizer, spec: VariantSpec,
                   x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> float:
    """One step of gradient descent on one batch; returns the batch's cost."""
    loss, cost_t = _batch_loss(model, spec, x, y, generator)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return cost_t.item()


def train(
    spec: VariantSpec,
    data: Mnist,
    *,
    seed: int = DEFAULT_SEED,
    device: str = "auto",
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    evaluate: bool = True,
) -> TrainResult:
    """Train a fresh model of ``spec`` on ``data.train``; see the module docstring.

    Raises :class:`TrainingCancelled` when ``should_stop()`` turns true (checked before every
    batch) and :class:`TrainingDiverged` when a batch's cost is NaN, infinite or
    :data:`EXPLODED_FACTOR` times the first batch's. The same seed gives the same run, whatever
    other threads do meanwhile.
    """
    check_seed(seed)
    dev = resolve_device(device)
    model, generator, _ = fresh_model(spec, seed, dev)
    optimizer = make_optimizer(spec, model.parameters())
    feed = batch_feed(spec, data, seed, dev)
    if feed.channels_last:
        model = model.to(memory_format=torch.channels_last)
    n, batches = feed.size, feed.batches
    scheduler = None
    if spec.lr_schedule == "cosine":
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, spec.epochs * batches)
    result = TrainResult(spec, model, seed, str(dev), training_data=feed.described)
    stop = should_stop or (lambda: False)
    start = time.perf_counter()
    first_cost: float | None = None

    for epoch in range(1, spec.epochs + 1):
        model.train()
        epoch_start = time.perf_counter()
        total = 0.0
        for b, x, y in feed.epoch(generator):
            if stop():
                raise TrainingCancelled("Training was cancelled; nothing was saved.")
            cost = optimizer_step(model, optimizer, spec, x, y, generator)
            if scheduler is not None:
                scheduler.step()
            first_cost = cost if first_cost is None else first_cost
            if is_diverging(cost, first_cost):
                raise _diverged(cost, first_cost, epoch, b + 1, spec.learning_rate)
            total += cost
            if on_progress is not None:
                now = time.perf_counter()
                on_progress(Progress("batch", epoch, spec.epochs, b + 1, batches, cost,
                                     now - start,
                                     min(n, (b + 1) * spec.batch_size) / (now - epoch_start)))
        train_seconds = time.perf_counter() - epoch_start
        acc = accuracy(model, spec, data.test, stop) if evaluate else None
        result.cost_history.append(total / batches)
        result.epoch_seconds.append(train_seconds)
        if acc is not None:
            result.accuracy_history.append(acc)
        if on_progress is not None:
            on_progress(Progress("epoch", epoch, spec.epochs, batches, batches, total / batches,
                                 time.perf_counter() - start, n / train_seconds, acc,
                                 train_seconds))
    if evaluate:
        result.drawn_accuracy = drawn_accuracy(model, spec, stop)
    result.seconds = time.perf_counter() - start
    finish_model(model, spec, dev)
    return result
