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

from mnistpad.core.data.mnist import Mnist, Split
from mnistpad.core.models.variants import Dropout, Ensemble, VariantSpec, build_model
from mnistpad.core.platform.errors import TrainingCancelled, TrainingDiverged
from mnistpad.core.training.warmup import import_training_machinery

DEFAULT_SEED = 777
MAX_SEED = 2**63 - 1
# A batch cost this many times the first batch's means the run has blown up, even while it is
# still finite (Adam at lr 1e6 reached 6.6e17 and 10% accuracy); runs that train never came
# within a factor of 5 of it on the fixture, nn's N(0,1) start included.
EXPLODED_FACTOR = 1000.0


@dataclass(frozen=True)
class Progress:
    """One progress record. ``kind`` is "batch" (``cost`` is that batch's cost) or "epoch"
    (``cost`` and ``train_cost`` are the epoch's mean cost over its batches, ``train_acc``
    the share of its batches' digits read right as they were trained on (a running mean:
    dropout on, augmented if the spec augments, weights changing along the epoch), and
    ``test_acc`` / ``test_cost`` the test set's accuracy and mean cost after it, if measured)."""

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
    train_cost: float | None = None
    train_acc: float | None = None
    test_cost: float | None = None

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
    train_accuracy_history: list[float] = field(default_factory=list)
    test_cost_history: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    seconds: float = 0.0
    training_data: str = ""
    drawn_accuracy: float | None = None
    test_count: int = 0  # how many test digits ``test_accuracy`` was measured on

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


