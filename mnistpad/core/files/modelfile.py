"""Model files: one ``.safetensors`` file per saved variant.

The file holds the weights and, in ``__metadata__`` (strings only), the spec the model is
rebuilt from plus its training history. Nothing is ever unpickled: a model file from a
stranger cannot run code. Writes are atomic: a crash or a cancel never leaves a half-written
file in place of a good one.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from safetensors import SafetensorError

from mnistpad.core.files import figures
from mnistpad.core.files.atomic import TEMP_SUFFIX, save_error, write_atomic
from mnistpad.core.files.atomic import (  # the clean-up, imported from here too
    remove_stale_temp_files as remove_stale_temp_files,
)
from mnistpad.core.files.header import (
    MAX_FILE,
    _check_header,
    _header_length,
    _read_header,
    _sniff,
)
from mnistpad.core.files.numbers import bad, loads, number_text, numbers, whole_text
from mnistpad.core.files.outside import is_regular, read_regular
from mnistpad.core.models.layers import MAX_PARAMETERS
from mnistpad.core.models.specs import VariantSpec, spec_from_metadata, spec_parameter_count
from mnistpad.core.platform.errors import MnistpadError, ModelFileError, SaveError

if TYPE_CHECKING:  # reading headers needs no torch: the window lists models before loading it
    import torch
    from torch import nn

FORMAT = "mnistpad-model"
FORMAT_VERSION = 1
PREPROCESSING_VERSION = 1
SUFFIX = ".safetensors"
MAX_NAME_LENGTH = 200
# What a file is, as its spec says (arch "strokes": a stroke reader, which reads a drawing's
# strokes; any other arch: an image model, which reads 28x28 pixels). Every reader names the
# kind it expects, so that a file of the other kind is refused in one line, not met later
# by a shape error; ANY_KIND is for what touches a file without reading digits with it.
IMAGE = "image"
STROKES = "strokes"
ANY_KIND = None
MAX_EPOCHS_TRAINED = 1_000_000
INPUT_CONVENTION = (
    "28x28 greyscale, ink bright on black, pixels in [0, 1], no mean/std normalization; "
    "flat 784 values for MLPs, 1x28x28 for CNNs"
)


@dataclass(frozen=True)
class ModelInfo:
    """What a model file says about itself, read from its header alone."""

    path: Path
    name: str
    spec: VariantSpec
    parameters: int
    test_accuracy: float | None
    cost_history: list[float] = field(default_factory=list)
    accuracy_history: list[float] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    drawn_accuracy: float | None = None
    # per epoch: training accuracy (a running mean over its batches) and test cost; files
    # from before these were recorded have neither
    train_accuracy_history: list[float] = field(default_factory=list)
    test_cost_history: list[float] = field(default_factory=list)
    measurement: figures.Measurement | None = None  # the recorded figures, where from

    @property
    def test_measured_on(self) -> str | None:
        """What ``test_accuracy`` was measured on (:mod:`mnistpad.core.files.figures`); None for a
        file from before this was recorded."""
        figure = self.measurement.mnist if self.measurement else None
        return figure.measured_on if figure else None

    @property
    def drawn_measured_on(self) -> str | None:
        figure = self.measurement.drawn if self.measurement else None
        return figure.measured_on if figure else None

    @property
    def training_data(self) -> str:
        """What the model was trained on, in words (files from before this was recorded
        were trained on MNIST alone)."""
        return self.metadata.get("training_data") or "MNIST training set"

    @property
    def variant(self) -> str:
        return self.spec.variant

    @property
    def file_size(self) -> int:
        return self.path.stat().st_size


@dataclass
class LoadedModel:
    info: ModelInfo
    model: nn.Module


def _json(meta: dict[str, str], key: str, source: str):
    if key not in meta:
        raise _bad(source, key)
    return loads(meta[key], source, key)


def _bad(source: str, key: str) -> ModelFileError:
    return bad(source, key)


def _history(meta: dict[str, str], key: str, source: str, low: float, high: float) -> list[float]:
    """A JSON list of finite numbers within [low, high], or [] when the key is absent."""
    if key not in meta:
        return []
    return numbers(_json(meta, key, source), source, key, low, high)


def _accuracy(meta: dict[str, str], source: str, key: str = "test_accuracy") -> float | None:
    """An accuracy stored as text, or ``None`` when absent or empty."""
    text = meta.get(key, "")
    return number_text(text, source, key, 0.0, 1.0) if text else None


def _format_version(meta: dict[str, str], source: str) -> int:
    return whole_text(meta.get("format_version", "0") or "0", source, "format_version", 0, 999_999)


def _check_epochs_trained(meta: dict[str, str], source: str) -> None:
    """``epochs_trained``, when recorded, is a whole number (the leaderboard reads it)."""
    if meta.get("epochs_trained"):
        whole_text(meta["epochs_trained"], source, "epochs_trained", 0, MAX_EPOCHS_TRAINED)


def kind_of(spec: VariantSpec) -> str:
    """:data:`STROKES` or :data:`IMAGE`: what a file of ``spec`` reads."""
    return STROKES if spec.arch == "strokes" else IMAGE


def _check_kind(spec: VariantSpec, kind: str | None, source: str) -> None:
    """Refuse a file of the other kind than the one expected (see :data:`IMAGE`)."""
    found = kind_of(spec)
    if kind is ANY_KIND or kind == found:
        return
    if found == STROKES:
        raise ModelFileError(f"{source}: not an image model: it is a stroke reader (it reads "
                             f"a drawing's strokes, not a picture of a digit)")
    raise ModelFileError(f"{source}: not a stroke model: a '{spec.variant}' model reads "
                         f"images, not strokes")


def _check_stroke_metadata(meta: dict[str, str], spec: VariantSpec, source: str) -> None:
    """A stroke reader's ``combination`` (how its reading joins the image model's), when
    recorded, must be a valid one."""
    if spec.arch == "strokes" and meta.get("combination"):
        from mnistpad.core.strokes.combination import Combination

        Combination.parse(meta["combination"], source)


def _check_size(spec: VariantSpec, parameters: int, source: str) -> None:
    """Refuse a spec that is absurdly large, or that the file's tensors do not match,
    from the spec's arithmetic alone: nothing is allocated for a hostile file."""
    expected = spec_parameter_count(spec)
    if expected > MAX_PARAMETERS:
        raise ModelFileError(
            f"{source}: its spec asks for {expected:,} parameters, more than the "
            f"{MAX_PARAMETERS:,} mnistpad builds"
        )
    if expected != parameters:
        raise ModelFileError(
            f"{source}: its weights do not match its '{spec.variant}' spec ({parameters:,} "
            f"parameters in the file, {expected:,} in the spec)"
        )


