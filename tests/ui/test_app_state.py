"""The app state and the job runner: one owner of the models and the reading, one runner for
background work that leaves nothing behind, a failed start-up load said plainly."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

import mnistpad.ui.state.app_state as app_state_module
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.ui.shell.main_window import MainWindow
from mnistpad.ui.state.jobs import JobRunner, live_counts, running_threads

SEVEN = [[[70 + 4 * i, 60] for i in range(36)] + [[210 - i, 60 + 2 * i] for i in range(86)]]


def _flush_deletions() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QCoreApplication.processEvents()


def test_fifty_finished_jobs_leave_no_job_or_thread_behind(qtbot):
    runner = JobRunner()
    before = live_counts()
    outcomes = []
    for n in range(50):
        job = runner.start(lambda report, should_stop, n=n: n * n, f"square-{n}",
                           on_done=lambda outcome, value: outcomes.append((outcome, value)))
        del job
    qtbot.waitUntil(lambda: len(outcomes) == 50, timeout=30_000)
    qtbot.waitUntil(lambda: (_flush_deletions(), live_counts())[1] == before, timeout=10_000)
    assert sorted(v for _, v in outcomes) == sorted(n * n for n in range(50))
    assert {o for o, _ in outcomes} == {"finished"}
    assert runner.jobs() == [] and running_threads() == []


def test_a_failing_job_delivers_its_exception_as_an_object_and_logs_it(qtbot):
    from mnistpad.core.platform.log import log_file, setup_logging

    setup_logging()  # the log file in this test's user folder
    runner = JobRunner()
    got = []

    def broken(report, should_stop):
        return {}["missing"]

    runner.start(broken, "broken", on_done=lambda outcome, value: got.append((outcome, value)))
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    outcome, error = got[0]
    assert outcome == "failed"
    assert error.kind == "KeyError" and isinstance(error.exception, KeyError)
    assert "broken" in error.traceback and error.sentence() == "KeyError: 'missing'"
    logged = log_file().read_text(encoding="utf-8")
    assert "job broken failed" in logged and "KeyError: 'missing'" in logged
    assert 'in broken\n    return {}["missing"]' in logged  # with its traceback


def test_a_base_exception_in_a_job_ends_it_as_failed(qtbot):
    """Not only Exception: a BaseException a library raises (SystemExit here) ends the job,
    its thread finishes and the window hears of it."""
    runner = JobRunner()
    got = []

    def exits(report, should_stop):
        raise SystemExit("a library gave up")

    runner.start(exits, "exits", on_done=lambda outcome, value: got.append((outcome, value)))
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    outcome, error = got[0]
    assert outcome == "failed" and error.kind == "SystemExit"
    assert error.sentence() == "SystemExit: a library gave up"
    qtbot.waitUntil(lambda: live_counts() == (0, 0), timeout=10_000)


def test_cancel_and_shutdown_wait_for_a_running_job(qtbot):
    runner = JobRunner()
    started = threading.Event()
    got = []

    def slow(report, should_stop):
        started.set()
        while not should_stop():
            threading.Event().wait(0.01)
        raise MnistpadError("stopped")

    job = runner.start(slow, "slow", on_done=lambda *args: got.append(args))
    assert started.wait(5)
    assert runner.shutdown(timeout_ms=5000)
    assert not job.thread.isRunning() and runner.jobs() == [] and running_threads() == []
    assert got == []  # the window is closing: nobody is told


def test_a_failed_start_up_load_is_said_and_nothing_loads_on_the_gui_thread(
        qtbot, monkeypatch, draw_strokes):
    def broken(queue, first=None, *rest):
        def job(report, should_stop):
            raise ImportError("libtorch_cpu.so: cannot open shared object file")
        return job

    monkeypatch.setattr(app_state_module, "load_models_job", broken)
    shown = []
    monkeypatch.setattr(MainWindow, "_on_load_failed", lambda self, error: shown.append(error))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.state.models_ready, timeout=30_000)
    assert [e.kind for e in shown] == ["ImportError"]
    draw_strokes(window.canvas, SEVEN)
    assert window.state.active_classifier() is None and window.state._classifiers == {}
    assert "cannot open shared object file" in window.draw.reading.verdict.text()
    window.close()


def test_a_model_picked_while_loading_reads_as_soon_as_it_arrives(qtbot, monkeypatch,
                                                                  draw_strokes):
    gate = threading.Event()
    order = []

    real = app_state_module.load_models_job

    def held_back(queue, first=None, *rest):
        job = real(queue, first, *rest)

        def waiting(report, should_stop):
            while not gate.wait(0.02):
                if should_stop():
                    return 0
            def noted(item):
                order.append((type(item).__name__, getattr(getattr(item, "path", None),
                                                           "stem", None)))
                report(item)

            return job(noted, should_stop)

        return waiting

    monkeypatch.setattr(app_state_module, "load_models_job", held_back)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.state.loading())
    softmax = window.state.find_name("softmax")
    assert window.activate(softmax)
    # the picked model is the active one at once: no other model reads meanwhile
    assert window.state.active.name == "softmax" and window.state.active_classifier() is None
    draw_strokes(window.canvas, SEVEN)
    assert window.draw.reading.prediction.text() == ""
    assert "softmax" in window.draw.reading.verdict.text()
    gate.set()
    qtbot.waitUntil(lambda: window.draw.reading.prediction.text() != "", timeout=60_000)
    torch_order = [stem for kind, stem in order if kind == "ModelLoaded"]
    assert torch_order[0] == "softmax" and window.state.active_classifier().name == "softmax"
    qtbot.waitUntil(lambda: window.state.models_ready, timeout=120_000)
    window.close()


def test_closing_before_the_first_paint_builds_nothing(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.close()
    assert window.training is None and window.evaluate is None and window.inside is None
    assert not window.state.loading() and window.runner.jobs() == []
    qtbot.wait(window_first_paint_ms() + 50)  # the timer that would build them: nothing
    assert window.training is None and running_threads() == []


def window_first_paint_ms() -> int:
    from mnistpad.ui.shell.main_window import FIRST_PAINT_MS

    return FIRST_PAINT_MS


@pytest.mark.parametrize("folder_kind", ["fixture"])
def test_the_mnist_folder_chosen_once_is_the_whole_apps(qtbot, folder_kind, mnistpad_home):
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "data" / "mnist"
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.training is not None)
    assert window.training.use_data_folder(fixture)
    assert window.state.data_dir == fixture and window.evaluate.data_dir == fixture
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.state.data_dir.resolve() == fixture.resolve()
    assert again.state.data_source == "settings"
    again.close()


def test_the_first_digit_is_read_before_torch_and_reads_the_same_after(qtbot, monkeypatch,
                                                                      draw_strokes):
    """The wanted model's torch-free reader (the default: its picture and its strokes, both
    in numpy) reads while the torch classifiers are held back; at the hand-overs (torch's
    image model, then torch's stroke reader) the reading does not change."""
    from mnistpad.core.reading.classify import Classifier
    from mnistpad.core.reading.npreader import NumpyStrokeReader
    from mnistpad.core.strokes.combination import BOTH
    from mnistpad.core.strokes.reader import StrokeReader

    gate = threading.Event()
    real = Classifier.from_file.__func__

    def held_back(cls, path, device="cpu"):
        gate.wait(60)
        return real(cls, path, device)

    monkeypatch.setattr(Classifier, "from_file", classmethod(held_back))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.state.active_reader() is not None, timeout=30_000)
        assert window.state.active_classifier() is None  # no torch classifier yet
        draw_strokes(window.canvas, SEVEN)
        early = window.state.probabilities
        assert window.draw.reading.prediction.text() == "7" and early is not None
        assert window.state.active.variant == "drawn" and window.state.parts.source == BOTH
        assert isinstance(window.state.stroke_reader, NumpyStrokeReader)
    finally:
        gate.set()
    qtbot.waitUntil(lambda: window.state.active_classifier() is not None, timeout=60_000)
    assert window.draw.reading.prediction.text() == "7"
    assert abs(window.state.probabilities - early).max() < 1e-5
    qtbot.waitUntil(lambda: window.state.models_ready, timeout=120_000)
    assert isinstance(window.state.stroke_reader, StrokeReader)
    assert window.state.parts.source == BOTH
    assert abs(window.state.probabilities - early).max() < 1e-5
    window.close()


