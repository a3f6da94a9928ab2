"""Fixtures for the Qt tests: an offscreen platform, the main window, real mouse strokes,
and a check that no test leaves a thread running."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

STROKES = Path(__file__).resolve().parents[1] / "data" / "strokes.json"


@pytest.fixture(scope="session")
def stroke_samples() -> list[dict]:
    return json.loads(STROKES.read_text())["samples"]


@pytest.fixture
def draw_strokes():
    """Draw strokes (lists of [x, y] in the canvas's 280x280 space) with real mouse
    press / move / release events."""
    from ui.replay import draw

    return draw


@pytest.fixture
def window(qtbot):
    from mnistpad.ui import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(900, 560)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.models_ready, timeout=120_000)
    yield win
    win.training.shutdown()  # a run a failed test left going: stop it, ask nothing
    win.close()


@pytest.fixture(autouse=True)
def no_thread_left_running():
    """Fail a test that leaves a Python thread or a QThread running."""
    before = set(threading.enumerate())
    yield
    from mnistpad.ui.state.jobs import running_threads

    leftover = [
        t for t in threading.enumerate()
        if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
    ]
    assert not leftover, f"threads left running: {leftover}"
    assert not running_threads(), f"QThreads left running: {running_threads()}"


MNIST_FIXTURE = Path(__file__).resolve().parents[1] / "data" / "mnist"


@pytest.fixture(scope="session")
def ui_mnist():
    from mnistpad.core.data.mnist import load_mnist

    return load_mnist(MNIST_FIXTURE)


@pytest.fixture
def korean_from_ts(qapp, tmp_path):
    """``korean_from_ts()`` installs the Korean catalog compiled from the .ts file as it is
    now (not the shipped .qm) and returns the translator; removed after the test."""
    import shutil
    import subprocess

    from PySide6.QtCore import QCoreApplication, QTranslator

    lrelease = shutil.which("pyside6-lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed")
    ts = Path(__file__).resolve().parents[2] / "mnistpad" / "ui" / "i18n" / "mnistpad_ko.ts"
    qm = tmp_path / "ko.qm"
    subprocess.run([lrelease, str(ts), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    installed = []

    def install() -> QTranslator:
        QCoreApplication.installTranslator(translator)
        installed.append(translator)
        return translator

    yield install
    for each in installed:
        QCoreApplication.removeTranslator(each)
