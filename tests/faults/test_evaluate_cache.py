"""Round three, fault 10: the Evaluate cache on disk recovers from any damage. A bad entry
is deleted and computed again (the figures equal a fresh evaluation), reading it is bounded
(an entry's arrays are checked from their headers before numpy allocates them), and an entry
is written with fsync."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from mnistpad.core.data.mnist import load_test_split
from mnistpad.core.evaluation.evaluate import DataSet, EvaluationCache, evaluate
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.classify import Classifier

SOFTMAX = shipped_models_dir() / "softmax.safetensors"
XAVIER = shipped_models_dir() / "xavier.safetensors"
pytestmark = pytest.mark.skipif(not XAVIER.is_file(), reason="no shipped models in models/")


@pytest.fixture(scope="module")
def fixture_set(mnist_dir) -> DataSet:
    split = load_test_split(mnist_dir)
    return DataSet.of("mnist-test", split.images[:300].numpy(), split.labels[:300].numpy())


@pytest.fixture(scope="module")
def fresh(fixture_set):
    return evaluate(Classifier.from_file(SOFTMAX), fixture_set)


def _entry(folder: Path, fixture_set) -> Path:
    EvaluationCache(folder).evaluation(SOFTMAX, fixture_set, Classifier.from_file)
    (entry,) = [p for p in folder.iterdir() if not p.name.startswith(".")]
    return entry


def _npy_claiming(shape: tuple[int, ...]) -> bytes:
    """An .npy member whose header claims ``shape`` float32 values, holding 40 bytes."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": "<f4", "fortran_order": False,
                                                  "shape": shape})
    return buffer.getvalue() + bytes(40)


def _rezip(entry: Path, replace: dict[str, bytes], compression=zipfile.ZIP_STORED) -> None:
    with zipfile.ZipFile(entry) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update(replace)
    with zipfile.ZipFile(entry, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def empty(entry, folder, fixture_set):
    entry.write_bytes(b"")


def truncated(entry, folder, fixture_set):
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])


def huge_header(entry, folder, fixture_set):  # claims 10^11 x 10 values: 3.6 TiB
    _rezip(entry, {"probabilities.npy": _npy_claiming((10**11, 10))})


def zip_bomb(entry, folder, fixture_set):  # a small file that unpacks to 400 MB
    _rezip(entry, {"probabilities.npy": bytes(400_000_000)}, zipfile.ZIP_DEFLATED)


def another_models_entry(entry, folder, fixture_set):
    """xavier's entry copied over softmax's: the same data set, other figures."""
    model = folder.parent / "xavier-copy.safetensors"
    shutil.copyfile(XAVIER, model)
    EvaluationCache(folder).evaluation(model, fixture_set, Classifier.from_file)
    (other,) = [p for p in folder.iterdir() if p != entry and not p.name.startswith(".")]
    shutil.copyfile(other, entry)


def nan_probabilities(entry, folder, fixture_set):
    with np.load(entry) as stored:
        probabilities = stored["probabilities"].copy()
    probabilities[:, 0] = np.nan
    buffer = io.BytesIO()
    np.save(buffer, probabilities)
    _rezip(entry, {"probabilities.npy": buffer.getvalue()})


def a_named_pipe(entry, folder, fixture_set):
    entry.unlink()
    os.mkfifo(entry)


DAMAGE = [empty, truncated, huge_header, zip_bomb, another_models_entry, nan_probabilities,
          a_named_pipe]


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__ for d in DAMAGE])
def test_10_a_damaged_entry_is_deleted_and_computed_again(damage, fixture_set, fresh, tmp_path):
    folder = tmp_path / "cache"
    entry = _entry(folder, fixture_set)
    damage(entry, folder, fixture_set)
    calls = []
    again = EvaluationCache(folder).evaluation(
        SOFTMAX, fixture_set, lambda p: calls.append(p) or Classifier.from_file(p))
    assert calls == [SOFTMAX], "the damaged entry was used"
    assert again.correct == fresh.correct
    np.testing.assert_array_equal(again.probabilities, fresh.probabilities)
    # written again, whole: the next start reads it from disk
    served = EvaluationCache(folder).evaluation(SOFTMAX, fixture_set, _refuse)
    assert served.from_cache and served.correct == fresh.correct


def _refuse(path):
    raise AssertionError(f"{path} was evaluated again")


def test_10_an_entry_is_written_with_fsync(fixture_set, tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real(fd))
    _entry(tmp_path / "cache", fixture_set)
    assert synced, "a cache entry was written without fsync"


def test_10_reading_a_bomb_stays_small(fixture_set, tmp_path, mnistpad_home):
    """The zip bomb and the lying header read in a child under a 1 GB address-space cap."""
    import resource
    import subprocess
    import sys

    from .conftest import PROJECT_ROOT, child_env

    folder = tmp_path / "cache"
    entry = _entry(folder, fixture_set)
    huge_header(entry, folder, fixture_set)
    code = ("import sys, numpy as np\nfrom pathlib import Path\n"
            "from mnistpad.core.evaluation.store import read_entry\n"
            "labels = np.load(sys.argv[2])\n"
            "print(read_entry(Path(sys.argv[1]), 'k', labels))\n")
    np.save(tmp_path / "labels.npy", fixture_set.labels)

    def cap() -> None:
        limit = 3 << 30  # numpy and Python take about 1.5 GB of address space here
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    proc = subprocess.run([sys.executable, "-c", code, str(entry), str(tmp_path / "labels.npy")],
                          capture_output=True, text=True, env=child_env(mnistpad_home),
                          cwd=PROJECT_ROOT, timeout=60, preexec_fn=cap)
    assert proc.returncode == 0 and proc.stdout.strip() == "None", proc.stderr
    assert not entry.exists()
