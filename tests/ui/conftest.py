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
    qtbot.waitUntil(lambda: win.state.models_ready, timeout=120_000)
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


def qt_tool(name: str) -> str:
    """Qt's ``lrelease`` or ``lupdate`` as PySide6-Essentials ships them, inside the package
    (the ``pyside6-*`` wrappers are not on PATH in a virtual environment whose scripts are
    not). A missing tool fails the test: the translations are always checked, never skipped."""
    import PySide6

    folder = Path(PySide6.__file__).resolve().parent
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    pytest.fail(f"Qt's {name} is not in {folder} (PySide6-Essentials ships it)")


@pytest.fixture(scope="session")
def compile_ts(tmp_path_factory):
    """``compile_ts(ts)``: the .qm compiled now from the .ts file ``ts`` as it is (not the
    shipped .qm), once per file in a session."""
    import subprocess

    folder = tmp_path_factory.mktemp("qm")
    compiled: dict[Path, Path] = {}

    def compile_(ts) -> Path:
        ts = Path(ts)
        if ts not in compiled:
            qm = folder / f"{ts.stem}.qm"
            subprocess.run([qt_tool("lrelease"), str(ts), "-qm", str(qm)], check=True,
                           capture_output=True)
            compiled[ts] = qm
        return compiled[ts]

    return compile_


KOREAN_TS = Path(__file__).resolve().parents[2] / "mnistpad" / "ui" / "i18n" / "mnistpad_ko.ts"


@pytest.fixture
def korean_from_ts(qapp, compile_ts):
    """``korean_from_ts()`` installs the Korean catalog compiled from the .ts file as it is
    now (not the shipped .qm) and returns the translator; removed after the test."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    qm = compile_ts(KOREAN_TS)
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
