"""Round three, faults 1-4 and 15: where personalizing writes. A model's name is data, never
a path; a shipped model is never written over; an existing file is replaced only when asked
(``--replace`` on the command line, a question in the window); the folder is checked before
fine-tuning; Ctrl+C during the save leaves no temporary file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from mnistpad.core.platform.paths import shipped_models_dir

from .conftest import PROJECT_ROOT, child_env, folder_state, one_line_error
from .hostile import softmax_model

AS_ROOT = os.geteuid() == 0
needs_shipped = pytest.mark.skipif(not (shipped_models_dir() / "xavier.safetensors").is_file(),
                                   reason="no shipped models in models/")


@pytest.fixture
def sample_folder(tmp_path, mnist) -> Path:
    """Two MNIST digits of each of 0-2 as PNG files in ImageFolder layout."""
    root = tmp_path / "mine"
    images = (mnist.test.images[:40].view(-1, 28, 28).numpy() * 255).astype(np.uint8)
    labels = mnist.test.labels[:40].tolist()
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        if label > 2 or len(list((root / str(label)).glob("*.png"))) >= 2:
            continue
        (root / str(label)).mkdir(parents=True, exist_ok=True)
        Image.fromarray(image).resize((56, 56)).save(root / str(label) / f"{i}.png")
    return root


@pytest.mark.parametrize("name", ["../../x/PWNED", "ABSOLUTE", "..", "a/../../b"])
def test_1_a_model_name_never_decides_a_path(name, tmp_path, mnistpad_home, sample_folder,
                                             mnistpad_main):
    absolute = tmp_path / "elsewhere" / "PWNED"
    name = str(absolute) if name == "ABSOLUTE" else name
    base = softmax_model(tmp_path / "hostile.safetensors", name=name)
    outside = folder_state(tmp_path.parent)
    proc = mnistpad_main("adapt", base, "--samples", sample_folder, "--steps", "1")
    assert proc.returncode == 0, proc.stderr
    [written] = (mnistpad_home / "models").iterdir()
    assert written.suffix == ".safetensors" and "/" not in written.stem
    assert not written.name.startswith(".")
    assert not absolute.parent.exists()
    after = folder_state(tmp_path.parent)
    new = set(after) - set(outside)
    assert all(Path(tmp_path.parent, p).is_relative_to(mnistpad_home) for p in new), new


def test_1_the_window_names_the_file_from_a_checked_name(tmp_path):
    from mnistpad.core.files.outputs import personal_path

    folder = tmp_path / "models"
    for name in ["../../x/PWNED", "/etc/passwd", "..", ".hidden", "x" * 300, "a\\b", "é/ü"]:
        path = personal_path(name, folder)
        assert path.parent == folder and path.name.endswith("-personal.safetensors")
        assert not path.name.startswith(".") and len(path.stem) <= 64
    assert personal_path("xavier", folder).name == "xavier-personal.safetensors"
    assert personal_path("xavier-personal", folder).name == "xavier-personal.safetensors"


@needs_shipped
def test_2_adapt_never_writes_over_a_shipped_model(sample_folder, mnistpad_main):
    shipped = shipped_models_dir() / "xavier.safetensors"
    before = shipped.read_bytes()
    for out in (shipped, shipped_models_dir() / "xavier", shipped_models_dir()):
        proc = mnistpad_main("adapt", "softmax", "--samples", sample_folder, "--steps", "1",
                             "--out", out, "--replace")
        if out == shipped_models_dir():  # a folder: the personal file inside it, refused too
            one_line_error(proc, "shipped model")
        else:
            one_line_error(proc, str(shipped), "shipped model")
    assert shipped.read_bytes() == before
    assert not (shipped_models_dir() / "softmax-personal.safetensors").exists()


def test_2_adapt_replaces_an_existing_file_only_with_replace(tmp_path, sample_folder,
                                                             mnistpad_main):
    base = softmax_model(tmp_path / "base.safetensors")
    out = tmp_path / "mine.safetensors"
    out.write_bytes(b"the user's own file")
    proc = mnistpad_main("adapt", base, "--samples", sample_folder, "--steps", "1", "--out", out)
    one_line_error(proc, str(out), "--replace")
    assert out.read_bytes() == b"the user's own file" and "Personalizing" not in proc.stdout
    proc = mnistpad_main("adapt", base, "--samples", sample_folder, "--steps", "1", "--out", out,
                         "--replace")
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() != b"the user's own file"


def test_2_the_output_folder_is_checked_before_fine_tuning(tmp_path, sample_folder,
                                                           mnistpad_main):
    base = softmax_model(tmp_path / "base.safetensors")
    # root writes anywhere permission bits allow, but not into sysfs
    folder = Path("/sys") if AS_ROOT else tmp_path / "read-only"
    if not AS_ROOT:
        folder.mkdir()
        folder.chmod(0o555)
    proc = mnistpad_main("adapt", base, "--samples", sample_folder, "--steps", "1",
                         "--out", folder / "p.safetensors")
    one_line_error(proc, str(folder / "p.safetensors"))
    assert "Personalizing" not in proc.stdout  # refused before any fine-tuning


def test_3_the_default_personal_file_is_not_replaced_without_replace(tmp_path, mnistpad_home,
                                                                     sample_folder,
                                                                     mnistpad_main):
    base = softmax_model(tmp_path / "base.safetensors", name="mine")
    existing = mnistpad_home / "models" / "mine-personal.safetensors"
    existing.parent.mkdir(parents=True)
    softmax_model(existing, name="mine-personal", test_accuracy="0.5")
    before = existing.read_bytes()
    proc = mnistpad_main("adapt", base, "--samples", sample_folder, "--steps", "1")
    one_line_error(proc, str(existing), "--replace")
    assert existing.read_bytes() == before


def _answer(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            seen.append(box.text())
            box.button(button).click()
        else:
            QTimer.singleShot(20, click)

    QTimer.singleShot(0, click)


def test_3_the_window_asks_before_replacing_a_personal_model(qtbot, tmp_path, mnistpad_home):
    from mnistpad.core.data.samples import save_sample
    from mnistpad.core.files.modelfile import read_info
    from mnistpad.ui.samples.panel import SamplesPanel
    from mnistpad.ui.state.jobs import JobRunner

    base = softmax_model(tmp_path / "base.safetensors", name="mine")
    existing = mnistpad_home / "models" / "mine-personal.safetensors"
    existing.parent.mkdir(parents=True)
    softmax_model(existing, name="mine-personal", test_accuracy="0.5")
    before = existing.read_bytes()
    ink = np.zeros((280, 280), np.float32)
    ink[60:220, 130:150] = 1
    save_sample(1, ink)
    panel = SamplesPanel(JobRunner())
    qtbot.addWidget(panel)
    panel.set_model(read_info(base))
    seen: list[str] = []
    _answer(QMessageBox.StandardButton.No, seen)
    qtbot.mouseClick(panel.personalize_button, Qt.MouseButton.LeftButton)
    assert seen and "mine-personal.safetensors" in seen[0]
    assert not panel.is_running() and existing.read_bytes() == before


INTERRUPT_THE_SAVE = """
import os, signal, sys, time
def interrupt(fd):  # Ctrl+C while the personal model's bytes are being synced
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(2)
os.fsync = interrupt
from mnistpad.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_4_ctrl_c_during_adapts_save_leaves_no_temporary_file(tmp_path, mnistpad_home,
                                                              sample_folder):
    base = softmax_model(tmp_path / "base.safetensors")
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run([sys.executable, "-c", INTERRUPT_THE_SAVE, "adapt", str(base),
                           "--samples", str(sample_folder), "--steps", "1",
                           "--out", str(out / "p.safetensors")],
                          capture_output=True, text=True, env=child_env(mnistpad_home),
                          cwd=PROJECT_ROOT, timeout=300)
    assert proc.returncode == 130 and "nothing was saved" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("out", [".", "DIR", "DIR/"])
def test_15_adapt_out_a_folder_writes_inside_it(out, tmp_path, sample_folder, mnistpad_main,
                                               monkeypatch):
    base = softmax_model(tmp_path / "base.safetensors", name="mine")
    work = tmp_path / "work"
    (work / "DIR").mkdir(parents=True)
    monkeypatch.chdir(work)
    proc = mnistpad_main("adapt", base, "--samples", sample_folder, "--steps", "1", "--out", out)
    assert proc.returncode == 0, proc.stderr
    folder = work if out == "." else work / "DIR"
    assert (folder / "mine-personal.safetensors").is_file()
    assert not (work / "DIR.safetensors").exists()


def test_15_a_seed_past_64_bits_is_refused_naming_seed(tmp_path, sample_folder, mnistpad_main):
    base = softmax_model(tmp_path / "base.safetensors")
    proc = mnistpad_main("adapt", base, "--samples", sample_folder, "--seed", str(2**70))
    assert proc.returncode != 0 and "--seed" in proc.stderr and "Traceback" not in proc.stderr
    assert "Overflow" not in proc.stderr
