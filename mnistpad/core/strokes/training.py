"""Training the stroke reader on the pen digits, and choosing how it joins the image model.

The pen digits (:mod:`mnistpad.core.data.pendigits`) are placed on the canvas as a person would
draw them (:func:`~mnistpad.core.data.pendigits.to_canvas`), and every epoch each one is varied
afresh (:func:`~mnistpad.core.strokes.features.augment`). Only the training writers 1-24 are
trained on; writers 25-30 are measured (``drawn_accuracy``), never used to choose anything.

:func:`choose_combination` picks the combination rule by writer-level cross-validation over
the training writers: each fold's stroke reader is trained without that fold's writers and
reads only them, the image model reads the same digits drawn on the canvas, and the rule with
the fewest errors over all folds wins (:func:`mnistpad.core.strokes.combination.choose`).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from mnistpad.core.data.pendigits import (
    DEVELOPMENT_WRITERS,
    TRAINING_WRITERS,
    PenDigit,
    by_writers,
    render,
    to_canvas,
)
from mnistpad.core.models.specs import VariantSpec
from mnistpad.core.models.variants import build_model
from mnistpad.core.platform.errors import TrainingCancelled, TrainingDiverged
from mnistpad.core.strokes.combination import Candidate, choose
from mnistpad.core.strokes.features import augment, trajectory
from mnistpad.core.training.train import (
    EXPLODED_FACTOR,
    Progress,
    TrainResult,
    check_seed,
    make_optimizer,
)

FOLDS = 4


def canvas_drawings(digits: Sequence[PenDigit]) -> list[list[np.ndarray]]:
    """Each digit's strokes placed on the canvas at full size, as a person would draw it."""
    return [to_canvas(digit) for digit in digits]


def features(drawings: Sequence[Sequence[np.ndarray]],
             rng: np.random.Generator | None = None) -> np.ndarray:
    """(N, CHANNELS, POINTS) trajectories, each drawing varied by :func:`augment` when
    ``rng`` is given. Pen digits always have a trajectory."""
    return np.stack([trajectory(augment(d, rng) if rng is not None else d) for d in drawings])


def describe(writers: Sequence[int], count: int) -> str:
    span = f"{writers[0]}-{writers[-1]}" if list(writers) == list(
        range(writers[0], writers[-1] + 1)) else ", ".join(map(str, writers))
    return f"pen-drawn digits of writers {span} ({count:,} digits, their strokes)"


def _epoch_inputs(drawings, labels: torch.Tensor, spec: VariantSpec,
                  rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.from_numpy(features(drawings, rng if spec.augment else None))
    order = torch.from_numpy(rng.permutation(len(labels)))
    return x[order], labels[order]


def train_stroke_reader(spec: VariantSpec, digits: Sequence[PenDigit], *, seed: int = 777,
                        on_progress: Callable[[Progress], None] | None = None,
                        should_stop: Callable[[], bool] | None = None,
                        measure: Sequence[PenDigit] | None = None) -> TrainResult:
    """Train a fresh stroke reader of ``spec`` on ``digits``; ``measure`` (default: the
    development writers' digits) is only read at the end, for ``drawn_accuracy``."""
    check_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = build_model(spec, generator)
    optimizer = make_optimizer(spec, model.parameters())
    drawings = canvas_drawings(digits)
    labels = torch.tensor([d.label for d in digits], dtype=torch.long)
    batches = math.ceil(len(labels) / spec.batch_size)
    scheduler = (torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, spec.epochs * batches)
                 if spec.lr_schedule == "cosine" else None)
    writers = sorted({d.writer for d in digits})
    result = TrainResult(spec, model, seed, "cpu", training_data=describe(writers, len(digits)))
    stop = should_stop or (lambda: False)
    start, first = time.perf_counter(), None
    for epoch in range(1, spec.epochs + 1):
        epoch_start = time.perf_counter()
        model.train()
        x, y = _epoch_inputs(drawings, labels, spec, rng)
        total = 0.0
        for b in range(batches):
            if stop():
                raise TrainingCancelled("Training was cancelled; nothing was saved.")
            rows = slice(b * spec.batch_size, (b + 1) * spec.batch_size)
            loss = F.cross_entropy(model(x[rows]), y[rows])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            cost = loss.item()
            first = cost if first is None else first
            if not math.isfinite(cost) or cost > EXPLODED_FACTOR * first:
                raise TrainingDiverged(f"The cost became {cost:.3g} at epoch {epoch}: the run "
                                       f"diverged; nothing was saved.")
            total += cost
        seconds = time.perf_counter() - epoch_start
        result.cost_history.append(total / batches)
        result.epoch_seconds.append(seconds)
        if on_progress is not None:
            on_progress(Progress("epoch", epoch, spec.epochs, batches, batches, total / batches,
                                 time.perf_counter() - start, len(labels) / seconds))
    model.eval()
    measured = measure if measure is not None else by_writers(DEVELOPMENT_WRITERS)
    if measured:
        probs = _probabilities(model, canvas_drawings(measured))
        result.drawn_accuracy = float((probs.argmax(1) == [d.label for d in measured]).mean())
    result.seconds = time.perf_counter() - start
    return result


