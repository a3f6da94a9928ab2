"""Why initialization matters: each layer's activations and gradients over one fixed batch.

For a model (a saved file, or a lab variant freshly initialized with N(0,1), Xavier or He
and a seed) this runs one fixed batch of 1,000 MNIST test digits forward and the batch's
cost backward, and returns per layer: a histogram of the layer's outputs and one of the
gradient of the cost with respect to them, their mean and standard deviation, the fraction
of ReLU units that are zero for every digit of the batch (dead units; ``None`` where the
layer is no ReLU), the gradients' standard deviation, and a :class:`Finding` that names
what the numbers show (the view words it). Ensembles are read member by member.

Everything is measured in eval mode (dropout off, batch norm frozen) with
``torch.autograd.grad``, which fills no parameter's ``.grad``: :class:`TrainingWatch` can
read a model in the middle of its training without changing the run.
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from mnistpad.core.data.mnist import Split
from mnistpad.core.lessons.inside import input_shape, networks
from mnistpad.core.models.specs import INITS, lab_spec
from mnistpad.core.models.variants import Ensemble, build_model
from mnistpad.core.training.train import check_seed

BATCH_DIGITS = 1_000
BINS = 40
# Layers whose output equals their input when classifying (dropout is off in eval mode):
# showing them would repeat the layer before.
SKIPPED = (nn.Dropout, nn.Flatten)
# What the findings are judged by. The lecture's N(0,1) nn has hidden outputs with a
# standard deviation in the hundreds; Xavier's stay near one.
EXPLODING_STD = 5.0
VANISHING_STD = 0.01
DEAD_SHARE = 0.5
SATURATED_CONFIDENCE = 0.9
SATURATED_COST = 5.0
# The training loop reads the model every this many batches (600 per epoch on MNIST), and
# puts a reading off while it would take more than this share of the training time.
WATCH_EVERY = 300
WATCH_MAX_SHARE = 0.05


class Finding(enum.Enum):
    """What a layer's numbers show, for the view to put in words."""

    SATURATED = "saturated"  # output layer: softmax is certain of one digit, costs are huge
    EXPLODING = "exploding"  # outputs' spread far above one, growing layer by layer
    VANISHING = "vanishing"  # outputs' spread near zero: the signal fades away
    DEAD = "dead"  # most ReLU units are zero for every digit
    HEALTHY = "healthy"  # outputs near one, few dead units


class BatchSource(enum.Enum):
    MNIST_TEST = "mnist_test"  # the first 1,000 digits of MNIST's test set
    SHIPPED = "shipped"  # the 1,000 test digits that ship in the package


@dataclass(frozen=True)
class ProbeBatch:
    """The fixed batch every reading uses: flat (N, 784) images in [0, 1] and labels."""

    images: torch.Tensor
    labels: torch.Tensor
    source: BatchSource

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Histogram:
    """``counts[i]`` values fell in ``[edges[i], edges[i + 1])`` (the last bin is closed)."""

    edges: np.ndarray
    counts: np.ndarray

    def to_dict(self) -> dict:
        return {"edges": [float(e) for e in self.edges], "counts": [int(c) for c in self.counts]}


@dataclass(frozen=True)
class LayerStats:
    """One layer's output over the batch. ``zero_fraction`` is the share of its units that
    are zero for every digit (dead ReLU units), ``None`` for a layer that is no ReLU."""

    index: int
    kind: str
    units: int
    mean: float
    std: float
    zero_fraction: float | None
    grad_std: float
    activations: Histogram
    gradients: Histogram
    finding: Finding

    @property
    def name(self) -> str:
        return f"{self.index} {self.kind}"

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "units": self.units, "mean": self.mean,
                "std": self.std, "zero_fraction": self.zero_fraction,
                "grad_std": self.grad_std, "finding": self.finding.value,
                "activation_histogram": self.activations.to_dict(),
                "gradient_histogram": self.gradients.to_dict()}


