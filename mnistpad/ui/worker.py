"""Training in a worker thread: a QObject moved to a QThread, plain-data signals.

The worker runs the core's training loop (the same one the CLI uses) and emits progress
records in small bundles, so the GUI thread gets at most a few dozen signals a second
however fast the batches go. Cancel is a thread-safe flag the loop checks every batch.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from mnistpad.core.errors import DataError, MnistpadError, TrainingCancelled
from mnistpad.core.specs import VariantSpec

EMIT_INTERVAL_S = 0.05
_RUNNING: set[QThread] = set()


def running_threads() -> list[QThread]:
    """QThreads started by this module that are still running (tests check it is empty)."""
    return [t for t in list(_RUNNING) if t.isRunning()]


# Thread counts, set once per thread where that thread starts (OpenMP's count is per thread,
# so a count set in one thread does not hold in another): the GUI thread gets one, by
# serial_gui_thread in create_main_window (app.py) before the window is built; a training
# worker's thread gets training_threads(), first thing in TrainWorker.run; the CLI keeps
# torch's default (every core). The core never sets a thread count.


def training_threads() -> int:
    """Threads for torch in the worker: every core but one for the GUI on larger machines;
    on two cores both, since the GUI thread is idle most of the time."""
    cores = os.cpu_count() or 1
    return cores if cores <= 2 else cores - 1


def serial_gui_thread() -> None:
    """Give the calling (GUI) thread one torch thread; call it before the GUI's first tensor op.

    Each thread that runs parallel torch code gets an OpenMP team of its own. When the GUI
    thread has one beside the worker's, OpenMP's threads outnumber the cores, it stops
    spinning at its barriers and puts threads to sleep instead, and the worker's epochs took
    30-60% longer (dropout: 8-10 s against 5.7 s on two cores). One thread is plenty for what
    the GUI thread computes: classifying one drawing at a time."""
    import torch

    torch.set_num_threads(1)


@dataclass(frozen=True)
class TrainRequest:
    spec: VariantSpec
    name: str
    out_path: Path
    data_dir: Path
    seed: int = 777
    device: str = "auto"
    download: bool = False


def _load_quietly(load_mnist, req: TrainRequest):
    """Load MNIST (the first time, importing torchvision: ~200,000 new objects) with the
    garbage collector paused, then freeze the survivors, so that no full collection, which
    holds the GIL for a quarter of a second, freezes the window during the run."""
    gc.disable()
    try:
        return load_mnist(req.data_dir, download=req.download)
    finally:
        gc.freeze()
        gc.enable()


class TrainWorker(QObject):
    """Runs one :class:`TrainRequest`. Emits ``progressed`` (a list of records), then
    exactly one of ``finished`` (saved path), ``cancelled``, ``failed`` (message) or
    ``dataMissing`` (MNIST is not there; why a download failed, "" when none was tried)."""

    started = Signal(str)
    progressed = Signal(list)
    finished = Signal(str)
    cancelled = Signal()
    failed = Signal(str)
    dataMissing = Signal(str)

    def __init__(self, request: TrainRequest):
        super().__init__()
        self.request = request
        self._stop = threading.Event()
        self._pending: list = []
        self._last_emit = 0.0

    def cancel(self) -> None:
        self._stop.set()

    def _on_progress(self, record) -> None:
        self._pending.append(record)
        now = time.monotonic()
        if record.kind == "epoch" or now - self._last_emit >= EMIT_INTERVAL_S:
            self._last_emit = now
            self.progressed.emit(self._pending)
            self._pending = []

    @Slot()
    def run(self) -> None:
        """The worker's edge: whatever happens, exactly one outcome signal is emitted, so the
        thread always finishes and the panel never stays "running"."""
        import torch

        from mnistpad.core.data import download_failure_reason, missing_files

        req = self.request

        torch.set_num_threads(training_threads())  # see the thread rule above
        try:
            saved = self._train_and_save()
        except TrainingCancelled:
            self.cancelled.emit()
        except DataError as exc:
            if not missing_files(req.data_dir):
                self.failed.emit(str(exc))  # there, but truncated or corrupt
            elif req.download and exc.__cause__ is not None:
                self.dataMissing.emit(download_failure_reason(exc.__cause__))
            else:
                self.dataMissing.emit("")
        except MnistpadError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # torch's own errors (out of memory...) and any bug
            first = (str(exc).strip().splitlines() or [""])[0]
            self.failed.emit(self.tr("Training stopped: {0}: {1}").format(
                type(exc).__name__, first))
        else:
            self.finished.emit(str(saved))

    def _train_and_save(self) -> Path:
        from mnistpad.core.data import load_mnist
        from mnistpad.core.modelfile import check_writable, expected_file_size, save_result
        from mnistpad.core.train import resolve_device, train

        req = self.request
        check_writable(req.out_path, expected_file_size(req.spec))  # before, not after, the run
        self.started.emit(self.tr("Loading MNIST…") if not req.download
                          else self.tr("Downloading MNIST…"))
        data = _load_quietly(load_mnist, req)
        if self._stop.is_set():
            raise TrainingCancelled(self.tr("Training was cancelled; nothing was saved."))
        self.started.emit(self.tr("Training on {0}…").format(
            resolve_device(req.device).type.upper()))
        result = train(req.spec, data, seed=req.seed, device=req.device,
                       on_progress=self._on_progress, should_stop=self._stop.is_set)
        if self._pending:
            self.progressed.emit(self._pending)
            self._pending = []
        return save_result(req.out_path, result, name=req.name)


class _WorkerRun(QObject):
    """Owns one worker and its thread, from start to a clean stop. A subclass declares
    ``done`` and a typed ``_on_finished`` slot that calls :meth:`_end`."""

    CANCELLED: object = None

    def __init__(self, worker: QObject, thread_name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName(thread_name)
        self.worker = worker
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self._on_finished)
        self.worker.cancelled.connect(self._on_cancelled)
        self.worker.failed.connect(self._on_failed)
        self.thread.finished.connect(self._on_thread_finished)
        self._outcome: tuple[str, object] = ("failed", QCoreApplication.translate(
            "JobRun", "The worker thread stopped unexpectedly."))

    def start(self) -> None:
        _RUNNING.add(self.thread)
        self.thread.start()

    def is_running(self) -> bool:
        return self.thread.isRunning()

    def cancel(self) -> None:
        self.worker.cancel()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel and wait for the thread to end (on window close). Never terminates it."""
        self.worker.cancel()
        self.thread.quit()
        ended = self.thread.wait(timeout_ms)
        if ended:
            _RUNNING.discard(self.thread)
        return ended

    def _end(self, outcome: str, value) -> None:
        self._outcome = (outcome, value)
        self.thread.quit()

    @Slot()
    def _on_cancelled(self) -> None:
        self._end("cancelled", self.CANCELLED)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._end("failed", message)

    @Slot()
    def _on_thread_finished(self) -> None:
        self.thread.wait()
        _RUNNING.discard(self.thread)
        self.done.emit(*self._outcome)


