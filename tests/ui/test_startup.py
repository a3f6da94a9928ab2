"""The window appears before torch is loaded; the models arrive in the background, and a
drawing made meanwhile is read as soon as they do."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np

import mnistpad.ui.shell.main_window as main_window_module
import mnistpad.ui.state.app_state as app_state_module
from mnistpad.core.models.registry import scan
from mnistpad.ui.state.app_state import load_models_job
from mnistpad.ui.state.jobs import running_threads

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEVEN = [[[70, 60], [210, 60], [150, 150], [110, 230]]]

BUILD_WITHOUT_TORCH = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
import mnistpad.ui
from mnistpad.ui.shell.main_window import MainWindow
window = MainWindow()
window.show()
listed = window.picker.count()
print("torch" in sys.modules, listed, len(window.state._classifiers))
from PySide6.QtCore import QEventLoop
loop = QEventLoop()
window.state.modelsLoaded.connect(loop.quit)
loop.exec()
print("torch" in sys.modules, window.state.active_classifier() is not None, len(window.state._classifiers))
window.close()
"""


def test_the_window_is_built_without_torch_and_lists_models_from_their_headers(
        mnistpad_home):
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "QT_QPA_PLATFORM": "offscreen",
           "MNISTPAD_HOME": str(mnistpad_home)}
    proc = subprocess.run([sys.executable, "-c", BUILD_WITHOUT_TORCH], capture_output=True,
                          text=True, env=env, cwd=PROJECT_ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    before, after = [line.split() for line in proc.stdout.strip().splitlines()]
    models = len(scan().models)
    # built, shown and every model listed: no torch, no weights loaded
    assert before == ["False", str(models), "0"]
    # then, in the background: torch, the active model and every other one
    assert after == ["True", "True", str(models)]


def test_help_and_models_need_no_torch(mnistpad_home):
    code = ("import sys, contextlib, io\nfrom mnistpad.cli import main\n"
            "for argv in (['--help'], ['models'], ['models', '--json']):\n"
            "    with contextlib.redirect_stdout(io.StringIO()):\n"
            "        try:\n            main(argv)\n        except SystemExit:\n            pass\n"
            "print('torch' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "MNISTPAD_HOME": str(mnistpad_home)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=PROJECT_ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_strokes_drawn_while_the_models_load_are_read_once_they_arrive(qtbot, monkeypatch,
                                                                       draw_strokes):
    """The loader is held back until the drawing is done: nothing is lost, no error, and
    the drawing is read the moment the models are there."""
    gate = threading.Event()

    def held_back(queue, first=None, *rest):
        job = load_models_job(queue, first, *rest)

        def waiting(report, should_stop):
            while not gate.wait(0.05):
                if should_stop():
                    return 0
            return job(report, should_stop)

        return waiting

    monkeypatch.setattr(app_state_module, "load_models_job", held_back)
    window = main_window_module.MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        dense = [[70 + 4 * i, 60] for i in range(36)] + [[210 - i, 60 + 2 * i]
                                                         for i in range(86)]
        draw_strokes(window.canvas, [dense])
        assert window.state.active_classifier() is None and not window.state.models_ready
        assert window.draw.reading.prediction.text() == "" and window.draw.reading.verdict.text().startswith("Loading")
        assert window.draw.reading.preview.pixels() is not None  # the drawing is there, to be read
        qtbot.waitUntil(lambda: window.draw.reading.comparison.item(0, 1) is not None)
        assert window.draw.reading.comparison.item(0, 1).text() == "loading…"
    finally:
        gate.set()
    qtbot.waitUntil(lambda: window.state.models_ready, timeout=120_000)
    assert window.state.active_classifier() is not None
    digit = int(np.argmax(window.state.active_classifier().predict(window.draw.reading.preview.pixels())[1]))
    assert window.draw.reading.prediction.text() == str(digit) == "7"
    qtbot.waitUntil(lambda: window.draw.reading.comparison.item(0, 1).text() not in ("", "loading…"))
    window.close()


def test_closing_while_the_models_load_stops_the_loader(qtbot, monkeypatch):
    gate = threading.Event()

    def held_back(queue, first=None, *rest):
        def waiting(report, should_stop):
            while not gate.wait(0.05):
                if should_stop():
                    return 0
            return 0

        return waiting

    monkeypatch.setattr(app_state_module, "load_models_job", held_back)
    window = main_window_module.MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.state.loading())
    window.close()  # cancels the loader and waits for its thread
    assert running_threads() == [] and not window.state.models_ready


def test_the_first_drawing_is_read_before_the_other_views_are_built_and_torch_after(
        qtbot, monkeypatch):
    """The loader brings the torch-free readers, then waits while the window builds its
    other views (importing torch beside that building held the interpreter and made it four
    times slower), then loads torch's models."""
    seen = []  # (what the loader reports, were the views built then)

    def watched(*args):
        job = load_models_job(*args)

        def run(report, should_stop):
            def seen_then_reported(item):
                seen.append((type(item).__name__, window.training is not None))
                report(item)

            return job(seen_then_reported, should_stop)

        return run

    monkeypatch.setattr(app_state_module, "load_models_job", watched)
    window = main_window_module.MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.state.models_ready, timeout=120_000)
    kinds = [kind for kind, _ in seen]
    paused = kinds.index("LoaderPaused")
    # the default reads strokes: its torch-free stroke and image readers come first
    assert kinds[:paused] == ["StrokeReaderLoaded", "EarlyReaderLoaded"]
    assert not any(built for _, built in seen[:paused + 1])
    assert kinds[paused + 1] == "ModelLoaded" and all(built for _, built in seen[paused + 1:])
    assert window.training is not None and window.state.active_classifier() is not None
    window.close()


def test_a_drawing_made_at_once_is_on_screen_before_the_other_views_are_built(
        qtbot, draw_strokes):
    """The torch-free readers' reading is painted as soon as it is made: building the
    other views, which comes next, holds the GUI thread for a fifth of a second."""
    from PySide6.QtCore import QEvent, QObject

    window = main_window_module.MainWindow()
    qtbot.addWidget(window)
    painted = []  # (digit shown, were the views built)

    class Watch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and obj.text():
                painted.append((obj.text(), window.training is not None))
            return False

    watch = Watch()
    window.draw.reading.prediction.installEventFilter(watch)
    window.show()
    qtbot.waitExposed(window)
    dense = [[70 + 4 * i, 60] for i in range(36)] + [[210 - i, 60 + 2 * i] for i in range(86)]
    draw_strokes(window.canvas, [dense])
    qtbot.waitUntil(lambda: window.state.models_ready, timeout=120_000)
    assert painted and painted[0] == ("7", False)
    window.close()
