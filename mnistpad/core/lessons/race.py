"""The optimizer race: two to five optimizers train the same variant side by side.

A fair comparison of optimizers needs the same start, the same batches in the same order and
the same dropout masks; only the optimizer and its learning rate may differ. :func:`race`
builds one model, copies it for every racer, and feeds every racer each batch of one shared
data pipeline (:class:`mnistpad.core.training.train.BatchFeed`) in turn, so that all curves advance
together. Each racer's dropout draws from a generator of its own, seeded alike, so the masks
match step by step. A racer whose cost diverges stops and is marked "diverged at step N"
(data, not an error) while the others go on.

No torch at module level: the window imports the race's names and presets at start-up.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mnistpad.core.models.specs import LAB_VARIANTS, MAX_LEARNING_RATE, VariantSpec
from mnistpad.core.platform.errors import TrainingCancelled

if TYPE_CHECKING:
    from mnistpad.core.data.mnist import Mnist

# In the order the lecture introduces them.
RACE_OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
LECTURE_LEARNING_RATE = 0.001
# Rates at which each optimizer learns well on the lab MLPs in one epoch (measured on MNIST
# with xavier): plain gradient descent at the lecture's 0.001 barely moves.
TUNED_LEARNING_RATES = {"sgd": 0.1, "momentum": 0.01, "adagrad": 0.01, "rmsprop": 0.001,
                        "adam": 0.001}
MIN_RACERS, MAX_RACERS = 2, len(RACE_OPTIMIZERS)
# The variants a race can run: the lecture's labs (the ensembles train 3 networks each, with
# augmentation drawn per member, which no shared pipeline can keep equal).
RACE_VARIANTS = tuple(LAB_VARIANTS)
REPORT_INTERVAL_S = 0.05


@dataclass(frozen=True)
class Racer:
    optimizer: str
    learning_rate: float = LECTURE_LEARNING_RATE


def check_learning_rate(optimizer: str, value) -> float:
    """``value`` as a learning rate, or ValueError naming the optimizer and the valid range."""
    try:
        rate = float(value)
    except (TypeError, ValueError):
        rate = float("nan")
    if not (math.isfinite(rate) and 0 < rate <= MAX_LEARNING_RATE):
        raise ValueError(f"the learning rate of {optimizer} must be a positive number up to "
                         f"{MAX_LEARNING_RATE:g}, not {str(value)[:40]!r}")
    return rate


def check_racers(racers: list[Racer]) -> list[Racer]:
    """The racers if they can race, else ValueError with one line saying what is wrong."""
    names = [r.optimizer for r in racers]
    unknown = [n for n in names if n not in RACE_OPTIMIZERS]
    if unknown:
        raise ValueError(f"unknown optimizer {unknown[0]!r}; choose from: "
                         f"{', '.join(RACE_OPTIMIZERS)}")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"{', '.join(twice)} named more than once; each optimizer races once")
    if not MIN_RACERS <= len(racers) <= MAX_RACERS:
        raise ValueError(f"a race needs {MIN_RACERS} to {MAX_RACERS} optimizers (got "
                         f"{len(racers)}); choose from: {', '.join(RACE_OPTIMIZERS)}")
    for racer in racers:
        check_learning_rate(racer.optimizer, racer.learning_rate)
    return list(racers)


def check_variant(name: str) -> VariantSpec:
    if name not in RACE_VARIANTS:
        raise ValueError(f"unknown variant {name!r} for a race; choose one of: "
                         f"{', '.join(RACE_VARIANTS)}")
    return LAB_VARIANTS[name]


@dataclass(frozen=True)
class RaceProgress:
    """One record per batch step ("batch": ``costs`` holds that batch's cost per racer) and
    one per epoch ("epoch": ``costs`` holds the epoch means, ``test_acc`` the accuracies).
    A racer that has diverged has None in both; ``diverged`` holds each racer's step."""

    kind: str
    epoch: int
    epochs: int
    batch: int
    batches: int
    costs: tuple[float | None, ...]
    diverged: tuple[int | None, ...]
    seconds: float
    test_acc: tuple[float | None, ...] = ()

    @property
    def step(self) -> int:
        return (self.epoch - 1) * self.batches + self.batch

    @property
    def fraction(self) -> float:
        return self.step / (self.epochs * self.batches)


@dataclass
class RacerResult:
    """One racer's run: every batch's cost, each epoch's mean cost and test accuracy."""

    optimizer: str
    learning_rate: float
    spec: VariantSpec
    model: object = None
    costs: list[float] = field(default_factory=list)
    epoch_costs: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)
    diverged_at: int | None = None

    def to_dict(self, detail: bool = False) -> dict:
        data = {"optimizer": self.optimizer, "learning_rate": self.learning_rate,
                "costs": list(self.costs), "test_acc": list(self.test_acc),
                "diverged_at": self.diverged_at}
        if detail:
            data["epoch_costs"] = list(self.epoch_costs)
        return data