@dataclass(frozen=True)
class NetworkStats:
    """One plain layer stack (a model, or one member of an ensemble): its layers in order,
    its cost and accuracy on the batch, and its mean confidence (the mean of the highest
    softmax probability). ``has_relu`` is False where dead units do not apply."""

    layers: list[LayerStats]
    cost: float
    accuracy: float
    confidence: float

    @property
    def has_relu(self) -> bool:
        return any(layer.zero_fraction is not None for layer in self.layers)

    def last_hidden(self) -> LayerStats | None:
        """The last ReLU's output: what the output layer is fed (None without ReLU)."""
        relus = [layer for layer in self.layers if layer.zero_fraction is not None]
        return relus[-1] if relus else None

    def to_dict(self) -> dict:
        return {"cost": self.cost, "accuracy": self.accuracy, "confidence": self.confidence,
                "has_relu": self.has_relu, "layers": [layer.to_dict() for layer in self.layers]}


@dataclass(frozen=True)
class ActivationStats:
    """A whole model over the batch: each member's stack (one for a plain model) and the
    model's own cost (an ensemble's: of its averaged probabilities)."""

    members: list[NetworkStats]
    cost: float
    digits: int
    source: BatchSource

    @property
    def is_ensemble(self) -> bool:
        return len(self.members) > 1

    def to_dict(self) -> dict:
        return {"cost": self.cost, "digits": self.digits, "batch": self.source.value,
                "members": [m.to_dict() for m in self.members]}


# --------------------------------------------------------------------------- the batch


def batch_from_split(split: Split, source: BatchSource) -> ProbeBatch:
    n = min(BATCH_DIGITS, len(split))
    return ProbeBatch(split.images[:n].float(), split.labels[:n].long(), source)


def probe_batch(mnist_folder: str | Path | None = None) -> ProbeBatch:
    """The first 1,000 digits of MNIST's test set from ``mnist_folder``, or the 1,000 test
    digits shipped in the package when no folder is given."""
    if mnist_folder is None:
        from mnistpad.core.personal.image import small_mnist

        return batch_from_split(small_mnist()[1], BatchSource.SHIPPED)
    from mnistpad.core.data.mnist import load_test_split

    return batch_from_split(load_test_split(mnist_folder), BatchSource.MNIST_TEST)


# --------------------------------------------------------------------------- models


def fresh_model(variant: str, init: str | None = None, seed: int = 0) -> nn.Module:
    """Lab ``variant`` freshly initialized (with ``init`` instead of its own, if given) from
    a generator seeded with ``seed``: the same seed gives the same weights."""
    spec = lab_spec(variant)
    if init is not None and init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of: {', '.join(INITS)}")
    check_seed(seed)
    model = build_model(spec.with_overrides(init=init), torch.Generator().manual_seed(seed))
    return model.eval()


# --------------------------------------------------------------------------- reading


def _histogram(values: torch.Tensor) -> Histogram:
    low, high = float(values.min()), float(values.max())
    if not (math.isfinite(low) and math.isfinite(high)):
        values = values[torch.isfinite(values)]
        low, high = (float(values.min()), float(values.max())) if values.numel() else (0.0, 0.0)
    if high <= low:
        low, high = low - 0.5, high + 0.5
    counts = torch.histc(values, BINS, low, high)
    return Histogram(np.linspace(low, high, BINS + 1), counts.round().to(torch.int64).numpy())


def _finding(kind: str, std: float, zero_fraction: float | None, is_output: bool,
             confidence: float, cost: float) -> Finding:
    if is_output and confidence >= SATURATED_CONFIDENCE and cost >= SATURATED_COST:
        return Finding.SATURATED
    if std >= EXPLODING_STD:
        return Finding.EXPLODING
    if zero_fraction is not None and zero_fraction >= DEAD_SHARE:
        return Finding.DEAD
    if std <= VANISHING_STD:
        return Finding.VANISHING
    return Finding.HEALTHY


def _layer_stats(index: int, module: nn.Module, output: torch.Tensor, grad: torch.Tensor,
                 is_output: bool, confidence: float, cost: float) -> LayerStats:
    flat = output.detach().reshape(len(output), -1).float()
    grad = grad.reshape(len(grad), -1).float()
    zero = None
    if isinstance(module, nn.ReLU):
        zero = float((flat == 0).all(dim=0).float().mean())
    std = float(flat.std())
    kind = type(module).__name__
    return LayerStats(index, kind, flat.shape[1], float(flat.mean()), std, zero,
                      float(grad.std()), _histogram(flat), _histogram(grad),
                      _finding(kind, std, zero, is_output, confidence, cost))