@torch.inference_mode()
def _probabilities(model: torch.nn.Module, drawings) -> np.ndarray:
    model.eval()
    x = torch.from_numpy(features(drawings))
    return torch.cat([model(x[i:i + 1000]).softmax(1) for i in range(0, len(x), 1000)]
                     ).double().numpy()


def writer_folds(writers: Sequence[int], folds: int = FOLDS) -> list[tuple[int, ...]]:
    """``writers`` split into ``folds`` groups of consecutive writers."""
    return [tuple(int(w) for w in part) for part in np.array_split(np.asarray(writers), folds)]


def image_probabilities(classifier, digits: Sequence[PenDigit]) -> np.ndarray:
    """The image model's probabilities for ``digits`` drawn on the canvas at full size (a
    digit the canvas reads as nothing gets uniform probabilities)."""
    images = [render(d) for d in digits]
    out = np.full((len(digits), 10), 0.1)
    rows = [i for i, image in enumerate(images) if image is not None]
    for start in range(0, len(rows), 500):
        part = rows[start:start + 500]
        out[part] = classifier.probabilities(np.stack([images[i] for i in part]))
    return out


@dataclass
class CrossValidation:
    """Cross-validated readings of the training writers and the combination chosen on them."""

    labels: np.ndarray
    image: np.ndarray
    strokes: np.ndarray
    folds: list[tuple[int, ...]]
    chosen: Candidate

    def summary(self) -> dict:
        def errors(probs):
            return int((probs.argmax(1) != self.labels).sum())

        return {
            "writers": f"{TRAINING_WRITERS[0]}-{TRAINING_WRITERS[-1]}",
            "folds": [list(f) for f in self.folds], "digits": len(self.labels),
            "image_errors": errors(self.image), "stroke_errors": errors(self.strokes),
            "combined_errors": self.chosen.errors, "log_loss": round(self.chosen.log_loss, 5),
            "chosen": json.loads(self.chosen.combination.to_json()),
        }


def choose_combination(spec: VariantSpec, classifier, *, seed: int = 777,
                       folds: int = FOLDS, writers: Sequence[int] = TRAINING_WRITERS,
                       on_fold: Callable[[int, int], None] | None = None,
                       should_stop: Callable[[], bool] | None = None) -> CrossValidation:
    """Choose the combination by writer-level cross-validation over ``writers`` (see the
    module docstring); ``classifier`` is the image model."""
    digits = by_writers(writers)
    parts = writer_folds(writers, folds)
    labels = np.asarray([d.label for d in digits])
    strokes = np.zeros((len(digits), 10))
    for i, held in enumerate(parts):
        if on_fold is not None:
            on_fold(i + 1, len(parts))
        inside = [d for d in digits if d.writer not in held]
        rows = [j for j, d in enumerate(digits) if d.writer in held]
        fold = train_stroke_reader(spec, inside, seed=seed + i, should_stop=should_stop,
                                   measure=[])
        strokes[rows] = _probabilities(fold.model, canvas_drawings([digits[j] for j in rows]))
    image = image_probabilities(classifier, digits)
    return CrossValidation(labels, image, strokes, parts, choose(image, strokes, labels))