def batch_loss(model: nn.Module, spec: VariantSpec, x: torch.Tensor, y: torch.Tensor,
               generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """(loss to step on, cost to report) of one batch in the model's input shape, augmented
    when ``spec`` says so (from ``generator``): mean cross-entropy; an ensemble sums its
    members' costs (each member sees its own augmentation of the batch) and reports their
    mean. What training steps on, and personalizing too."""
    loss, cost, _correct = _batch_loss_and_correct(model, spec, x, y, generator)
    return loss, cost


def _batch_loss_and_correct(model: nn.Module, spec: VariantSpec, x: torch.Tensor,
                            y: torch.Tensor, generator: torch.Generator):
    """:func:`batch_loss` and the batch's digits read right (a tensor: no sync), from the
    same outputs (an ensemble's reading: its members' averaged probabilities)."""
    if isinstance(model, Ensemble):
        logits = [member(_augment(x, generator) if spec.augment else x)
                  for member in model.members]
        total = torch.stack([F.cross_entropy(out, y) for out in logits]).sum()
        with torch.no_grad():
            probs = torch.stack([out.softmax(dim=1) for out in logits]).mean(dim=0)
            correct = (probs.argmax(dim=1) == y).sum()
        return total, total.detach() / len(logits), correct
    if spec.augment:
        x = _augment(x, generator)
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    return loss, loss.detach(), (logits.detach().argmax(dim=1) == y).sum()


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


def test_figures(model: nn.Module, spec: VariantSpec, split: Split,
                 should_stop: Callable[[], bool] | None = None) -> tuple[float, float]:
    """(accuracy, mean cost) of ``split`` from one pass, as :func:`accuracy` measures it."""
    logits = predict_logits(model, spec, split.images, should_stop=should_stop)
    correct = int((logits.argmax(dim=1) == split.labels).sum())
    return correct / len(split.labels), float(F.cross_entropy(logits.float(), split.labels))


def training_split(spec: VariantSpec, data: Mnist, seed: int) -> tuple[Split, str]:
    """The split ``spec`` trains on, and what it is in words: MNIST's training set, plus the
    training writers' pen-drawn digits when ``spec.pen_copies`` asks for them."""
    described = f"MNIST training set ({len(data.train):,} digits)"
    if not spec.pen_copies:
        return data.train, described
    from mnistpad.core.data.pendigits import describe_pen_training
    from mnistpad.core.data.pendigits import training_split as pen_split

    pen = pen_split(spec.pen_copies, seed)
    combined = Split(torch.cat([data.train.images, pen.images]),
                     torch.cat([data.train.labels, pen.labels]))
    return combined, f"{described} + {describe_pen_training(spec.pen_copies)}"


def drawn_accuracy(model: nn.Module, spec: VariantSpec,
                   should_stop: Callable[[], bool] | None = None) -> float:
    """Fraction of the development writers' pen-drawn digits (never trained on) read right,
    drawn at full size as the canvas draws them."""
    from mnistpad.core.data.pendigits import development_split

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


def _step(model: nn.Module, optimizer: torch.optim.Optimizer, spec: VariantSpec,
          x: torch.Tensor, y: torch.Tensor,
          generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """One step of gradient descent on one batch; the batch's cost and its digits read right,
    as tensors (reading them is the caller's sync point)."""
    loss, cost_t, right = _batch_loss_and_correct(model, spec, x, y, generator)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return cost_t, right


def optimizer_step(model: nn.Module, optimizer: torch.optim.Optimizer, spec: VariantSpec,
                   x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> float:
    """One step of gradient descent on one batch; returns the batch's cost."""
    return _step(model, optimizer, spec, x, y, generator)[0].item()


@dataclass
class _Run:
    """What the epochs of one :func:`train` call share."""

    spec: VariantSpec
    model: nn.Module
    optimizer: torch.optim.Optimizer
    scheduler: object
    feed: BatchFeed
    generator: torch.Generator
    stop: Callable[[], bool]
    on_progress: Callable[[Progress], None] | None
    watch: Callable[[nn.Module], None] | None
    start: float
    first_cost: float | None = None


def _train_epoch(run: _Run, epoch: int) -> tuple[float, float, float]:
    """One epoch of batches; returns (mean cost, training accuracy as trained, seconds)."""
    spec, feed = run.spec, run.feed
    run.model.train()
    epoch_start = time.perf_counter()
    total = 0.0
    correct = torch.zeros((), dtype=torch.int64, device=feed.labels.device)
    for b, x, y in feed.epoch(run.generator):
        if run.stop():
            raise TrainingCancelled("Training was cancelled; nothing was saved.")
        cost_t, right = _step(run.model, run.optimizer, spec, x, y, run.generator)
        if run.scheduler is not None:
            run.scheduler.step()
        correct += right
        if run.watch is not None:
            run.watch(run.model)
        cost = cost_t.item()
        run.first_cost = cost if run.first_cost is None else run.first_cost
        if is_diverging(cost, run.first_cost):
            raise _diverged(cost, run.first_cost, epoch, b + 1, spec.learning_rate)
        total += cost
        if run.on_progress is not None:
            now = time.perf_counter()
            run.on_progress(Progress(
                "batch", epoch, spec.epochs, b + 1, feed.batches, cost, now - run.start,
                min(feed.size, (b + 1) * spec.batch_size) / (now - epoch_start)))
    return total / feed.batches, int(correct) / feed.size, time.perf_counter() - epoch_start


def train(
    spec: VariantSpec,
    data: Mnist,
    *,
    seed: int = DEFAULT_SEED,
    device: str = "auto",
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    evaluate: bool = True,
    watch: Callable[[nn.Module], None] | None = None,
) -> TrainResult:
    """Train a fresh model of ``spec`` on ``data.train``; see the module docstring.

    Raises :class:`TrainingCancelled` when ``should_stop()`` turns true (checked before every
    batch) and :class:`TrainingDiverged` when a batch's cost is NaN, infinite or
    :data:`EXPLODED_FACTOR` times the first batch's. The same seed gives the same run, whatever
    other threads do meanwhile. ``watch(model)``, if given, is called after every batch's
    step (:class:`mnistpad.core.lessons.activations.TrainingWatch` reads the layers every few
    hundred).
    """
    check_seed(seed)
    import_training_machinery()  # torch._dynamo and sympy, ahead of the optimizer's first use
    dev = resolve_device(device)
    model, generator, _ = fresh_model(spec, seed, dev)
    optimizer = make_optimizer(spec, model.parameters())
    feed = batch_feed(spec, data, seed, dev)
    if feed.channels_last:
        model = model.to(memory_format=torch.channels_last)
    scheduler = None
    if spec.lr_schedule == "cosine":
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
            optimizer, spec.epochs * feed.batches)
    result = TrainResult(spec, model, seed, str(dev), training_data=feed.described,
                         test_count=len(data.test))
    run = _Run(spec, model, optimizer, scheduler, feed, generator,
               should_stop or (lambda: False), on_progress, watch, time.perf_counter())
    for epoch in range(1, spec.epochs + 1):
        cost, train_acc, train_seconds = _train_epoch(run, epoch)
        acc, test_cost = (test_figures(model, spec, data.test, run.stop) if evaluate
                          else (None, None))
        result.cost_history.append(cost)
        result.train_accuracy_history.append(train_acc)
        result.epoch_seconds.append(train_seconds)
        if acc is not None:
            result.accuracy_history.append(acc)
            result.test_cost_history.append(test_cost)
        if on_progress is not None:
            on_progress(Progress("epoch", epoch, spec.epochs, feed.batches, feed.batches, cost,
                                 time.perf_counter() - run.start, feed.size / train_seconds,
                                 acc, train_seconds, cost, train_acc, test_cost))
    if evaluate:
        result.drawn_accuracy = drawn_accuracy(model, spec, run.stop)
    result.seconds = time.perf_counter() - run.start
    finish_model(model, spec, dev)
    return result
