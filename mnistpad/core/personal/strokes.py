"""Your handwriting, read from its strokes: the stroke reader fine-tuned on your samples.

Samples keep the strokes they were drawn with (:func:`mnistpad.core.data.samples.sample_strokes`),
so the stroke reader can learn your handwriting as the image model does
(:mod:`mnistpad.core.personal.image`), with the same honest figures: the newest sample of every
digit that has two or more is held out, a first fine-tune on the others is scored on them
(before / after), then the personal reader is fine-tuned on all of them. Every step mixes the
samples, freshly varied (:func:`~mnistpad.core.strokes.features.augment`), with pen digits of
the training writers as replay, so that it keeps reading other people's digits; how well it
still does is measured on :data:`CHECK_DIGITS` pen digits of those writers.
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from mnistpad.core.data.pendigits import TRAINING_WRITERS, by_writers
from mnistpad.core.files.modelfile import build_metadata, save_model
from mnistpad.core.personal.checks import held_out_rows
from mnistpad.core.platform.errors import MnistpadError, TrainingCancelled
from mnistpad.core.strokes.features import augment, pen_point_arrays, trajectory
from mnistpad.core.strokes.reader import StrokeReader
from mnistpad.core.strokes.training import canvas_drawings

STEPS = 60
LEARNING_RATE = 3e-4
REPLAY_PER_STEP = 64
MAX_SAMPLES_PER_STEP = 100
CHECK_DIGITS = 1000


@dataclass
class PersonalizedStrokes:
    """A fine-tuned copy of a stroke reader and what was measured about it."""

    model: torch.nn.Module
    base: StrokeReader
    per_digit: list[int]
    held_out: int
    before: int | None = None  # held-out samples read right by the base reader
    after: int | None = None  # ... and by a fine-tune that did not see them
    pen_before: float | None = None  # the training writers' pen digits, before and after
    pen_after: float | None = None
    steps: int = STEPS
    seconds: float = 0.0
    # the held-out samples (rows of the drawings given) and their probabilities, base and
    # trial: what the image model's held-out readings are combined with
    held_rows: np.ndarray | None = None
    held_probs_before: np.ndarray | None = None
    held_probs_after: np.ndarray | None = None


def usable_rows(drawings: Sequence[Sequence | None], labels: Sequence[int]
                ) -> tuple[list[list[np.ndarray]], np.ndarray, np.ndarray]:
    """The samples that have a trajectory (a sample read from an image file has no strokes,
    a dot has no path, the eraser's strokes no longer say what is drawn), as point arrays,
    with their labels and their rows in ``drawings``."""
    kept, kept_labels, rows = [], [], []
    for row, (strokes, label) in enumerate(zip(drawings, labels, strict=True)):
        if strokes and not any(getattr(s, "erase", False) for s in strokes) \
                and trajectory(strokes) is not None:
            kept.append(pen_point_arrays(strokes))
            kept_labels.append(int(label))
            rows.append(row)
    return kept, np.asarray(kept_labels, dtype=np.int64), np.asarray(rows, dtype=np.int64)


def usable(drawings: Sequence[Sequence | None], labels: Sequence[int]
           ) -> tuple[list[list[np.ndarray]], np.ndarray]:
    """:func:`usable_rows` without the rows."""
    kept, kept_labels, _ = usable_rows(drawings, labels)
    return kept, kept_labels


def _batch(drawings, labels, rows, rng) -> tuple[torch.Tensor, torch.Tensor]:
    x = np.stack([trajectory(augment(drawings[i], rng)) for i in rows])
    return torch.from_numpy(x), torch.as_tensor(labels[rows])


def fine_tune(model: torch.nn.Module, drawings, labels: np.ndarray, replay, replay_labels, *,
              steps: int = STEPS, seed: int = 0,
              should_stop: Callable[[], bool] | None = None,
              on_step: Callable[[int], None] | None = None) -> torch.nn.Module:
    """Fine-tune the stroke network in place on ``drawings`` mixed with ``replay`` drawings,
    with dropout on and batch-norm statistics frozen. Every random draw comes from ``seed``:
    the samples, their variations and the dropout masks (torch's global generator, forked so
    the caller's is left as it was), so the same samples give the same personal reader."""
    rng = np.random.default_rng(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return _fine_tune(model, drawings, labels, replay, replay_labels, rng, steps,
                          should_stop, on_step)


def _fine_tune(model, drawings, labels, replay, replay_labels, rng, steps, should_stop,
               on_step) -> torch.nn.Module:
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    model.train()
    for module in model.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.eval()
    try:
        for step in range(steps):
            if should_stop is not None and should_stop():
                raise TrainingCancelled("Personalizing was cancelled; nothing was saved.")
            pick = rng.permutation(len(labels))[:MAX_SAMPLES_PER_STEP]
            extra = rng.integers(len(replay_labels), size=REPLAY_PER_STEP)
            x1, y1 = _batch(drawings, labels, pick, rng)
            x2, y2 = _batch(replay, replay_labels, extra, rng)
            loss = F.cross_entropy(model(torch.cat([x1, x2])), torch.cat([y1, y2]))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if on_step is not None:
                on_step(step + 1)
    finally:
        model.eval()
    return model


@torch.inference_mode()
def _probabilities(model: torch.nn.Module, drawings) -> np.ndarray:
    model.eval()
    x = torch.from_numpy(np.stack([trajectory(d) for d in drawings]))
    return model(x).float().softmax(dim=1).double().numpy()


def _right(model: torch.nn.Module, drawings, labels: np.ndarray) -> int:
    return int((_probabilities(model, drawings).argmax(1) == labels).sum())


def replay_digits() -> tuple[list, np.ndarray]:
    """The training writers' pen digits on the canvas, mixed into every fine-tuning step."""
    digits = by_writers(TRAINING_WRITERS)
    return canvas_drawings(digits), np.asarray([d.label for d in digits], dtype=np.int64)


def personalize_strokes(base: StrokeReader, drawings: Sequence[Sequence], labels: Sequence[int],
                        *, steps: int = STEPS, seed: int = 0,
                        should_stop: Callable[[], bool] | None = None,
                        on_progress: Callable[[float], None] | None = None
                        ) -> PersonalizedStrokes:
    """Fine-tune a copy of ``base`` on the samples' strokes (see the module docstring);
    ``base`` is left as it was. ``on_progress`` gets the fraction done."""
    samples, labels, rows = usable_rows(drawings, labels)
    if not len(labels):
        raise MnistpadError("no samples with strokes to learn from: draw and label a few "
                            "digits first")
    start = time.perf_counter()
    replay, replay_labels = replay_digits()
    held = held_out_rows(labels)
    runs, done = (2 if len(held) else 1), [0]

    def step(_: int) -> None:
        done[0] += 1
        if on_progress is not None:
            on_progress(done[0] / (runs * steps))

    result = PersonalizedStrokes(base.model, base, [int((labels == d).sum()) for d in range(10)],
                                 len(held), steps=steps)
    if len(held):
        keep = np.setdiff1d(np.arange(len(labels)), held)
        held_drawings = [samples[i] for i in held]
        result.held_rows = rows[held]
        result.held_probs_before = _probabilities(base.model, held_drawings)
        result.before = int((result.held_probs_before.argmax(1) == labels[held]).sum())
        trial = fine_tune(copy.deepcopy(base.model), [samples[i] for i in keep], labels[keep],
                          replay, replay_labels, steps=steps, seed=seed,
                          should_stop=should_stop, on_step=step)
        result.held_probs_after = _probabilities(trial, held_drawings)
        result.after = int((result.held_probs_after.argmax(1) == labels[held]).sum())
    model = fine_tune(copy.deepcopy(base.model), samples, labels, replay, replay_labels,
                      steps=steps, seed=seed, should_stop=should_stop, on_step=step)
    check = np.linspace(0, len(replay_labels) - 1, CHECK_DIGITS).astype(int)
    check_drawings = [replay[i] for i in check]
    result.pen_before = _right(base.model, check_drawings, replay_labels[check]) / len(check)
    result.pen_after = _right(model, check_drawings, replay_labels[check]) / len(check)
    result.model = model
    result.seconds = time.perf_counter() - start
    return result


def save_personal_strokes(result: PersonalizedStrokes, path: str | os.PathLike,
                          image_model: str = "") -> Path:
    """Write the personal stroke reader with its base, samples per digit and figures, and the
    file name of the personal image model it was made with (``image_model``); it keeps its
    base's combination with the image model."""
    path = Path(path)
    info = result.base.info
    personal = {
        "base": info.name, "base_file": info.path.name, "image_model": image_model,
        "samples_per_digit": result.per_digit,
        "held_out": result.held_out, "held_out_before": result.before,
        "held_out_after": result.after, "pen_digits_before": result.pen_before,
        "pen_digits_after": result.pen_after,
        "pen_digits_measured_on": f"{CHECK_DIGITS} pen digits of writers 1-24",
        "steps": result.steps, "learning_rate": LEARNING_RATE,
        "seconds": round(result.seconds, 2),
    }
    meta = build_metadata(
        path.stem, info.spec, personal=personal,
        training_data=f"{info.training_data}; then fine-tuned on {sum(result.per_digit)} of "
                      f"your own drawings",
        combination=info.metadata.get("combination"), cost_history=info.cost_history,
    )
    return save_model(path, result.model, meta)
