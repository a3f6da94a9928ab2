"""What a run's end and a rescan read: the drawn-digit figure counts the digits measured
without parsing the pen-digit file again, MNIST's IDX files load into their tensors without
an extra copy, and a rescan of the models folders reads only the headers that changed."""

from __future__ import annotations

import gzip
import os
import shutil
import struct
import time

import numpy as np
import pytest
import torch

from mnistpad.core.data import pendigits
from mnistpad.core.data.mnist import Split, read_idx
from mnistpad.core.files import figures
from mnistpad.core.models import registry
from mnistpad.core.models.specs import lab_spec
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.training.train import TrainResult

# ------------------------------------------------------------------ the drawn-digit figure


def test_the_drawn_figure_counts_the_digits_measured_without_parsing_the_pen_file(
        monkeypatch):
    measured = Split(torch.zeros(7, 784), torch.zeros(7, dtype=torch.int64))
    monkeypatch.setattr(pendigits, "development_split", lambda size="full": measured)

    def parse(*_args):
        raise AssertionError("the pen-digit file was parsed to count the drawn digits")

    monkeypatch.setattr(pendigits, "load_pendigits", parse)
    result = TrainResult(lab_spec("softmax"), torch.nn.Linear(1, 1), 777, "cpu",
                         accuracy_history=[0.9], drawn_accuracy=5 / 7, test_count=10)
    drawn = figures.from_training(result).drawn
    assert (drawn.correct, drawn.count, drawn.measured_on) == (5, 7, figures.DRAWN_WRITERS)


# ------------------------------------------------------------------ IDX files


def _idx(shape: tuple[int, ...], body: bytes) -> bytes:
    return b"\0\0\x08" + bytes([len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + body


@pytest.mark.parametrize("packed", [False, True])
def test_an_idx_file_reads_as_its_bytes_in_its_shape(tmp_path, packed):
    pixels = np.arange(3 * 4 * 5, dtype=np.uint8).reshape(3, 4, 5)
    data = _idx(pixels.shape, pixels.tobytes())
    path = tmp_path / ("x-idx3-ubyte.gz" if packed else "x-idx3-ubyte")
    path.write_bytes(gzip.compress(data) if packed else data)
    tensor = read_idx(path)
    assert tensor.dtype == torch.uint8 and tuple(tensor.shape) == (3, 4, 5)
    assert np.array_equal(tensor.numpy(), pixels)
    tensor += 1  # its own memory, writable (training scales it in place)


@pytest.mark.parametrize(("data", "message"), [
    (b"\0\0\x08", "is not an IDX file of bytes"),
    (b"\0\0\x09\x01" + struct.pack(">I", 2) + b"ab", "is not an IDX file of bytes"),
    (b"\0\0\x08\x02" + struct.pack(">I", 2), "ends inside its header"),
    (_idx((2, 3), b"abcde"), "holds 5 bytes, its header says 6"),
    (_idx((2, 3), b"abcdefg"), "holds 7 bytes, its header says 6"),
])
def test_a_broken_idx_file_is_refused_with_what_is_wrong(tmp_path, data, message):
    path = tmp_path / "broken-idx"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=message):
        read_idx(path)


# ------------------------------------------------------------------ rescanning


@pytest.fixture
def folder(tmp_path):
    """Two model files copied from the shipped ones."""
    for name in ("softmax", "nn"):
        shutil.copy(shipped_models_dir() / f"{name}.safetensors", tmp_path)
    return tmp_path


@pytest.fixture
def headers_read(monkeypatch):
    registry._HEADERS.forget()
    read = []
    real = registry.read_info
    monkeypatch.setattr(registry, "read_info", lambda path: read.append(path.name) or real(path))
    yield read
    registry._HEADERS.forget()


def test_a_rescan_reads_only_the_files_changed_since(folder, headers_read, monkeypatch):
    monkeypatch.setattr(registry, "SETTLED_NS", 0)  # every file counts as settled at once
    first = registry.scan([folder])
    assert sorted(headers_read) == ["nn.safetensors", "softmax.safetensors"]
    headers_read.clear()
    again = registry.scan([folder])
    assert headers_read == [] and again.models == first.models
    shutil.copy(shipped_models_dir() / "xavier.safetensors", folder)  # a model saved
    os.replace(folder / "xavier.safetensors", folder / "nn.safetensors")  # one replaced
    shutil.copy(shipped_models_dir() / "dropout.safetensors", folder)
    later = registry.scan([folder])
    assert sorted(headers_read) == ["dropout.safetensors", "nn.safetensors"]
    assert [m.variant for m in later.models] == ["softmax", "xavier", "dropout"]
    headers_read.clear()
    assert registry.scan([folder]).models == later.models and headers_read == []
    (folder / "dropout.safetensors").unlink()
    assert [m.variant for m in registry.scan([folder]).models] == [
        m.variant for m in later.models if m.variant != "dropout"]


def test_a_file_written_within_the_clock_tick_of_a_read_is_read_again(folder, headers_read):
    """A rewrite in place that keeps the size within the filesystem's timestamp tick leaves
    every stat field as it was: a header read that soon after its file changed is not
    trusted until the file is older than SETTLED_NS."""
    registry.scan([folder])
    headers_read.clear()
    registry.scan([folder])
    assert sorted(headers_read) == ["nn.safetensors", "softmax.safetensors"]


def test_a_file_that_stops_being_readable_is_reported_again(folder, headers_read, monkeypatch):
    monkeypatch.setattr(registry, "SETTLED_NS", 0)
    registry.scan([folder])
    data = (folder / "nn.safetensors").read_bytes()
    (folder / "nn.safetensors").write_bytes(data[: len(data) // 2])
    time.sleep(0.01)
    catalog = registry.scan([folder])
    assert [m.name for m in catalog.models] == ["softmax"]
    assert len(catalog.problems) == 1 and "nn.safetensors" in catalog.problems[0]