def read_info(path: str | os.PathLike, kind: str | None = IMAGE) -> ModelInfo:
    """Validate a model file's header and metadata without loading the weights; a file of
    another ``kind`` than the one expected (:data:`IMAGE`, :data:`STROKES`, or
    :data:`ANY_KIND`) is refused."""
    path = Path(path)
    source = str(path)
    if not is_regular(path):
        raise ModelFileError(f"{source}: " + ("not a regular file (a named pipe, a device or "
                                              "a folder)" if path.exists() else
                                              "no such model file"))
    try:
        reason = _sniff(path)
        if reason:
            raise ModelFileError(f"{source}: {reason}")
        meta, shapes = _read_header(path)
    except ModelFileError:
        raise
    except (OSError, ValueError, RecursionError) as exc:
        raise ModelFileError(f"{source}: not a readable safetensors file ({exc})") from None
    if meta.get("format") != FORMAT:
        raise ModelFileError(f"{source}: a safetensors file, but not an mnistpad model")
    if _format_version(meta, source) > FORMAT_VERSION:
        raise ModelFileError(f"{source}: written by a newer mnistpad; please update mnistpad")
    spec = spec_from_metadata(_json(meta, "spec", source), source)
    _check_kind(spec, kind, source)
    parameters = sum(
        math.prod(shape)
        for key, shape in shapes.items()
        if not key.endswith(("running_mean", "running_var", "num_batches_tracked"))
    )
    _check_size(spec, parameters, source)
    name = meta.get("name") or path.stem
    if not name.isprintable() or len(name) > MAX_NAME_LENGTH:
        raise _bad(source, "name")
    measurement, test_acc, drawn_acc = _recorded(meta, source)
    _check_epochs_trained(meta, source)
    _check_stroke_metadata(meta, spec, source)
    return ModelInfo(
        path=path,
        name=name,
        spec=spec,
        parameters=parameters,
        test_accuracy=test_acc,
        cost_history=_history(meta, "cost_history", source, 0.0, math.inf),
        accuracy_history=_history(meta, "accuracy_history", source, 0.0, 1.0),
        metadata=dict(meta),
        drawn_accuracy=drawn_acc,
        measurement=measurement,
        train_accuracy_history=_history(meta, "train_accuracy_history", source, 0.0, 1.0),
        test_cost_history=_history(meta, "test_cost_history", source, 0.0, math.inf),
    )