def test_the_default_model_reads_the_strokes_too_and_a_picture_alone(window, qtbot,
                                                                      stroke_samples,
                                                                      draw_strokes):
    """drawn reads a drawing from its picture and its strokes together (the combination its
    stroke reader records); a picture from a file has no strokes: the picture alone, said."""
    from mnistpad.core.strokes.combination import BOTH, IMAGE_ALONE, read_drawing

    window.activate(window.state.find_name("drawn"))
    qtbot.waitUntil(lambda: window.state.stroke_reader is not None, timeout=60_000)
    draw_strokes(window.canvas, stroke_samples[0]["strokes"])
    parts = window.state.parts
    assert parts.source == BOTH
    expected = read_drawing(window.canvas.pen_strokes(), window.state.active_classifier().predict(
        window.state.pixels)[1], window.state.stroke_reader)
    assert abs(window.state.probabilities - expected.combined).max() < 1e-9
    assert "and the strokes" in window.draw.reading.verdict.text()
    window.canvas.set_picture(window.state.pixels)
    assert window.state.parts.source == IMAGE_ALONE
    assert "picture alone" in window.draw.reading.verdict.text()
    window.activate(window.state.find_name("xavier"))  # a lab variant: pictures only
    draw_strokes(window.canvas, stroke_samples[0]["strokes"])
    assert window.state.parts is None


def test_the_gui_thread_reads_on_two_torch_threads_only_while_no_job_runs(qtbot, monkeypatch):
    """Beside a job (training, evaluating), the GUI thread keeps to one torch thread, or the
    two OpenMP teams would outnumber two cores; with no job it reads on two."""
    import os

    import torch

    from mnistpad.ui.shell import runtime

    monkeypatch.setattr(runtime, "IDLE_GUI_THREADS", 2)
    idle = min(2, os.cpu_count() or 1)
    runner = JobRunner()
    runner.set_gui_threads()
    assert torch.get_num_threads() == idle
    release, seen, got = threading.Event(), [], []

    def waits(report, should_stop):
        release.wait(10)
        return torch.get_num_threads()

    runner.start(waits, "waits", on_done=lambda outcome, value: got.append((outcome, value)),
                 threads=1)
    seen.append(torch.get_num_threads())  # the GUI thread's, while the job runs
    release.set()
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert seen == [1] and got == [("finished", 1)]
    assert torch.get_num_threads() == idle
    runner.start(lambda report, should_stop: None, "quick", threads=0)
    assert torch.get_num_threads() == 1
    qtbot.waitUntil(lambda: runner.jobs() == [], timeout=10_000)
    assert torch.get_num_threads() == idle
    monkeypatch.setattr(runtime, "IDLE_GUI_THREADS", 1)
    runner.set_gui_threads()  # the suite's own thread back on one