def read_network(network: nn.Sequential, batch: ProbeBatch) -> NetworkStats:
    """One layer stack over ``batch``: a forward pass with a hook on each shown layer, then
    the gradients of the mean cross-entropy with respect to those layers' outputs."""
    device = next(network.parameters()).device
    shown = [(i, m) for i, m in enumerate(network) if not isinstance(m, SKIPPED)]
    outputs: dict[int, torch.Tensor] = {}
    handles = [module.register_forward_hook(
        lambda _m, _inputs, out, i=i: outputs.__setitem__(i, out)) for i, module in shown]
    x = batch.images.to(device).view(-1, *input_shape(network)).requires_grad_(True)
    labels = batch.labels.to(device)
    try:
        with torch.enable_grad():
            logits = network(x)
            cost = F.cross_entropy(logits.float(), labels)
            grads = torch.autograd.grad(cost, [outputs[i] for i, _m in shown])
    finally:
        for handle in handles:
            handle.remove()
    probs = logits.detach().float().softmax(dim=1)
    confidence = float(probs.max(dim=1).values.mean())
    cost_value = float(cost.detach())
    accuracy = float((probs.argmax(dim=1) == labels).float().mean())
    last = shown[-1][0]
    layers = [_layer_stats(i, m, outputs[i], g, i == last, confidence, cost_value)
              for (i, m), g in zip(shown, grads, strict=True)]
    return NetworkStats(layers, cost_value, accuracy, confidence)


def read_model(model: nn.Module, batch: ProbeBatch) -> ActivationStats:
    """Every layer of ``model`` (each member's, for an ensemble) over ``batch``, in eval
    mode; the model's own training or eval mode is restored afterwards."""
    was_training = model.training
    model.eval()
    try:
        members = [read_network(net, batch) for net in networks(model)]
        if isinstance(model, Ensemble):
            device = next(model.parameters()).device
            with torch.no_grad():
                x = batch.images.to(device).view(-1, *input_shape(networks(model)[0]))
                cost = float(F.nll_loss(model(x).float(), batch.labels.to(device)))
        else:
            cost = members[0].cost
    finally:
        model.train(was_training)
    return ActivationStats(members, cost, len(batch), batch.source)


class TrainingWatch:
    """The training loop's hook: called with the model after every batch, it reads the
    model at the first batch and then every ``every`` batches, and hands the
    :class:`ActivationStats` to ``report`` (a worker's signal). A reading of ``deep``
    costs about as much as ten of its training batches; a CNN's costs far more than its
    batches do, so a reading is also put off until the training since the last one has
    taken ``1 / max_share`` times as long as that reading did: the watch never adds more
    than ``max_share`` to the training time, whatever the model (``None``: every
    ``every`` batches, whatever it costs)."""

    def __init__(self, batch: ProbeBatch, report: Callable[[ActivationStats], None],
                 every: int = WATCH_EVERY, max_share: float | None = WATCH_MAX_SHARE):
        if every < 1:
            raise ValueError("every must be at least 1 batch")
        if max_share is not None and not 0 < max_share <= 1:
            raise ValueError("max_share must be above 0 and at most 1")
        self.batch = batch
        self.report = report
        self.every = every
        self.max_share = max_share
        self.readings = 0
        self._batches = 0
        self._last_end = 0.0
        self._last_seconds = 0.0

    def __call__(self, model: nn.Module) -> None:
        self._batches += 1
        if self._batches != 1 and self._batches % self.every:
            return
        now = time.perf_counter()
        if (self.max_share is not None and self.readings
                and (now - self._last_end) * self.max_share < self._last_seconds):
            return
        stats = read_model(model, self.batch)
        self._last_end = time.perf_counter()
        self._last_seconds = self._last_end - now
        self.readings += 1
        self.report(stats)
