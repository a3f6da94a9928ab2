"""Saving: kill -9 in the middle of a save, its leftovers, and folders that are read-only or
full, found before a run rather than after it, with messages that name the file meant."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from PySide6.QtWidgets import QComboBox, QMessageBox, QSpinBox

import mnistpad.core.files.modelfile as modelfile
import mnistpad.ui.train.panel as training_panel
from mnistpad.cli import main
from mnistpad.core.files.modelfile import atomic_write_bytes, build_metadata, read_info, save_model
from mnistpad.core.models.variants import build_model, lab_spec
from mnistpad.core.platform.errors import SaveError

from .conftest import PROJECT_ROOT, child_env

# A folder no one may write into: a read-only folder for a normal user; root writes anywhere
# it has permission bits for, but not into sysfs.
AS_ROOT = os.geteuid() == 0

SAVE_AND_STALL = """
import os, sys, time
import torch
from mnistpad.core.files.modelfile import build_metadata, save_model
from mnistpad.core.models.variants import build_model, lab_spec

def stall(fd):
    print("writing", flush=True)
    time.sleep(600)

os.fsync = stall  # the bytes are written; killed before they are synced and renamed
torch.manual_seed(1)
spec = lab_spec("xavier")
save_model(sys.argv[1], build_model(spec), build_metadata("new", spec))
"""


@pytest.fixture
def read_only_folder(tmp_path) -> Path:
    if AS_ROOT:
        yield Path("/sys")
        return
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def softmax_save(path: Path, name: str = "old") -> Path:
    spec = lab_spec("softmax")
    torch.manual_seed(0)
    return save_model(path, build_model(spec), build_metadata(name, spec))


def stalled_save(path: Path, home: Path) -> subprocess.Popen:
    """A child process in the middle of saving a xavier model to ``path``."""
    child = subprocess.Popen([sys.executable, "-c", SAVE_AND_STALL, str(path)],
                             stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT,
                             env=child_env(home))
    assert child.stdout.readline().strip() == "writing"
    return child


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_kill_9_during_a_save_leaves_the_old_file_and_the_next_save_cleans_up(tmp_path,
                                                                            mnistpad_home):
    path = softmax_save(tmp_path / "mine.safetensors")
    old = path.read_bytes()
    child = stalled_save(path, mnistpad_home)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    assert path.read_bytes() == old and read_info(path).name == "old"
    [leftover] = temp_files(tmp_path)
    assert leftover.startswith(".mine.safetensors.")

    softmax_save(path, "newer")
    assert temp_files(tmp_path) == []
    assert read_info(path).name == "newer"


def test_a_save_in_progress_elsewhere_keeps_its_temporary_file(tmp_path, mnistpad_home):
    path = tmp_path / "mine.safetensors"
    child = stalled_save(path, mnistpad_home)
    try:
        [writing] = temp_files(tmp_path)
        softmax_save(path, "mine")
        assert temp_files(tmp_path) == [writing]
    finally:
        child.kill()
        child.wait(timeout=60)
        child.stdout.close()
    assert read_info(path).name == "mine"


def test_a_disk_full_message_names_the_file(tmp_path, monkeypatch):
    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    path = tmp_path / "digit.png"
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(path, b"png bytes")
    assert str(info.value) == f"cannot save {path}: No space left on device"
    assert list(tmp_path.iterdir()) == []


def test_a_permission_message_names_the_target_not_the_temporary_file(read_only_folder):
    path = read_only_folder / "digit.png"
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(path, b"png bytes")
    assert str(info.value) == f"cannot save {path}: Permission denied"
    assert not path.exists()


def _train(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_read_only_output_folder_is_refused_before_the_first_epoch(capsys, mnist_dir,
                                                                     read_only_folder):
    out_file = read_only_folder / "mine.safetensors"
    status, out, err = _train(capsys, "train", "softmax", "--data", mnist_dir, "--out", out_file)
    assert status == 1 and "Epoch" not in out and "Traceback" not in err
    assert err.strip() == f"mnistpad: error: cannot save {out_file}: Permission denied"


def test_an_output_folder_that_is_a_file_is_refused_before_the_first_epoch(capsys, mnist_dir,
                                                                           tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    out_file = tmp_path / "taken" / "mine.safetensors"
    status, out, err = _train(capsys, "train", "softmax", "--data", mnist_dir, "--out", out_file)
    assert status == 1 and "Epoch" not in out
    assert err.strip().startswith(f"mnistpad: error: cannot save {out_file}: ")


def test_a_full_output_folder_is_refused_before_the_first_epoch(capsys, mnist_dir, tmp_path,
                                                                monkeypatch):
    real = shutil.disk_usage
    monkeypatch.setattr(modelfile.shutil, "disk_usage",
                        lambda p: real(p)._replace(free=200_000))
    out_file = tmp_path / "mine.safetensors"
    status, out, err = _train(capsys, "train", "xavier", "--data", mnist_dir, "--out", out_file)
    assert status == 1 and "Epoch" not in out
    assert err.strip() == (f"mnistpad: error: cannot save {out_file}: its folder has 0.2 MB "
                           f"free, and the file needs about 2.1 MB")
    assert list(tmp_path.iterdir()) == []


def test_the_window_refuses_a_read_only_folder_before_training(window, qtbot, monkeypatch,
                                                               read_only_folder, mnist_dir):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    monkeypatch.setattr(training_panel, "user_models_dir", lambda: read_only_folder)
    panel = window.training
    panel.state.data_dir = mnist_dir
    combo = window.findChild(QComboBox, "trainVariant")
    combo.setCurrentIndex(combo.findData("softmax"))
    window.findChild(QSpinBox, "trainEpochs").setValue(1)
    with qtbot.waitSignal(panel.runEnded, timeout=60_000) as ended:
        assert panel.start()
    assert ended.args[0] == "failed"
    target = read_only_folder / f"{panel.result_name.text()}.safetensors"
    assert shown == [f"cannot save {target}: Permission denied"]
    log = panel.runs.log.toPlainText()
    assert "Loading MNIST" not in log and "Epoch:" not in log  # refused before any of it