def _recorded(meta: dict[str, str], source: str):
    """(measurement, MNIST accuracy, drawn accuracy): the recorded measurement's figures,
    or for a file without one the bare accuracies it holds."""
    try:
        measurement = figures.from_metadata(meta)
    except ValueError:
        raise _bad(source, figures.KEY) from None
    test_acc, drawn_acc = _accuracy(meta, source), _accuracy(meta, source, "drawn_accuracy")
    if measurement is None:
        return None, test_acc, drawn_acc
    return (measurement, measurement.mnist.accuracy if measurement.mnist else None,
            measurement.drawn.accuracy if measurement.drawn else None)


def load_model(path: str | os.PathLike, device: str | torch.device = "cpu",
               kind: str | None = IMAGE) -> LoadedModel:
    """Rebuild the model from the file's spec and load its weights strictly (eval mode);
    ``kind`` as :func:`read_info`'s."""
    from mnistpad.core.models.variants import build_model

    info = read_info(path, kind)
    model = build_model(info.spec)
    state = _read_tensors(info, "pt")
    check_weights(info.path, state, lambda t: not t.is_floating_point()
                  or bool(t.isfinite().all()))
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()
        detail = first[1].strip() if len(first) > 1 else first[0]
        raise ModelFileError(
            f"{info.path}: its weights do not match its '{info.variant}' spec ({detail})"
        ) from None
    model.to(device).eval()
    return LoadedModel(info, model)


def check_weights(path: Path, tensors: dict, finite: Callable[[object], bool]) -> None:
    """Refuse weights that cannot read a digit: values that are not numbers (NaN or
    infinite), or a batch norm's negative running variance (its square root is NaN). One
    check for torch's loading and numpy's readers (``finite``: whether a tensor of either is
    finite), so that both refuse a file alike."""
    for key, tensor in tensors.items():
        if not finite(tensor):
            raise ModelFileError(f"{path}: its weights hold values that are not numbers "
                                 f"(NaN or infinite) in '{key}'; it cannot read digits")
        if key.endswith("running_var") and bool((tensor < 0).any()):
            raise ModelFileError(f"{path}: its weights hold a negative variance in '{key}'; "
                                 f"it cannot read digits")


def _read_tensors(info: ModelInfo, framework: str) -> dict:
    """The tensors of ``info``'s file, read whole into memory first (never mapped: a file
    rewritten while mapped kills the process with SIGBUS), from a header that must be the
    one :func:`read_info` checked."""
    if framework == "pt":
        from safetensors.torch import load
    else:
        from safetensors.numpy import load
    try:
        data = read_regular(info.path, MAX_FILE)
        length = _header_length(data[:8], len(data))
        meta, _ = _check_header(data[8 : 8 + length], len(data) - 8 - length)
    except MnistpadError as exc:
        raise ModelFileError(str(exc)) from None
    except (ValueError, RecursionError) as exc:
        raise ModelFileError(f"{info.path}: the file changed while it was read ({exc})"
                             ) from None
    if meta != info.metadata:
        raise ModelFileError(f"{info.path}: the file changed while it was read; try again")
    try:
        return load(data)
    except (SafetensorError, ValueError) as exc:
        raise ModelFileError(f"{info.path}: the weights cannot be read ({exc})") from None


