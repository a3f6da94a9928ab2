"""The one fine-tuning loop of personalizing, for the image model and the stroke reader alike.

Both are fine-tuned the same way: Adam at a small learning rate, every step the samples
(:data:`MAX_SAMPLES_PER_STEP` at most, in a fresh random order) mixed with
:data:`REPLAY_PER_STEP` replay digits (so that the model keeps reading other people's
digits), freshly varied, dropout on and batch-norm statistics frozen; a cancel is seen
between steps and every step is reported. Before it, the held-out check
(:mod:`mnistpad.core.personal.checks`): the newest sample of each digit that has two or more
is read by the base model, and by a first fine-tune on the other samples. What differs
between the two models is a :class:`Tuning`: the learning rate, how the random draws are
seeded, how a step's batch is drawn and scored, how samples are read.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from mnistpad.core.personal.checks import held_out_rows
from mnistpad.core.platform.errors import TrainingCancelled

if TYPE_CHECKING:  # torch is imported where a model is fine-tuned (the window loads it late)
    import torch

STEPS = 60
REPLAY_PER_STEP = 64
MAX_SAMPLES_PER_STEP = 100
CANCELLED = "Personalizing was cancelled; nothing was saved."

StepLoss = Callable[[Any], "torch.Tensor"]  # samples -> the loss of one step's batch


class Tuning(Protocol):
    """What fine-tuning one kind of model needs. Each kind has its own sample sets (a
    :class:`~mnistpad.core.data.mnist.Split` of pictures, or
    :class:`~mnistpad.core.personal.strokes.Drawings`), whose ``len`` is their number."""

    learning_rate: float

    def seeded(self, model: torch.nn.Module, seed: int) -> AbstractContextManager[StepLoss]:
        """While the block runs, ``model`` is ready to be fine-tuned and every random draw
        comes from ``seed``; yields the loss of one step on the samples given: a batch of
        them and of replay digits, drawn and varied."""

    def subset(self, samples: Any, rows: np.ndarray) -> Any:
        """The samples at ``rows``, in that order."""

    def probabilities(self, model: torch.nn.Module, samples: Any) -> np.ndarray:
        """(N, 10) float64 probabilities of ``samples`` read by ``model`` in eval mode."""


@dataclass
class PersonalCopy:
    """A fine-tuned copy of a model and what was measured about it, for either kind."""

    model: torch.nn.Module
    base: Any  # what it was fine-tuned from: a LoadedModel, or a StrokeReader
    per_digit: list[int]
    held_out: int
    before: int | None = None  # held-out samples read right by the base model
    after: int | None = None  # ... and by a fine-tune that did not see them
    steps: int = STEPS
    seconds: float = 0.0
    # the held-out samples (rows of the samples given) and their probabilities, base and
    # trial: what the other part's held-out readings are combined with
    held_rows: np.ndarray | None = None
    held_probs_before: np.ndarray | None = None
    held_probs_after: np.ndarray | None = None


@dataclass
class HeldOutReading:
    """The held-out samples (rows of the samples fine-tuned on) and their probabilities read
    by the base model and by a fine-tune that did not see them, with how many each read
    right."""

    rows: np.ndarray
    probs_before: np.ndarray
    probs_after: np.ndarray
    before: int
    after: int


def fine_tune(model: torch.nn.Module, tuning: Tuning, samples, *, steps: int = STEPS,
              seed: int = 0, should_stop: Callable[[], bool] | None = None,
              on_step: Callable[[int], None] | None = None) -> torch.nn.Module:
    """Fine-tune ``model`` in place on ``samples`` (see the module docstring), every random
    draw from ``seed``; ``on_step`` gets the number of steps done. Returns ``model``."""
    import torch

    with tuning.seeded(model, seed) as step_loss:
        optimizer = torch.optim.Adam(model.parameters(), lr=tuning.learning_rate)
        model.train()
        for module in _norms(model):
            module.eval()
        try:
            for step in range(steps):
                if should_stop is not None and should_stop():
                    raise TrainingCancelled(CANCELLED)
                loss = step_loss(samples)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                if on_step is not None:
                    on_step(step + 1)
        finally:
            model.eval()
    return model


def _norms(model: torch.nn.Module) -> Iterator[torch.nn.Module]:
    import torch

    return (m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm))


def tune_checked(tuning: Tuning, base_model: torch.nn.Module, samples, labels: np.ndarray, *,
                 steps: int = STEPS, seed: int = 0,
                 should_stop: Callable[[], bool] | None = None,
                 on_progress: Callable[[float], None] | None = None
                 ) -> tuple[torch.nn.Module, HeldOutReading | None]:
    """(a copy of ``base_model`` fine-tuned on all the samples, the held-out reading or None
    when too few digits have two samples); ``base_model`` is left as it was and
    ``on_progress`` gets the fraction of both fine-tunes done."""
    held = held_out_rows(labels)
    runs, done = (2 if len(held) else 1), [0]

    def step(_: int) -> None:
        done[0] += 1
        if on_progress is not None:
            on_progress(done[0] / (runs * steps))

    tuned = functools.partial(fine_tune, tuning=tuning, steps=steps, seed=seed,
                              should_stop=should_stop, on_step=step)
    reading = None
    if len(held):
        keep = np.setdiff1d(np.arange(len(labels)), held)
        held_samples = tuning.subset(samples, held)
        before = tuning.probabilities(base_model, held_samples)
        trial = tuned(copy.deepcopy(base_model), samples=tuning.subset(samples, keep))
        after = tuning.probabilities(trial, held_samples)
        truth = np.asarray(labels)[held]
        reading = HeldOutReading(np.asarray(held), before, after,
                                 int((before.argmax(1) == truth).sum()),
                                 int((after.argmax(1) == truth).sum()))
    return tuned(copy.deepcopy(base_model), samples=samples), reading


def take_reading(result: PersonalCopy, reading: HeldOutReading | None,
                 rows: np.ndarray | None = None) -> None:
    """Record ``reading`` in ``result``; ``rows`` maps the rows of the samples fine-tuned on to
    those of the samples given (default: the same)."""
    if reading is None:
        return
    result.held_rows = reading.rows if rows is None else np.asarray(rows)[reading.rows]
    result.held_probs_before, result.held_probs_after = reading.probs_before, reading.probs_after
    result.before, result.after = reading.before, reading.after
