"""One atomic write for every file the core writes (:mod:`mnistpad.core.files.atomic`): the
model files, config.json, the cache entries, the desktop icons and launcher, the samples and
a recorded figure. Each leaves the old file whole when the write fails midway, leaves no
temporary file behind, and its pending temporary file is never taken by the clean-up of an
earlier save's leftovers."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import numpy as np
import pytest

from mnistpad.core.data import samples
from mnistpad.core.files import atomic, measure
from mnistpad.core.files.atomic import remove_stale_temp_files, write_atomic
from mnistpad.core.files.modelfile import atomic_write_bytes
from mnistpad.core.platform import desktop
from mnistpad.core.platform.config import config_path, update_config
from mnistpad.core.platform.errors import MnistpadError, SaveError
from mnistpad.core.platform.paths import write_cache_file

OLD = b"the old file, whole"


def _writers(folder: Path) -> dict:
    """name -> (the file it replaces, a call that writes it, whether it reports a failure
    by returning False instead of raising)."""
    config = config_path(folder)
    stamped = folder / "figures.safetensors"
    return {
        "write_atomic": (folder / "a.bin", lambda: write_atomic(folder / "a.bin", b"new"),
                         False),
        "atomic_write_bytes": (folder / "m.safetensors",
                               lambda: atomic_write_bytes(folder / "m.safetensors", b"new"),
                               False),
        "update_config": (config, lambda: update_config(folder, model="new"), False),
        "write_cache_file": (folder / "cache" / "entry.npz",
                             lambda: write_cache_file(folder / "cache" / "entry.npz", b"new"),
                             True),
        "desktop icons": (desktop.icon_paths(folder)[32], lambda: desktop.install(folder),
                          False),
        "restore_sample": (folder / "3" / "s.png",
                           lambda: samples.restore_sample(folder / "3" / "s.png", b"new"),
                           False),
        "measure record": (stamped, lambda: measure._replace_if_unchanged(
            stamped, b"new", measure._stamp(stamped)), False),
    }


WRITERS = list(_writers(Path(".")))


def _old_file(folder: Path, writer: str) -> Path:
    path = _writers(folder)[writer][0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json.dumps({"old": OLD.decode()}).encode() if writer == "update_config"
                     else OLD)
    return path


def _temp_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.name.endswith(atomic.TEMP_SUFFIX))


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("failing", ["fsync", "replace"])
@pytest.mark.parametrize("writer", WRITERS)
def test_a_write_failing_midway_leaves_the_old_file_whole(writer, failing, tmp_path,
                                                          monkeypatch):
    path = _old_file(tmp_path, writer)
    old = path.read_bytes()
    _, write, returns_false = _writers(tmp_path)[writer]
    with monkeypatch.context() as patch:
        patch.setattr(os, failing, _disk_full)
        if returns_false:
            assert write() is False
        else:
            with pytest.raises(SaveError) as info:
                write()
            assert str(path) in str(info.value) and "No space left" in str(info.value)
            assert ".tmp" not in str(info.value)
    assert path.read_bytes() == old
    assert _temp_files(tmp_path) == []


@pytest.mark.parametrize("writer", WRITERS)
def test_a_pending_temporary_file_is_never_taken_by_the_clean_up(writer, tmp_path,
                                                                 monkeypatch):
    """Another save's clean-up runs while the file is being written (at its fsync): it takes
    nothing, and the write lands."""
    path = _old_file(tmp_path, writer)
    real_fsync, taken, cleanups = os.fsync, [], []

    def fsync_with_a_clean_up(fd):
        cleanups.append(path)
        taken.extend(remove_stale_temp_files(path))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_with_a_clean_up)
    _, write, _ = _writers(tmp_path)[writer]
    assert write() is not False
    assert cleanups and taken == []
    assert path.read_bytes() != OLD
    assert _temp_files(tmp_path) == []


def test_a_stale_temporary_file_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "a.bin"
    stale = tmp_path / ".a.bin.abc123.tmp"
    stale.write_bytes(b"half a file, its writer died")
    write_atomic(target, b"whole")
    assert not stale.exists() and target.read_bytes() == b"whole"


def test_a_temporary_file_taken_before_it_is_locked_is_made_again(tmp_path, monkeypatch):
    """A clean-up in another process may take a new temporary file in the moment between
    its creation and its lock: the write makes another and lands."""
    real_mkstemp, made = atomic.tempfile.mkstemp, []

    def mkstemp_then_taken(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        made.append(name)
        if len(made) == 1:
            os.unlink(name)  # what the other process's clean-up does
        return fd, name

    monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp_then_taken)
    write_atomic(tmp_path / "a.bin", b"whole")
    assert len(made) == 2 and (tmp_path / "a.bin").read_bytes() == b"whole"
    assert _temp_files(tmp_path) == []


def test_text_modes_folders_and_links(tmp_path):
    target = tmp_path / "new" / "folder" / "config.json"
    assert write_atomic(target, "한국어 \\ \"x\"\n", mode=0o600) == target
    assert target.read_bytes() == "한국어 \\ \"x\"\n".encode()
    assert target.stat().st_mode & 0o777 == 0o600
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"not to be written through")
    link = tmp_path / "link.png"
    link.symlink_to(elsewhere)
    write_atomic(link, b"png")
    assert not link.is_symlink() and link.read_bytes() == b"png"
    assert elsewhere.read_bytes() == b"not to be written through"
    assert write_atomic(tmp_path / "model.safetensors", b"w").stat().st_mode & 0o644 == 0o644


def test_a_failed_precondition_aborts_the_write(tmp_path):
    target = tmp_path / "a.bin"
    target.write_bytes(OLD)

    def changed():
        raise MnistpadError("it changed")

    with pytest.raises(MnistpadError, match="it changed"):
        write_atomic(target, b"new", precondition=changed)
    assert target.read_bytes() == OLD and _temp_files(tmp_path) == []


def test_a_recorded_figure_is_not_written_over_a_file_changed_meanwhile(tmp_path):
    target = tmp_path / "m.safetensors"
    target.write_bytes(OLD)
    stamp = measure._stamp(target)
    target.write_bytes(b"the user's new file, longer than the old one")
    with pytest.raises(MnistpadError, match="changed while it was measured"):
        measure._replace_if_unchanged(target, b"new", stamp)
    assert target.read_bytes() == b"the user's new file, longer than the old one"
    assert _temp_files(tmp_path) == []


def test_a_new_sample_that_cannot_be_written_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(SaveError):
        samples.save_sample(4, np.zeros((28, 28), np.float32), root=tmp_path)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