class TrainingRun(_WorkerRun):
    """Runs one :class:`TrainRequest` in its own thread.

    ``done`` fires in the GUI thread once the thread has really finished, with the outcome:
    ("finished", path), ("cancelled", ""), ("failed", message) or ("no-data", reason).
    """

    done = Signal(str, str)
    CANCELLED = ""

    def __init__(self, request: TrainRequest, parent: QObject | None = None):
        super().__init__(TrainWorker(request), f"train-{request.name}", parent)
        self.worker.dataMissing.connect(self._on_data_missing)
        self._outcome = ("failed", QCoreApplication.translate(
            "TrainingRun", "The training thread stopped unexpectedly."))

    @Slot(str)
    def _on_data_missing(self, reason: str) -> None:
        self._end("no-data", reason)

    @Slot(str)
    def _on_finished(self, path: str) -> None:
        self._end("finished", path)


class JobWorker(QObject):
    """Runs one job: a plain function ``job(report, should_stop)`` that returns a result.
    ``report(value)`` emits ``progressed`` (plain data); ``should_stop()`` turns true on cancel.
    Emits exactly one of ``finished`` (the result), ``cancelled`` or ``failed`` (message)."""

    progressed = Signal(object)
    finished = Signal(object)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, job, threads: int | None = None):
        super().__init__()
        self.job = job
        self.threads = threads
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        import torch

        torch.set_num_threads(self.threads or training_threads())
        try:
            result = self.job(self.progressed.emit, self._stop.is_set)
        except MnistpadError as exc:
            if self._stop.is_set():
                self.cancelled.emit()
            else:
                self.failed.emit(str(exc))
        except Exception as exc:  # any end must reach the GUI, or the thread never quits
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)


class JobRun(_WorkerRun):
    """Runs one job function in a :class:`JobWorker` in its own thread.

    ``done`` fires in the GUI thread once the thread has really finished: ("finished",
    result), ("cancelled", None) or ("failed", message).
    """

    done = Signal(str, object)

    def __init__(self, job, name: str, threads: int | None = None,
                 parent: QObject | None = None):
        super().__init__(JobWorker(job, threads), name, parent)

    @Slot(object)
    def _on_finished(self, result) -> None:
        self._end("finished", result)
