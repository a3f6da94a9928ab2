"""MNIST loading from IDX files, the data-folder order, and the errors a user can act on."""

from __future__ import annotations

import gzip
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
import torch

from mnistpad.core.data.mnist import (
    EXPECTED_FILES,
    download_failure_reason,
    load_mnist,
    missing_files,
    raw_folder,
)
from mnistpad.core.platform.errors import DataError
from mnistpad.core.platform.paths import (
    default_data_dir,
    resolve_data_dir,
    user_dir,
    user_models_dir,
)


@pytest.fixture
def data_copy(mnist_dir, tmp_path) -> Path:
    """A writable copy of the fixture folder, to break."""
    root = tmp_path / "data"
    shutil.copytree(mnist_dir, root)
    return root


def write_idx(path: Path, array: np.ndarray) -> None:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def test_fixture_loads_with_its_counts_and_ranges(mnist, mnist_dir):
    assert mnist.root == mnist_dir
    for split, count in ((mnist.train, 2000), (mnist.test, 500)):
        assert len(split) == count
        assert split.images.shape == (count, 784) and split.images.dtype == torch.float32
        assert split.labels.shape == (count,) and split.labels.dtype == torch.int64
        assert split.images.min().item() == 0.0 and split.images.max().item() == 1.0
        # every digit equally often: 200 of each in train, 50 in test
        assert torch.bincount(split.labels, minlength=10).tolist() == [count // 10] * 10
    # real MNIST ink: its mean pixel is 0.1307 on the full set
    assert 0.11 < mnist.train.images.mean().item() < 0.15


def test_pixels_are_the_idx_bytes_scaled_to_unit_range(mnist, mnist_dir):
    raw = (raw_folder(mnist_dir) / "t10k-images-idx3-ubyte").read_bytes()
    first = np.frombuffer(raw, dtype=np.uint8, count=784, offset=16)
    np.testing.assert_allclose(mnist.test.images[0].numpy(), first / 255.0, rtol=1e-6)
    labels = (raw_folder(mnist_dir) / "t10k-labels-idx1-ubyte").read_bytes()
    assert mnist.test.labels[:20].tolist() == list(labels[8:28])


def test_data_folder_order(monkeypatch, mnistpad_home, tmp_path):
    assert user_dir() == mnistpad_home
    assert user_models_dir() == mnistpad_home / "models"
    assert resolve_data_dir() == default_data_dir() == mnistpad_home / "mnist"
    monkeypatch.setenv("MNISTPAD_DATA", str(tmp_path / "from-env"))
    assert resolve_data_dir() == tmp_path / "from-env"
    assert resolve_data_dir(tmp_path / "from-cli") == tmp_path / "from-cli"
    assert resolve_data_dir(str(tmp_path / "from-cli")) == tmp_path / "from-cli"


def test_missing_folder_names_the_folder_and_the_expected_files(tmp_path):
    root = tmp_path / "nowhere"
    with pytest.raises(DataError) as info:
        load_mnist(root)
    message = str(info.value)
    assert str(raw_folder(root)) in message
    for name in EXPECTED_FILES:
        assert name in message
    assert "--data" in message and "MNISTPAD_DATA" in message and "--download" in message
    assert "\n" not in message


def test_one_missing_file_is_named(data_copy):
    (raw_folder(data_copy) / "t10k-labels-idx1-ubyte").unlink()
    assert missing_files(data_copy) == ["t10k-labels-idx1-ubyte"]
    with pytest.raises(DataError, match=r"missing t10k-labels-idx1-ubyte\. "):
        load_mnist(data_copy)


@pytest.mark.parametrize(
    ("name", "keep"),
    [
        ("train-images-idx3-ubyte", -1000),  # mid-image
        ("train-images-idx3-ubyte", -784),  # a whole image short
        ("t10k-labels-idx1-ubyte", -10),
        ("t10k-images-idx3-ubyte", 10),  # not even a full header
    ],
)
def test_truncated_idx_file_gives_data_error(data_copy, name, keep):
    path = raw_folder(data_copy) / name
    path.write_bytes(path.read_bytes()[:keep])
    with pytest.raises(DataError) as info:
        load_mnist(data_copy)
    assert "truncated or corrupt" in str(info.value)
    assert str(raw_folder(data_copy)) in str(info.value)


def test_label_count_must_match_image_count(data_copy, mnist):
    labels = mnist.train.labels.numpy().astype(np.uint8)[:1999]
    write_idx(raw_folder(data_copy) / "train-labels-idx1-ubyte", labels)
    with pytest.raises(DataError, match="holds 2000 images but train-labels 1999 labels"):
        load_mnist(data_copy)


def test_labels_outside_0_to_9_are_refused(data_copy, mnist):
    labels = mnist.test.labels.numpy().astype(np.uint8)
    labels[7] = 10
    write_idx(raw_folder(data_copy) / "t10k-labels-idx1-ubyte", labels)
    with pytest.raises(DataError, match="labels outside 0-9"):
        load_mnist(data_copy)


def test_images_must_be_28_by_28(data_copy, mnist):
    images = (mnist.test.images.numpy() * 255).astype(np.uint8).reshape(500, 784)
    write_idx(raw_folder(data_copy) / "t10k-images-idx3-ubyte", images.reshape(500, 16, 49))
    with pytest.raises(DataError, match="not a set of 28x28 images"):
        load_mnist(data_copy)


@pytest.fixture
def raw_files(mnist_dir) -> list[Path]:
    return [raw_folder(mnist_dir) / name for name in EXPECTED_FILES]


def _same(a, b) -> bool:
    return all(torch.equal(getattr(a, split).images, getattr(b, split).images)
               and torch.equal(getattr(a, split).labels, getattr(b, split).labels)
               for split in ("train", "test"))


def test_the_folder_of_the_idx_files_its_mnist_folder_and_their_parent_all_load(
        mnist, mnist_dir, raw_files, tmp_path):
    assert _same(load_mnist(mnist_dir / "MNIST" / "raw"), mnist)
    assert _same(load_mnist(mnist_dir / "MNIST"), mnist)
    loose = tmp_path / "downloads"
    loose.mkdir()
    for path in raw_files:
        shutil.copy(path, loose / path.name)
    assert raw_folder(loose) == loose and missing_files(loose) == []
    assert _same(load_mnist(loose), mnist)


def test_gzip_compressed_files_load_as_distributed(mnist, raw_files, tmp_path):
    folder = tmp_path / "MNIST" / "raw"
    folder.mkdir(parents=True)
    for path in raw_files:
        (folder / f"{path.name}.gz").write_bytes(gzip.compress(path.read_bytes()))
    assert missing_files(tmp_path) == []
    for root in (tmp_path, tmp_path / "MNIST", folder):
        assert _same(load_mnist(root), mnist)


def test_a_truncated_gzip_file_is_reported_as_corrupt(raw_files, tmp_path):
    for path in raw_files:
        (tmp_path / f"{path.name}.gz").write_bytes(gzip.compress(path.read_bytes()))
    cut = tmp_path / "t10k-images-idx3-ubyte.gz"
    cut.write_bytes(cut.read_bytes()[:-200])
    with pytest.raises(DataError, match="truncated or corrupt"):
        load_mnist(tmp_path)


def test_a_folder_without_mnist_names_where_a_download_goes(tmp_path):
    assert raw_folder(tmp_path) == tmp_path / "MNIST" / "raw"
    assert missing_files(tmp_path) == list(EXPECTED_FILES)


def test_a_failed_download_gives_its_real_reason_once():
    torchvision_error = RuntimeError(
        "Error downloading train-images-idx3-ubyte.gz:\n"
        "Tried https://ossci-datasets.s3.amazonaws.com/mnist/, got:\n"
        "<urlopen error [Errno -3] Temporary failure in name resolution>\n"
        "Tried http://yann.lecun.com/exdb/mnist/, got:\n"
        "<urlopen error [Errno -3] Temporary failure in name resolution>\n")
    assert download_failure_reason(torchvision_error) == (
        "<urlopen error [Errno -3] Temporary failure in name resolution>")
    assert download_failure_reason(OSError("disk full")) == "disk full"


def test_the_download_failure_reason_reaches_the_message(tmp_path, monkeypatch):
    import mnistpad.core.data.mnist as data

    def offline(root):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz:\nTried "
                           "https://example/, got:\n<urlopen error no network>\n")

    monkeypatch.setattr(data, "_download", offline)
    with pytest.raises(DataError) as info:
        load_mnist(tmp_path, download=True)
    message = str(info.value)
    assert "the download failed (<urlopen error no network>)" in message
    assert message.count("urlopen") == 1 and "\n" not in message
