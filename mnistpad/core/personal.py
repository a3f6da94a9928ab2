"""Your handwriting: samples you label, and a personal model fine-tuned on them.

**Samples** live in the user data folder in torchvision's ImageFolder layout,
``samples/<digit>/<id>.png``: the canvas ink as drawn (white on black, 8-bit), so that a
person can look at them, copy them or delete them in a file manager, and a future
normalization still applies. The PNG's text chunks also hold the strokes (so a sample is
read exactly as the canvas reads a drawing), the digit the model read when the sample was
labelled (a correction when it differs from the label) and that model's name.

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
import datetime as _dt
import functools
import io
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image, PngImagePlugin, UnidentifiedImageError

from mnistpad.core.data import Split
from mnistpad.core.errors import MnistpadError, TrainingCancelled
from mnistpad.core.modelfile import LoadedModel, atomic_write_bytes, build_metadata, save_model
from mnistpad.core.paths import user_dir
from mnistpad.core.preprocess import load_image
from mnistpad.core.strokes import PenStroke, digit_from_strokes
from mnistpad.core.train import _batch_loss, accuracy
from mnistpad.core.variants import Dropout

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
SMALL_MNIST = Path(__file__).resolve().parents[1] / "data" / "mnist-small" / "mnist-small.safetensors"
STEPS = 60
LEARNING_RATE = 1e-4
REPLAY_PER_STEP = 64
MAX_SAMPLES_PER_STEP = 100
PERSONAL_SUFFIX = "-personal"


# ----------------------------------------------------------------------------- samples


def samples_dir() -> Path:
    return user_dir() / "samples"


@dataclass(frozen=True)
class Sample:
    """One labelled drawing: ``read_as`` is what the model read when it was labelled
    (``None`` if nothing was read), so ``corrected`` tells a fixed misreading."""

    path: Path
    label: int
    read_as: int | None = None
    model: str = ""

    @property
    def corrected(self) -> bool:
        return self.read_as is not None and self.read_as != self.label


def _strokes_json(strokes: list[PenStroke]) -> str:
    return json.dumps([[round(s.width, 2), int(s.erase),
                        [[round(float(x), 1), round(float(y), 1)] for x, y in s.points]]
                       for s in strokes], separators=(",", ":"))


def _strokes_from_json(text: str) -> list[PenStroke]:
    data = json.loads(text)
    return [PenStroke.of(points, float(width), bool(erase)) for width, erase, points in data]


def save_sample(label: int, ink: np.ndarray, strokes: list[PenStroke] | None = None,
                read_as: int | None = None, model: str = "",
                root: Path | None = None) -> Path:
    """Write a labelled drawing as ``<root>/<label>/<id>.png`` (atomically); returns its path."""
    if not 0 <= int(label) <= 9:
        raise ValueError(f"a sample's label must be a digit 0-9, not {label!r}")
    folder = (root or samples_dir()) / str(int(label))
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}-{secrets.token_hex(3)}.png"
    info = PngImagePlugin.PngInfo()
    info.add_text("mnistpad-label", str(int(label)))
    if read_as is not None:
        info.add_text("mnistpad-read-as", str(int(read_as)))
    if model:
        info.add_text("mnistpad-model", model)
    if strokes:
        info.add_text("mnistpad-strokes", _strokes_json(strokes))
    pixels = (np.clip(np.asarray(ink, dtype=np.float32), 0, 1) * 255 + 0.5).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="L").save(buffer, format="PNG", pnginfo=info)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def _sample(path: Path, label: int) -> Sample:
    read_as, model = None, ""
    try:
        with Image.open(path) as image:
            text = getattr(image, "text", {}) or {}
            if text.get("mnistpad-read-as", "").isdigit():
                read_as = int(text["mnistpad-read-as"])
            model = text.get("mnistpad-model", "")
    except (OSError, UnidentifiedImageError, ValueError):
        pass  # listed all the same: reading it names the problem
    return Sample(path, label, read_as, model)


def _digit_folders(root: Path) -> list[tuple[int, Path]]:
    return [(int(p.name), p) for p in sorted(root.iterdir())
            if p.is_dir() and len(p.name) == 1 and p.name.isdigit()]


def list_samples(root: Path | None = None) -> list[Sample]:
    """Every sample under ``root`` (default: the user's), by digit, oldest first."""
    root = root or samples_dir()
    if not root.is_dir():
        return []
    return [_sample(path, digit)
            for digit, folder in _digit_folders(root)
            for path in sorted(folder.iterdir())
            if path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")]


def counts(samples: list[Sample]) -> list[int]:
    """How many samples of each digit, 0 to 9."""
    per_digit = [0] * 10
    for sample in samples:
        per_digit[sample.label] += 1
    return per_digit


def read_sample(path: str | os.PathLike) -> np.ndarray | None:
    """The 28x28 pixels of a sample: from its strokes when the PNG holds them (read exactly
    as the canvas reads a drawing), else from the image through the app's normalization
    (any image file, dark-on-light or light-on-dark)."""
    path = Path(path)
    try:
        with Image.open(path) as image:
            text = (getattr(image, "text", {}) or {}).get("mnistpad-strokes")
            if text:
                image.load()
                ink = np.asarray(image.convert("L"), dtype=np.float32) / 255.0
                return digit_from_strokes(_strokes_from_json(text), ink.shape[0], ink)
    except (OSError, UnidentifiedImageError, ValueError, TypeError):
        pass  # not ours, or damaged strokes: read as an image, which names any problem
    return load_image(path)


def delete_sample(path: Path) -> bytes:
    """Remove a sample file; returns its bytes so that :func:`restore_sample` can undo."""
    data = Path(path).read_bytes()
    Path(path).unlink()
    return data


def restore_sample(path: Path, data: bytes) -> None:
    atomic_write_bytes(Path(path), data)


def load_sample_folder(root: str | os.PathLike) -> tuple[np.ndarray, np.ndarray, list[Path]]:
    """(images (N, 28, 28), labels (N,), paths) of an ImageFolder-style folder (``0/`` ...
    ``9/`` holding image files). Any problem is a one-line :class:`MnistpadError` naming the
    folder or file."""
    root = Path(root)
    if not root.is_dir():
        raise MnistpadError(f"{root}: no such folder")
    folders = _digit_folders(root)
    if not folders:
        raise MnistpadError(f"{root}: no digit folders (0/ ... 9/) holding your samples")
    images, labels, paths = [], [], []
    for digit, folder in folders:
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                raise MnistpadError(f"{path}: not an image file (expected one of "
                                    f"{', '.join(sorted(IMAGE_SUFFIXES))})")
            pixels = read_sample(path)
            if pixels is None:
                raise MnistpadError(f"{path}: holds no digit (the image is blank)")
            images.append(pixels)
            labels.append(digit)
            paths.append(path)
    if not images:
        raise MnistpadError(f"{root}: its digit folders hold no images")
    return np.stack(images).astype(np.float32), np.asarray(labels, dtype=np.int64), paths


# ----------------------------------------------------------------------------- fine-tuning


@functools.lru_cache(maxsize=1)
def small_mnist() -> tuple[Split, Split]:
    """(replay, check): the MNIST digits that ship in the package (see the module doc)."""
    from safetensors.torch import load_file

    try:
        tensors = load_file(str(SMALL_MNIST))
    except (OSError, ValueError) as exc:
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


def personal_name(base_name: str) -> str:
    return base_name if base_name.endswith(PERSONAL_SUFFIX) else base_name + PERSONAL_SUFFIX


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