@dataclass
class RaceResult:
    variant: str
    seed: int
    device: str
    runs: list[RacerResult]
    seconds: float = 0.0
    epoch_seconds: list[float] = field(default_factory=list)
    training_data: str = ""
    batches_per_epoch: int = 0
    test_count: int = 0  # the test digits each epoch's accuracy was measured on

    def to_dict(self, detail: bool = False) -> dict:
        """The race as plain data: the command line's ``--json`` object, and with ``detail``
        also the batches per epoch and each racer's epoch means (to place batches on an axis
        of epochs, as the Train tab's chart does)."""
        data = {"variant": self.variant, "seed": self.seed,
                "runs": [run.to_dict(detail) for run in self.runs],
                "seconds": round(self.seconds, 3)}
        if detail:
            data["batches_per_epoch"] = self.batches_per_epoch
        return data


class _Lane:
    """One racer's model, optimizer and dropout generator, fed the shared batches."""

    def __init__(self, racer: Racer, spec: VariantSpec, start, seed: int, dev, channels_last):
        import torch

        from mnistpad.core.training.train import make_optimizer, use_mask_generator

        self.result = RacerResult(racer.optimizer, racer.learning_rate, spec.with_overrides(
            optimizer=racer.optimizer, learning_rate=racer.learning_rate))
        self.model = copy.deepcopy(start)
        if channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        # The same seed for every lane: the same masks at every step, whatever the optimizer.
        use_mask_generator(self.model, torch.Generator(device=dev).manual_seed(seed))
        self.optimizer = make_optimizer(self.result.spec, self.model.parameters())
        self.first_cost: float | None = None
        self.epoch_total = 0.0

    @property
    def running(self) -> bool:
        return self.result.diverged_at is None

    def step(self, x, y, generator, step: int) -> float | None:
        """Train on one batch; the batch's cost, or None once the racer has diverged."""
        from mnistpad.core.training.train import is_diverging, optimizer_step

        if not self.running:
            return None
        cost = optimizer_step(self.model, self.optimizer, self.result.spec, x, y, generator)
        self.first_cost = cost if self.first_cost is None else self.first_cost
        if is_diverging(cost, self.first_cost):
            self.result.diverged_at = step
            return None
        self.result.costs.append(cost)
        self.epoch_total += cost
        return cost

    def end_epoch(self, batches: int, test_split, should_stop) -> tuple[float | None, ...]:
        """The epoch's mean cost and test accuracy (None, None once diverged)."""
        from mnistpad.core.training.train import accuracy

        total, self.epoch_total = self.epoch_total, 0.0
        if not self.running:
            return None, None
        self.result.epoch_costs.append(total / batches)
        acc = None
        if test_split is not None:
            acc = accuracy(self.model, self.result.spec, test_split, should_stop)
            self.result.test_acc.append(acc)
        return self.result.epoch_costs[-1], acc


