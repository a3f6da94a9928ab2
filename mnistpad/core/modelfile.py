"""Model files: one ``.safetensors`` file per saved variant.

The file holds the weights and, in ``__metadata__`` (strings only), the spec the model is
rebuilt from plus its training history. Nothing is ever unpickled: a model file from a
stranger cannot run code. Writes are atomic: a crash or a cancel never leaves a half-written
file in place of a good one.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save as safetensors_bytes
from torch import nn

from mnistpad.core.errors import ModelFileError
from mnistpad.core.variants import VariantSpec, build_model, spec_from_metadata

FORMAT = "mnistpad-model"
FORMAT_VERSION = 1
PREPROCESSING_VERSION = 1
SUFFIX = ".safetensors"
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
    try:
        return json.loads(meta[key])
    except (KeyError, ValueError):
        raise ModelFileError(f"{source}: its metadata has no valid '{key}'") from None


def _fraction(meta: dict[str, str], key: str, source: str) -> float | None:
    """An accuracy stored as text, or ``None`` when absent or empty."""
    text = meta.get(key, "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise ModelFileError(f"{source}: its metadata has no valid '{key}' ({text[:40]!r})")
    return value


def _sniff(path: Path) -> str | None:
    """A plain-words reason when the file is recognisably not safetensors."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if len(head) < 8:
        return "the file is empty or truncated"
    if head.startswith(b"PK\x03\x04"):
        return ("it is a PyTorch checkpoint (a zipped pickle); mnistpad never unpickles files, "
                "since a pickle can run code")
    if head[:1] == b"\x80" and head[1:2] in {bytes([v]) for v in range(2, 6)}:
        return "it is a Python pickle; mnistpad never unpickles files, since a pickle can run code"
    header_len = int.from_bytes(head, "little")
    if header_len > path.stat().st_size - 8:
        return "it is not a safetensors file, or it is truncated"
    return None


def read_info(path: str | os.PathLike) -> ModelInfo:
    """Validate a model file's header and metadata without loading the weights."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise ModelFileError(f"{source}: no such model file")
    try:
        reason = _sniff(path)
        if reason:
            raise ModelFileError(f"{source}: {reason}")
        with safe_open(os.fspath(path), framework="pt") as fh:
            meta = fh.metadata() or {}
            shapes = {key: fh.get_slice(key).get_shape() for key in fh.keys()}  # noqa: SIM118
    except ModelFileError:
        raise
    except (SafetensorError, OSError, ValueError) as exc:
        raise ModelFileError(f"{source}: not a readable safetensors file ({exc})") from None
    if meta.get("format") != FORMAT:
        raise ModelFileError(f"{source}: a safetensors file, but not an mnistpad model")
    if int(meta.get("format_version", "0") or 0) > FORMAT_VERSION:
        raise ModelFileError(f"{source}: written by a newer mnistpad; please update mnistpad")
    spec = spec_from_metadata(_json(meta, "spec", source), source)
    acc = meta.get("test_accuracy", "")
    parameters = sum(
        int(torch.Size(shape).numel())
        for key, shape in shapes.items()
        if not key.endswith(("running_mean", "running_var", "num_batches_tracked"))
    )
    return ModelInfo(
        path=path,
        name=meta.get("name") or path.stem,
        spec=spec,
        parameters=parameters,
        test_accuracy=float(acc) if acc else None,
        cost_history=_json(meta, "cost_history", source) if "cost_history" in meta else [],
        accuracy_history=(
            _json(meta, "accuracy_history", source) if "accuracy_history" in meta else []
        ),
        metadata=dict(meta),
        drawn_accuracy=_fraction(meta, "drawn_accuracy", source),
    )


def load_model(path: str | os.PathLike, device: str | torch.device = "cpu") -> LoadedModel:
    """Rebuild the model from the file's spec and load its weights strictly (eval mode)."""
    info = read_info(path)
    model = build_model(info.spec)
    try:
        with safe_open(os.fspath(info.path), framework="pt", device="cpu") as fh:
            state = {key: fh.get_tensor(key) for key in fh.keys()}  # noqa: SIM118
        model.load_state_dict(state, strict=True)
    except (SafetensorError, OSError) as exc:
        raise ModelFileError(f"{info.path}: the weights cannot be read ({exc})") from None
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()
        detail = first[1].strip() if len(first) > 1 else first[0]
        raise ModelFileError(
            f"{info.path}: its weights do not match its '{info.variant}' spec ({detail})"
        ) from None
    model.to(device).eval()
    return LoadedModel(info, model)


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
        "torch_version": torch.__version__,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    for key, value in extra.items():
        if value is None:
            continue
        meta[key] = value if isinstance(value, str) else json.dumps(value)
    return meta


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would make shared model files unreadable
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def save_model(path: str | os.PathLike, model: nn.Module, metadata: dict[str, str]) -> Path:
    """Write ``model``'s weights and ``metadata`` (see :func:`build_metadata`) atomically."""
    path = Path(path)
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    atomic_write_bytes(path, safetensors_bytes(tensors, metadata=metadata))
    return path


def update_metadata(path: str | os.PathLike, **values: str) -> None:
    """Set metadata strings of an existing model file, keeping its weights (atomic rewrite)."""
    path = Path(path)
    info = read_info(path)
    with safe_open(os.fspath(path), framework="pt", device="cpu") as fh:
        tensors = {key: fh.get_tensor(key) for key in fh.keys()}  # noqa: SIM118
    meta = {**info.metadata, **values}
    atomic_write_bytes(path, safetensors_bytes(tensors, metadata=meta))


def save_result(path: str | os.PathLike, result, name: str | None = None) -> Path:
    """Save a :class:`~mnistpad.core.train.TrainResult` with its full history."""
    path = Path(path)
    meta = build_metadata(
        name or path.stem,
        result.spec,
        seed=result.seed,
        device=result.device,
        epochs_trained=len(result.cost_history),
        cost_history=result.cost_history,
        accuracy_history=result.accuracy_history,
        epoch_seconds=[round(s, 3) for s in result.epoch_seconds],
        training_seconds=round(result.seconds, 3),
        test_accuracy="" if result.test_accuracy is None else f"{result.test_accuracy:.6f}",
        drawn_accuracy="" if result.drawn_accuracy is None else f"{result.drawn_accuracy:.6f}",
        training_data=result.training_data or None,
    )
    return save_model(path, result.model, meta)
