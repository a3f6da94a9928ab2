"""What keeps personalizing honest (:mod:`mnistpad.core.personal.image`).

- **The base.** A personal model is always fine-tuned from the model that is not personal
  it was made from (recorded in its file), never from itself: a personal model has trained
  on the samples, so fine-tuning it again would score its "before" on digits it has seen,
  and every round would drift further from its base.
- **Held-out samples.** The newest sample of every digit that has two or more is held out
  and scored before anything trains on it. With fewer than :data:`MIN_HELD_OUT` such digits
  there is no figure worth showing (1 of 1 says nothing): that is reported as data.
- **Which samples.** The file records a fingerprint of every sample it was trained on, so
  that a view scoring the model on the user's samples can say how many it has seen.
"""

from __future__ import annotations

import hashlib
import json
import os
from enum import Enum
from pathlib import Path

import numpy as np

from mnistpad.core.platform.errors import MnistpadError

MIN_HELD_OUT = 3  # digits with a held-out sample needed for a before/after figure
MAX_BASE_HOPS = 8  # personal files of older versions may name a personal base


class HeldOut(str, Enum):
    """Whether a held-out before/after figure was measured."""

    MEASURED = "measured"
    TOO_FEW = "too-few"  # fewer than MIN_HELD_OUT digits have two samples or more


def held_out_rows(labels: np.ndarray) -> np.ndarray:
    """The newest sample of every digit that has two or more; none when fewer than
    :data:`MIN_HELD_OUT` digits have."""
    labels = np.asarray(labels)
    rows = [np.flatnonzero(labels == d)[-1] for d in range(10)
            if np.count_nonzero(labels == d) >= 2]
    return np.asarray(rows if len(rows) >= MIN_HELD_OUT else [], dtype=np.int64)


def digits_with_two(labels: np.ndarray) -> int:
    labels = np.asarray(labels)
    return sum(np.count_nonzero(labels == d) >= 2 for d in range(10))


# ----------------------------------------------------------------------------- samples


def sample_hashes(images: np.ndarray, labels: np.ndarray) -> list[str]:
    """One short content hash per sample: its digit and its 28x28 pixels as bytes (0-255),
    so the same drawing read again hashes the same, wherever its file lies."""
    pixels = np.clip(np.rint(np.asarray(images, np.float32).reshape(-1, 784) * 255), 0, 255)
    pixels = pixels.astype(np.uint8)
    return [hashlib.sha256(bytes([int(label)]) + row.tobytes()).hexdigest()[:16]
            for row, label in zip(pixels, np.asarray(labels), strict=True)]


def samples_fingerprint(images: np.ndarray, labels: np.ndarray) -> str:
    """A fingerprint of the sample set, whatever the order of its samples."""
    joined = "".join(sorted(sample_hashes(images, labels)))
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


def personal_record(info) -> dict | None:
    """The ``personal`` metadata of a model file
    (:class:`~mnistpad.core.files.modelfile.ModelInfo`),
    or None for a model that is not personal (or whose record cannot be read)."""
    text = info.metadata.get("personal")
    if not text:
        return None
    try:
        record = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


def samples_trained_on(info, images: np.ndarray, labels: np.ndarray) -> int | None:
    """How many of these samples the model was fine-tuned on: 0 for a model that is not
    personal; None for a personal file that did not record its samples (it was trained on
    some of the user's samples, which ones is not known)."""
    record = personal_record(info)
    if record is None:
        return 0
    recorded = record.get("sample_hashes")
    if not isinstance(recorded, list):
        return None
    seen = set(recorded)
    return sum(h in seen for h in sample_hashes(images, labels))


# ----------------------------------------------------------------------------- the base


def _base_candidates(info, record: dict) -> list[Path]:
    from mnistpad.core.models.registry import scan

    candidates = []
    if isinstance(record.get("base_path"), str):
        candidates.append(Path(record["base_path"]))
    if isinstance(record.get("base_file"), str) and os.sep not in record["base_file"]:
        candidates.append(info.path.parent / record["base_file"])
    found = scan().find(str(record.get("base", "")))
    if found is not None:
        candidates.append(found.path)
    return [c for c in candidates if c.resolve() != info.path.resolve()]


def base_model_path(path: str | os.PathLike) -> Path:
    """The model to fine-tune when asked to personalize ``path``: ``path`` itself when it is
    not personal, else the base recorded in it (by its path, then beside it, then by its
    name among the saved models), followed while that is personal too."""
    from mnistpad.core.files.modelfile import read_info

    info = read_info(path)
    for _ in range(MAX_BASE_HOPS):
        record = personal_record(info)
        if record is None:
            return info.path
        base_name = str(record.get("base", "?"))
        base = next((read_info(c) for c in _base_candidates(info, record)
                     if c.is_file() and read_info(c).name == base_name), None)
        if base is None:
            raise MnistpadError(
                f"{info.name} was personalized from {base_name}, which is not among the saved "
                f"models: personalize {base_name} itself (a personal model is always "
                f"fine-tuned again from its base)")
        info = base
    raise MnistpadError(f"{path}: its personal models' bases go round in a circle")


def load_base(path: str | os.PathLike, device: str = "cpu"):
    """:func:`~mnistpad.core.files.modelfile.load_model` of :func:`base_model_path`."""
    from mnistpad.core.files.modelfile import load_model

    return load_model(base_model_path(path), device)
