"""Your handwriting: a personal model fine-tuned on your samples
(:mod:`mnistpad.core.data.samples`).

**Personalizing** fine-tunes a copy of a saved model on the samples with the loop the stroke
reader's shares (:mod:`mnistpad.core.personal.tuning`: Adam, a small learning rate, every
step the samples plus MNIST digits as replay, so that the model keeps reading MNIST); what
is the image model's own is its :class:`ImageTuning` (augmentation as in training, through
:func:`~mnistpad.core.training.train.batch_loss`) and its MNIST figure. The replay digits
ship in the package (``mnistpad/data/mnist-small``: 3,000 training digits, and 1,000 test
digits to measure MNIST accuracy), so no MNIST download is needed; MNIST's full test set
measures it instead when the remembered MNIST folder holds it. Before/after on your own
digits is measured honestly: one sample of each digit that has two or more is held out, a
first fine-tune on the others is scored on them, then the personal model is fine-tuned on
all of them. A personal model is always fine-tuned again from its base, never from itself
(:mod:`mnistpad.core.personal.checks`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from mnistpad.core.data.mnist import Split
from mnistpad.core.files import figures
from mnistpad.core.files.modelfile import LoadedModel, build_metadata, save_model
from mnistpad.core.models.registry import personal_name  # noqa: F401 - part of this module's API
from mnistpad.core.models.specs import VariantSpec
from mnistpad.core.models.variants import Dropout
from mnistpad.core.personal.checks import (
    MIN_HELD_OUT,
    HeldOut,
    digits_with_two,
    held_out_rows,
    personal_record,
    sample_hashes,
    samples_fingerprint,
)
from mnistpad.core.personal.tuning import (
    MAX_SAMPLES_PER_STEP,
    REPLAY_PER_STEP,
    STEPS,
    PersonalCopy,
    take_reading,
    tune_checked,
)
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.training.train import accuracy, batch_loss, predict_logits
from mnistpad.core.training.warmup import import_training_machinery

SMALL_MNIST = (Path(__file__).resolve().parents[2] / "data" / "mnist-small"
               / "mnist-small.safetensors")
LEARNING_RATE = 1e-4


# ----------------------------------------------------------------------------- fine-tuning


@functools.lru_cache(maxsize=1)
def small_mnist() -> tuple[Split, Split]:
    """(replay, check): the MNIST digits that ship in the package (see the module doc)."""
    from safetensors import SafetensorError
    from safetensors.torch import load

    from mnistpad.core.files.outside import read_regular

    try:  # read into memory, not mapped: see mnistpad.core.files.outside
        tensors = load(read_regular(SMALL_MNIST, 64_000_000))
    except (MnistpadError, SafetensorError, ValueError) as exc:
        raise MnistpadError(f"{SMALL_MNIST}: the shipped MNIST digits cannot be read ({exc})"
                            ) from None

    def split(name: str) -> Split:
        images = tensors[f"{name}_images"].reshape(-1, 784).float().div_(255.0)
        return Split(images, tensors[f"{name}_labels"].long())

    return split("replay"), split("check")


def mnist_check_set(data_dir: str | os.PathLike | None = None) -> tuple[Split, str]:
    """(split, measured_on): MNIST's test set from ``data_dir`` (default: the remembered
    folder, :func:`mnistpad.core.platform.paths.data_dir_choice`) when it is there, else the 1,000
    test digits that ship in the package. Nothing is downloaded."""
    from mnistpad.core.data.mnist import load_test_split, missing_test_files
    from mnistpad.core.platform.paths import resolve_data_dir

    folder = resolve_data_dir(data_dir)
    if not missing_test_files(folder):
        try:
            split = load_test_split(folder)
        except MnistpadError:
            pass  # truncated or corrupt: the shipped digits still measure
        else:
            return split, figures.mnist_measured_on(len(split))
    return small_mnist()[1], figures.MNIST_SHIPPED


@dataclass
class Personalized(PersonalCopy):
    """A fine-tuned copy of a model and what was measured about it."""

    mnist_before: float | None = None
    mnist_after: float | None = None
    mnist_source: str = ""  # what MNIST was measured on: a figures.MNIST_* name
    mnist_count: int = 0
    held_out_status: HeldOut = HeldOut.TOO_FEW
    digits_with_two: int = 0  # digits that have two samples or more
    sample_hashes: list[str] = dataclasses.field(default_factory=list)
    samples_fingerprint: str = ""


def _split(images: np.ndarray, labels: np.ndarray) -> Split:
    return Split(torch.from_numpy(np.asarray(images, np.float32).reshape(-1, 784)),
                 torch.from_numpy(np.asarray(labels, np.int64)))


@dataclass
class ImageTuning:
    """What fine-tuning an image model of ``spec`` needs (a
    :class:`~mnistpad.core.personal.tuning.Tuning`): its samples are a :class:`Split`,
    ``replay`` the MNIST digits mixed into every step; every step's batch is augmented as
    in training and dropout masks are drawn, all from a private generator."""

    spec: VariantSpec
    replay: Split
    learning_rate: float = LEARNING_RATE

    @contextlib.contextmanager
    def seeded(self, model: torch.nn.Module, seed: int):
        import_training_machinery()  # as in training: torch._dynamo with the collector paused
        generator = torch.Generator().manual_seed(seed)
        dropouts = [m for m in model.modules() if isinstance(m, Dropout)]
        # Convolutions run faster in NHWC order on the CPU, as in training.
        channels_last = (len(self.spec.input_shape) == 3
                         and next(model.parameters()).device.type == "cpu")
        if channels_last:
            model.to(memory_format=torch.channels_last)
        for module in dropouts:
            module.generator = generator
        augmenting = dataclasses.replace(self.spec, augment=True)
        try:
            yield functools.partial(self._step_loss, model, augmenting, generator)
        finally:
            for module in dropouts:
                module.generator = None
            if channels_last:
                model.to(memory_format=torch.contiguous_format)

    def _step_loss(self, model: torch.nn.Module, augmenting: VariantSpec,
                   generator: torch.Generator, samples: Split) -> torch.Tensor:
        """The loss of one step: up to MAX_SAMPLES_PER_STEP samples and REPLAY_PER_STEP
        replay digits, augmented (``augmenting``: the spec with augmentation on)."""
        pick = torch.randperm(len(samples), generator=generator)[:MAX_SAMPLES_PER_STEP]
        extra = torch.randint(len(self.replay), (REPLAY_PER_STEP,), generator=generator)
        x = torch.cat([samples.images[pick], self.replay.images[extra]])
        y = torch.cat([samples.labels[pick], self.replay.labels[extra]])
        loss, _ = batch_loss(model, augmenting, x.view(-1, *self.spec.input_shape), y,
                             generator)
        return loss

    def subset(self, samples: Split, rows: np.ndarray) -> Split:
        index = torch.from_numpy(np.asarray(rows, np.int64))
        return Split(samples.images[index], samples.labels[index])

    def probabilities(self, model: torch.nn.Module, samples: Split) -> np.ndarray:
        logits = predict_logits(model, self.spec, samples.images)
        return logits.float().softmax(dim=1).double().numpy()


def personalize(base: LoadedModel, images: np.ndarray, labels: np.ndarray, *,
                steps: int = STEPS, seed: int = 0,
                mnist_check: Split | tuple[Split, str] | None = None,
                should_stop: Callable[[], bool] | None = None,
                on_progress: Callable[[float], None] | None = None) -> Personalized:
    """Fine-tune a copy of ``base`` on the samples (see the module docstring); ``base`` is
    left as it was, and must not be personal (:func:`~mnistpad.core.personal.checks.load_base`
    finds a personal model's base). ``mnist_check`` (a split, or (split, measured_on);
    default :func:`mnist_check_set`) measures MNIST accuracy before and after.
    ``on_progress`` gets the fraction done."""
    images = np.asarray(images, dtype=np.float32)
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) == 0:
        raise MnistpadError("no samples to learn from: label a few drawings first")
    if personal_record(base.info) is not None:
        raise MnistpadError(f"{base.info.name} is personal: personalize its base instead")
    spec = base.info.spec
    check, check_on = _check_set(mnist_check)
    start = time.perf_counter()
    held = held_out_rows(labels)
    result = Personalized(
        base.model, base, [int((labels == d).sum()) for d in range(10)], len(held),
        steps=steps, mnist_source=check_on, mnist_count=len(check),
        held_out_status=HeldOut.MEASURED if len(held) else HeldOut.TOO_FEW,
        digits_with_two=digits_with_two(labels), sample_hashes=sample_hashes(images, labels),
        samples_fingerprint=samples_fingerprint(images, labels))
    result.model, reading = tune_checked(
        ImageTuning(spec, small_mnist()[0]), base.model, _split(images, labels), labels,
        steps=steps, seed=seed, should_stop=should_stop, on_progress=on_progress)
    take_reading(result, reading)
    result.mnist_before = _recorded_or_measured(base, check, check_on, should_stop)
    result.mnist_after = accuracy(result.model, spec, check, should_stop)
    result.seconds = time.perf_counter() - start
    return result


def _check_set(mnist_check) -> tuple[Split, str]:
    if mnist_check is None:
        return mnist_check_set()
    if isinstance(mnist_check, tuple):
        return mnist_check
    shipped = mnist_check is small_mnist()[1]
    return mnist_check, figures.mnist_measured_on(len(mnist_check), shipped)


def _recorded_or_measured(base: LoadedModel, check: Split, check_on: str,
                          should_stop) -> float:
    """The base's MNIST accuracy on ``check``: its recorded figure when that was measured
    on the same digits (the full test set takes seconds to read again), else measured."""
    recorded = base.info.measurement.mnist if base.info.measurement else None
    if (recorded is not None and recorded.measured_on == check_on != figures.MNIST_PART
            and recorded.count == len(check)):
        return recorded.accuracy
    return accuracy(base.model, base.info.spec, check, should_stop)


def save_personal(result: Personalized, path: str | os.PathLike,
                  stroke_reader_sha256: str | None = None) -> Path:
    """Write the personal model with what it is: its base, the samples it was trained on,
    the before/after on held-out samples, its MNIST figure recorded as its measurement
    (:mod:`mnistpad.core.files.figures`), with what it was measured on, and the content hash of
    the personal stroke reader saved with it (None: it has none; see
    :func:`mnistpad.core.personal.save`)."""
    from mnistpad.core.strokes.files import PARTNER_KEY

    path = Path(path)
    info = result.base.info
    personal = {
        "base": info.name, "base_file": info.path.name, "base_path": str(info.path.absolute()),
        "samples_per_digit": result.per_digit, "samples_fingerprint": result.samples_fingerprint,
        "sample_hashes": result.sample_hashes, "held_out_status": result.held_out_status.value,
        "held_out": result.held_out, "held_out_before": result.before,
        "held_out_after": result.after, "mnist_before": result.mnist_before,
        "mnist_after": result.mnist_after, "mnist_measured_on": result.mnist_source,
        "mnist_count": result.mnist_count,
        "steps": result.steps, "learning_rate": LEARNING_RATE, "seconds": round(result.seconds, 2),
        PARTNER_KEY: stroke_reader_sha256,
    }
    mnist = None
    if result.mnist_after is not None and result.mnist_count:
        mnist = figures.Figure.of(result.mnist_after, result.mnist_count, result.mnist_source)
    meta = build_metadata(
        path.stem, info.spec,
        personal=personal,
        training_data=f"{info.training_data}; then fine-tuned on {sum(result.per_digit)} of "
                      f"your own drawings",
        cost_history=info.cost_history, accuracy_history=info.accuracy_history,
        **figures.Measurement(mnist, None, figures.BY_PERSONALIZING).metadata(),
    )
    return save_model(path, result.model, meta)


def summary(result: Personalized) -> dict:
    """What personalizing measured, as data for a view or a command to word: the base, the
    samples, the held-out figure (or why there is none) and MNIST before and after."""
    return {
        "base": result.base.info.name,
        "samples": sum(result.per_digit), "samples_per_digit": list(result.per_digit),
        "held_out": {
            "status": result.held_out_status.value, "count": result.held_out,
            "before": result.before, "after": result.after,
            "digits_with_two": result.digits_with_two, "digits_needed": MIN_HELD_OUT,
        },
        "mnist": {
            "before": result.mnist_before, "after": result.mnist_after,
            "measured_on": result.mnist_source, "count": result.mnist_count,
        },
    }