def race(spec: VariantSpec, data: Mnist, racers: list[Racer], *, seed: int = 777,
         device: str = "auto", on_progress: Callable[[RaceProgress], None] | None = None,
         should_stop: Callable[[], bool] | None = None, evaluate: bool = True) -> RaceResult:
    """Race ``racers`` on ``spec`` (its optimizer and learning rate are each racer's own).

    Raises :class:`TrainingCancelled` when ``should_stop()`` turns true (checked before every
    batch step) and ValueError for racers or a spec that cannot race.
    """
    from mnistpad.core.training.train import (
        batch_feed,
        finish_model,
        fresh_model,
        resolve_device,
        use_mask_generator,
    )

    racers = check_racers(racers)
    check_variant(spec.variant)
    if spec.arch == "ensemble" or spec.augment or spec.lr_schedule != "none":
        raise ValueError("a race runs the lab variants' plain recipe: no ensemble, "
                         "augmentation or learning-rate schedule")
    dev = resolve_device(device)
    start_model, generator, _ = fresh_model(spec, seed, dev)
    use_mask_generator(start_model, None)  # each lane gets a generator of its own
    feed = batch_feed(spec, data, seed, dev)
    lanes = [_Lane(r, spec, start_model, seed, dev, feed.channels_last) for r in racers]
    del start_model
    result = RaceResult(spec.variant, seed, str(dev), [lane.result for lane in lanes],
                        training_data=feed.described, batches_per_epoch=feed.batches,
                        test_count=len(data.test))
    stop = should_stop or (lambda: False)
    report = on_progress or (lambda record: None)
    began = time.perf_counter()
    for epoch in range(1, spec.epochs + 1):
        for lane in lanes:
            lane.model.train()
        epoch_start = time.perf_counter()
        for b, x, y in feed.epoch(generator):
            if stop():
                raise TrainingCancelled("The race was cancelled; nothing was saved.")
            step = (epoch - 1) * feed.batches + b + 1
            costs = tuple(lane.step(x, y, generator, step) for lane in lanes)
            report(RaceProgress("batch", epoch, spec.epochs, b + 1, feed.batches, costs,
                                _diverged(lanes), time.perf_counter() - began))
        result.epoch_seconds.append(time.perf_counter() - epoch_start)
        ends = [lane.end_epoch(feed.batches, data.test if evaluate else None, stop)
                for lane in lanes]
        report(RaceProgress("epoch", epoch, spec.epochs, feed.batches, feed.batches,
                            tuple(e[0] for e in ends), _diverged(lanes),
                            time.perf_counter() - began, tuple(e[1] for e in ends)))
        if not any(lane.running for lane in lanes):
            break
    result.seconds = time.perf_counter() - began
    for lane in lanes:
        finish_model(lane.model, lane.result.spec, dev)
        lane.result.model = lane.model
    return result


def _diverged(lanes: list[_Lane]) -> tuple[int | None, ...]:
    return tuple(lane.result.diverged_at for lane in lanes)


class BundledReport:
    """Hands progress records on in lists, at most every ``interval`` seconds (and at every
    epoch's end), so that a window gets a few dozen signals a second however fast the
    batches go."""

    def __init__(self, report: Callable[[list], None], interval: float = REPORT_INTERVAL_S):
        self.report = report
        self.interval = interval
        self._pending: list[RaceProgress] = []
        self._last = 0.0

    def __call__(self, record: RaceProgress) -> None:
        self._pending.append(record)
        now = time.monotonic()
        if record.kind == "epoch" or now - self._last >= self.interval:
            self._last = now
            self.flush()

    def flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            self.report(pending)


def race_job(spec: VariantSpec, data_dir: Path, racers: list[Racer], seed: int = 777,
             device: str = "auto") -> Callable:
    """A job for a background runner, ``job(report, should_stop) -> RaceResult``: loads
    MNIST from ``data_dir`` and races, reporting lists of :class:`RaceProgress` records."""
    racers = check_racers(racers)

    def job(report, should_stop) -> RaceResult:
        from mnistpad.core.data.mnist import load_mnist
        from mnistpad.core.training.warmup import import_training_machinery

        # The first optimizer imports torch._dynamo (about 900 modules, seconds): imported
        # before the race by the one function that pauses the collector for it.
        import_training_machinery()
        data = load_mnist(data_dir)
        bundled = BundledReport(report)
        result = race(spec, data, racers, seed=seed, device=device, on_progress=bundled,
                      should_stop=should_stop)
        bundled.flush()
        return result

    return job


def save_racer(path: str | Path, result: RaceResult, index: int,
               name: str | None = None) -> Path:
    """Save racer ``index`` as an ordinary model file, through the training run's save path
    (its spec names its optimizer and learning rate, its history is its own)."""
    from mnistpad.core.files.modelfile import save_result
    from mnistpad.core.training.train import TrainResult

    run = result.runs[index]
    if run.diverged_at is not None:
        raise ValueError(f"{run.optimizer} diverged at step {run.diverged_at}; there is no "
                         f"model to keep")
    train_result = TrainResult(run.spec, run.model, result.seed, result.device,
                               cost_history=list(run.epoch_costs),
                               accuracy_history=list(run.test_acc),
                               epoch_seconds=list(result.epoch_seconds),
                               seconds=result.seconds, training_data=result.training_data,
                               test_count=result.test_count)
    return save_result(path, train_result, name=name)