def _torch_version() -> str:
    import torch

    return torch.__version__


def build_metadata(name: str, spec: VariantSpec, **extra) -> dict[str, str]:
    """The ``__metadata__`` strings of a model file; ``extra`` values are JSON-encoded
    unless they are strings already."""
    meta = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "name": name,
        "variant": spec.variant,
        "spec": json.dumps(spec.to_dict()),
        "input": INPUT_CONVENTION,
        "preprocessing_version": str(PREPROCESSING_VERSION),
        "torch_version": _torch_version(),
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    for key, value in extra.items():
        if value is None:
            continue
        meta[key] = value if isinstance(value, str) else json.dumps(value)
    return meta


def check_writable(path: str | os.PathLike, size: int = 0) -> None:
    """Fail now, with a :class:`SaveError` naming ``path``, when ``path`` cannot be written:
    its folder cannot be created or written to, or holds less than ``size`` bytes free.
    Called before a long run, so that a read-only or full folder is not discovered after it."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
        os.close(fd)
        Path(probe).unlink(missing_ok=True)  # another save's clean-up may have taken it
        free = shutil.disk_usage(path.parent).free
    except OSError as exc:
        raise save_error(path, exc) from None
    if free < size:
        raise SaveError(f"cannot save {path}: its folder has {free / 1e6:.1f} MB free, and the "
                        f"file needs about {size / 1e6:.1f} MB")


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Write ``payload`` over ``path`` atomically
    (:func:`~mnistpad.core.files.atomic.write_atomic`). Any failure is a :class:`SaveError`
    naming ``path``, and leaves ``path`` as it was."""
    write_atomic(path, payload)


def expected_file_size(spec: VariantSpec) -> int:
    """About how many bytes a model file of ``spec`` takes (float32 weights, a header)."""
    return 4 * spec_parameter_count(spec) + 1_000_000


def save_model(path: str | os.PathLike, model: nn.Module, metadata: dict[str, str]) -> Path:
    """Write ``model``'s weights and ``metadata`` (see :func:`build_metadata`) atomically."""
    from safetensors.torch import save as safetensors_bytes

    path = Path(path)
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    atomic_write_bytes(path, safetensors_bytes(tensors, metadata=metadata))
    return path


def update_metadata(path: str | os.PathLike, **values: str) -> None:
    """Set metadata strings of an existing model file, keeping its weights (atomic rewrite)."""
    from safetensors.numpy import save as safetensors_bytes

    path = Path(path)
    info = read_info(path, ANY_KIND)  # a stroke reader's combination is recorded this way
    tensors = _read_tensors(info, "numpy")
    meta = {**info.metadata, **values}
    atomic_write_bytes(path, safetensors_bytes(tensors, metadata=meta))


def save_result(path: str | os.PathLike, result, name: str | None = None) -> Path:
    """Save a :class:`~mnistpad.core.training.train.TrainResult` with its full history."""
    path = Path(path)
    meta = build_metadata(
        name or path.stem,
        result.spec,
        seed=result.seed,
        device=result.device,
        epochs_trained=len(result.cost_history),
        cost_history=result.cost_history,
        accuracy_history=result.accuracy_history,
        train_accuracy_history=result.train_accuracy_history,
        # a test cost can overflow where accuracy still reads; a file keeps finite ones only
        test_cost_history=result.test_cost_history
        if all(math.isfinite(c) for c in result.test_cost_history) else None,
        epoch_seconds=[round(s, 3) for s in result.epoch_seconds],
        training_seconds=round(result.seconds, 3),
        training_data=result.training_data or None,
        **figures.from_training(result).metadata(),
    )
    return save_model(path, result.model, meta)

