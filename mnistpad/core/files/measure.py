"""Measuring a model's figures and recording them in its file (:mod:`mnistpad.core.files.figures`).

``mnistpad eval --record`` is the command that does it for any saved model; the functions
here are what it runs, so that a figure means the same whoever measured it.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

from mnistpad.core.files import figures
from mnistpad.core.files.figures import Figure, Measurement
from mnistpad.core.platform.errors import MnistpadError


def mnist_figure(model, spec, split, measured_on: str | None = None,
                 should_stop: Callable[[], bool] | None = None) -> Figure:
    """Accuracy on an MNIST test split; ``measured_on`` defaults to what its size says (the
    full test set, or part of it)."""
    from mnistpad.core.training.train import accuracy

    on = measured_on or figures.mnist_measured_on(len(split))
    return Figure.of(accuracy(model, spec, split, should_stop), len(split), on)


def drawn_figure(model, spec, should_stop: Callable[[], bool] | None = None) -> Figure:
    """Accuracy on the development writers' pen digits (never trained on), drawn at full
    size by the Qt-free stroke renderer: the digits
    :func:`~mnistpad.core.training.train.drawn_accuracy`
    reads."""
    from mnistpad.core.data.pendigits import development_split
    from mnistpad.core.training.train import accuracy

    split = development_split()
    return Figure.of(accuracy(model, spec, split, should_stop), len(split),
                     figures.DRAWN_WRITERS)


def record(measured, measurement: Measurement, *, allow_shipped: bool = False) -> None:
    """Write ``measurement`` into the file ``measured`` (a
    :class:`~mnistpad.core.files.modelfile.LoadedModel`) was loaded from, keeping its weights and
    every other metadata value: only when the file still holds what was measured (its
    metadata and its weights), never into a shipped model; else a one-line
    :class:`MnistpadError`, and the file is left as it is.

    The new file is made from the bytes just read and checked, so that whatever happens
    next it holds the measured model with its own figures; it is renamed into place only if
    the file was not replaced or rewritten meanwhile (the check is on the file's identity,
    size and time, right before the rename).

    ``allow_shipped`` is for the maintainers' ``tools/record_shipped.py`` alone, which
    records the shipped models' figures on the same path (their weights kept byte for
    byte); mnistpad itself never passes it."""
    from mnistpad.core.files.outputs import is_shipped

    path = Path(measured.info.path)
    if is_shipped(path) and not allow_shipped:
        raise MnistpadError(f"{path}: a shipped model; mnistpad never rewrites it, so its "
                            f"figures were not recorded (record on a copy of it)")
    stamp = _stamp(path)
    data = _read(path)
    if stamp is None or _stamp(path) != stamp or not same_model(data, measured):
        raise _changed(path)
    _replace_if_unchanged(path, _with_metadata(data, measurement.metadata()), stamp)


def _changed(path: Path) -> MnistpadError:
    return MnistpadError(f"{path}: the file changed while it was measured; its figures were "
                         f"not recorded (run eval again)")


def _stamp(path: Path) -> tuple | None:
    """What changes whenever the file at ``path`` is replaced or rewritten (its mode last:
    the new file keeps it)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode


def _read(path: Path) -> bytes:
    from mnistpad.core.files.header import MAX_FILE
    from mnistpad.core.files.outside import read_regular

    try:
        return read_regular(path, MAX_FILE)
    except MnistpadError:
        raise _changed(path) from None


def _parts(data: bytes) -> tuple[dict[str, str], dict]:
    """(metadata, tensors) of safetensors bytes; ValueError when they are not that."""
    from safetensors import SafetensorError
    from safetensors.torch import load

    length = int.from_bytes(data[:8], "little")
    if len(data) < 8 or length > len(data) - 8:
        raise ValueError("not a safetensors file")
    try:
        meta = json.loads(data[8 : 8 + length]).get("__metadata__") or {}
        return meta, load(data)
    except (SafetensorError, AttributeError, RecursionError) as exc:
        raise ValueError(str(exc)) from None


def same_model(data: bytes, measured) -> bool:
    """Whether the model file ``data`` is the model ``measured`` was loaded from: the same
    metadata and, tensor by tensor, the same weights (as the model holds them)."""
    import torch

    try:
        meta, tensors = _parts(data)
    except ValueError:
        return False
    state = measured.model.state_dict()
    if meta != measured.info.metadata or tensors.keys() != state.keys():
        return False
    return all(tensors[k].shape == state[k].shape
               and torch.equal(tensors[k].to(state[k].dtype), state[k].detach().cpu())
               for k in state)


def _with_metadata(data: bytes, values: dict[str, str]) -> bytes:
    from safetensors.torch import save

    meta, tensors = _parts(data)
    return save(tensors, metadata={**meta, **values})


def _replace_if_unchanged(path: Path, payload: bytes, stamp: tuple) -> None:
    """Write ``payload`` over ``path`` (:func:`~mnistpad.core.files.atomic.write_atomic`,
    keeping the file's permissions) if the file there is still the one ``stamp`` describes,
    checked right before the rename; else :func:`_changed`'s error, and ``path`` is left as
    it is. A :class:`~mnistpad.core.platform.errors.SaveError` when it cannot be written."""
    from mnistpad.core.files.atomic import write_atomic

    write_atomic(path, payload, mode=stat.S_IMODE(stamp[-1]),
                 precondition=lambda: _check_unchanged(path, stamp))


def _check_unchanged(path: Path, stamp: tuple) -> None:
    if _stamp(path) != stamp:
        raise _changed(path)
