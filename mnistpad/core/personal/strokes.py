"""Your handwriting, read from its strokes: the stroke reader fine-tuned on your samples.

Samples keep the strokes they were drawn with (:func:`mnistpad.core.data.samples.sample_strokes`),
so the stroke reader can learn your handwriting as the image model does
(:mod:`mnistpad.core.personal.image`), with the same honest figures: the newest sample of every
digit that has two or more is held out, a first fine-tune on the others is scored on them
(before / after), then the personal reader is fine-tuned on all of them, by the same loop
(:mod:`mnistpad.core.personal.tuning`). Every step mixes the samples, freshly varied
(:func:`~mnistpad.core.strokes.features.augment`), with pen digits of the training writers as
replay (:class:`StrokeTuning`), so that it keeps reading other people's digits; how well it
still does is measured on :data:`CHECK_DIGITS` pen digits of those writers.
"""

from __future__ import annotations

import contextlib
import functools
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
from mnistpad.core.personal.tuning import (
    MAX_SAMPLES_PER_STEP,
    REPLAY_PER_STEP,
    STEPS,
    PersonalCopy,
    take_reading,
    tune_checked,
)
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.strokes.features import augment, pen_point_arrays, trajectory
from mnistpad.core.strokes.reader import StrokeReader
from mnistpad.core.strokes.training import canvas_drawings

LEARNING_RATE = 3e-4
CHECK_DIGITS = 1000


@dataclass
class PersonalizedStrokes(PersonalCopy):
    """A fine-tuned copy of a stroke reader and what was measured about it; its
    ``held_rows`` are rows of the drawings given."""

    pen_before: float | None = None  # the training writers' pen digits, before and after
    pen_after: float | None = None


@dataclass
class Drawings:
    """Drawings (each a list of point arrays) and their labels: a stroke reader's samples."""

    drawings: list
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def batch(self, rows, rng: np.random.Generator | None = None
              ) -> tuple[torch.Tensor, torch.Tensor]:
        """The trajectories at ``rows`` (varied by ``rng`` when given) and their labels."""
        x = np.stack([trajectory(augment(self.drawings[i], rng) if rng is not None
                                 else self.drawings[i]) for i in rows])
        return torch.from_numpy(x), torch.as_tensor(self.labels[rows])

    @torch.inference_mode()
    def probabilities(self, model: torch.nn.Module) -> np.ndarray:
        """(N, 10) float64 probabilities of these drawings read by ``model`` in eval mode."""
        model.eval()
        x, _ = self.batch(range(len(self)))
        return model(x).float().softmax(dim=1).double().numpy()

    def subset(self, rows) -> Drawings:
        """The drawings at ``rows``, in that order."""
        return Drawings([self.drawings[i] for i in rows], self.labels[rows])


@dataclass
class StrokeTuning:
    """What fine-tuning a stroke reader needs (a
    :class:`~mnistpad.core.personal.tuning.Tuning`): its samples are :class:`Drawings`,
    ``replay`` the pen digits mixed into every step. Every random draw comes from the seed:
    the samples and their variations (a NumPy generator), the dropout masks (torch's global
    generator, forked so the caller's is left as it was)."""

    replay: Drawings
    learning_rate: float = LEARNING_RATE

    @contextlib.contextmanager
    def seeded(self, model: torch.nn.Module, seed: int):
        rng = np.random.default_rng(seed)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            yield functools.partial(self._step_loss, model, rng)

    def _step_loss(self, model: torch.nn.Module, rng: np.random.Generator,
                   samples: Drawings) -> torch.Tensor:
        """The loss of one step: up to MAX_SAMPLES_PER_STEP samples and REPLAY_PER_STEP
        replay digits, each varied."""
        pick = rng.permutation(len(samples))[:MAX_SAMPLES_PER_STEP]
        extra = rng.integers(len(self.replay), size=REPLAY_PER_STEP)
        x1, y1 = samples.batch(pick, rng)
        x2, y2 = self.replay.batch(extra, rng)
        return F.cross_entropy(model(torch.cat([x1, x2])), torch.cat([y1, y2]))

    def subset(self, samples: Drawings, rows) -> Drawings:
        return samples.subset(rows)

    def probabilities(self, model: torch.nn.Module, samples: Drawings) -> np.ndarray:
        return samples.probabilities(model)


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
    replay = Drawings(*replay_digits())
    result = PersonalizedStrokes(base.model, base, [int((labels == d).sum()) for d in range(10)],
                                 len(held_out_rows(labels)), steps=steps)
    result.model, reading = tune_checked(
        StrokeTuning(replay), base.model, Drawings(samples, labels), labels, steps=steps,
        seed=seed, should_stop=should_stop, on_progress=on_progress)
    take_reading(result, reading, rows)
    check = replay.subset(np.linspace(0, len(replay) - 1, CHECK_DIGITS).astype(int))
    result.pen_before = _right(base.model, check)
    result.pen_after = _right(result.model, check)
    result.seconds = time.perf_counter() - start
    return result


def _right(model: torch.nn.Module, digits: Drawings) -> float:
    """The fraction of ``digits`` that ``model`` reads right."""
    return int((digits.probabilities(model).argmax(1) == digits.labels).sum()) / len(digits)


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
