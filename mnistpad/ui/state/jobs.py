"""One job runner for every background task: loading models, training, evaluating,
personalizing, inspecting.

A job is a plain function ``job(report, should_stop) -> result`` (core code, no Qt):
``report(value)`` sends plain data to the GUI thread, ``should_stop()`` turns true once the
job is cancelled. The runner runs it in a QThread of its own and delivers, on the GUI
thread, its progress (:attr:`Job.progressed`) and exactly one outcome (:attr:`Job.done`):

- ``("finished", result)``;
- ``("cancelled", None)``: the job raised an :class:`~mnistpad.core.platform.errors.MnistpadError`
  after a cancel (``TrainingCancelled`` among them);
- ``("failed", JobError)``: the exception as an object (its type, message and traceback),
  already written to the log with its traceback. Any exception ends the job this way, a
  ``BaseException`` that is not an ``Exception`` (``SystemExit`` from a library,
  ``KeyboardInterrupt``) included: the thread always finishes and the window hears of it.

The job, its worker and its thread are deleted once the outcome is delivered: nothing a
finished job held (its result, a model, a data set) stays alive in the runner. Shutting down
cancels every job and waits for its thread; a running thread is never destroyed.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from mnistpad.core.platform.errors import MnistpadError, TrainingCancelled

log = logging.getLogger("mnistpad.jobs")

# Live counts, for the tests that check finished jobs leave nothing behind.
_LIVE = {"jobs": 0, "threads": 0}
_STARTED: set[QThread] = set()


def running_threads() -> list[QThread]:
    """The runner's threads that are still running (tests check none is left)."""
    return [t for t in list(_STARTED) if t.isRunning()]


def live_counts() -> tuple[int, int]:
    """(jobs, threads) created by the runner and not yet deleted."""
    return _LIVE["jobs"], _LIVE["threads"]


def _count(kind: str, step: int) -> None:
    _LIVE[kind] += step


@dataclass(frozen=True)
class JobError:
    """A job's exception, carried to the GUI thread as an object."""

    kind: str  # the exception's type name
    message: str
    traceback: str
    exception: BaseException | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_exception(cls, exc: BaseException) -> JobError:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return cls(type(exc).__name__, str(exc).strip(), text, exc)

    @property
    def expected(self) -> bool:
        """True for mnistpad's own errors, whose message is already one sentence for a user."""
        return isinstance(self.exception, MnistpadError)

    def sentence(self) -> str:
        """One clear line for the user: the message's first line; for an unexpected error
        (a bug, torch running out of memory) its type too."""
        first = (self.message.splitlines() or [""])[0]
        if self.expected and first:
            return first
        return f"{self.kind}: {first}" if first else self.kind


class _Worker(QObject):
    progressed = Signal(object)
    ended = Signal(str, object)

    def __init__(self, fn, name: str, stop: threading.Event, threads: int):
        super().__init__()
        self.fn, self.name, self.stop, self.threads = fn, name, stop, threads

    @Slot()
    def run(self) -> None:
        """Whatever happens, exactly one ``ended``, so the thread always finishes."""
        if self.threads:
            # OpenMP's team size is the calling thread's own: this thread's, set where it
            # starts (the GUI thread keeps one, which new threads would otherwise inherit,
            # and training would run on one core: dropout's epochs took 1.76x the CLI's)
            import torch

            torch.set_num_threads(self.threads)
        try:
            result = self.fn(self.progressed.emit, self.stop.is_set)
        except BaseException as exc:  # whatever it is, the job ends with it
            if isinstance(exc, TrainingCancelled) or (
                    isinstance(exc, MnistpadError) and self.stop.is_set()):
                self.ended.emit("cancelled", None)
                return
            level = logging.WARNING if isinstance(exc, MnistpadError) else logging.ERROR
            log.log(level, "job %s failed", self.name, exc_info=exc)
            self.ended.emit("failed", JobError.from_exception(exc))
        else:
            self.ended.emit("finished", result)


class Job(QObject):
    """One running job (made by :meth:`JobRunner.start`); gone once ``done`` is delivered."""

    progressed = Signal(object)
    done = Signal(str, object)

    def __init__(self, fn, name: str, threads: int = 0, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self._stop = threading.Event()
        self._outcome: tuple[str, object] = ("failed", JobError(
            "RuntimeError", QCoreApplication.translate("Job", "The worker thread stopped "
                                                              "unexpectedly."), ""))
        self.thread = QThread()
        self.thread.setObjectName(name)
        self.worker = _Worker(fn, name, self._stop, threads)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self.progressed)
        self.worker.ended.connect(self._on_ended)
        self.thread.finished.connect(self.worker.deleteLater)  # runs as the thread ends
        self.thread.finished.connect(self._on_thread_finished)
        _count("jobs", 1)
        _count("threads", 1)
        self.destroyed.connect(lambda: _count("jobs", -1))
        self.thread.destroyed.connect(lambda: _count("threads", -1))

    def cancel(self) -> None:
        self._stop.set()

    def cancelled(self) -> bool:
        return self._stop.is_set()

    def is_running(self) -> bool:
        return self.thread.isRunning()

    @Slot(str, object)
    def _on_ended(self, outcome: str, value) -> None:
        self._outcome = (outcome, value)
        self.thread.quit()

    @Slot()
    def _on_thread_finished(self) -> None:
        self.thread.wait()
        _STARTED.discard(self.thread)
        outcome, value = self._outcome
        self._outcome = ("", None)  # the result lives on only in whoever takes it
        try:
            self.done.emit(outcome, value)
        finally:
            self.thread.deleteLater()
            self.deleteLater()


class JobRunner(QObject):
    """Runs jobs in threads of their own and keeps them until they end (see the module doc)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._jobs: list[Job] = []

    def start(self, fn, name: str, on_progress: Callable | None = None,
              on_done: Callable | None = None, threads: int | None = None) -> Job:
        """Start ``fn`` in its own thread. ``on_progress(value)`` and ``on_done(outcome,
        value)`` are called on the GUI thread (connect them to slots of GUI-thread objects).
        ``threads``: torch's threads in the job's thread (default: every core but the GUI's,
        :func:`~mnistpad.ui.shell.runtime.training_threads`; 0 leaves torch unimported there)."""
        from mnistpad.ui.shell.runtime import training_threads

        job = Job(fn, name, training_threads() if threads is None else threads)
        self._jobs.append(job)
        if on_progress is not None:
            job.progressed.connect(on_progress)
        if on_done is not None:
            job.done.connect(on_done)
        job.done.connect(lambda *_: self._forget(job))
        _STARTED.add(job.thread)
        self.set_gui_threads()
        job.thread.start()
        return job

    def _forget(self, job: Job) -> None:
        if job in self._jobs:
            self._jobs.remove(job)
            self.set_gui_threads()

    def set_gui_threads(self) -> None:
        """The GUI thread's torch threads for what runs now: one beside any job, two when
        it has the machine to itself (:func:`~mnistpad.ui.shell.runtime.set_gui_threads`)."""
        from mnistpad.ui.shell.runtime import set_gui_threads

        set_gui_threads(busy=bool(self._jobs))

    def jobs(self) -> list[Job]:
        """The jobs whose outcome has not been delivered yet."""
        return list(self._jobs)

    def running(self, name: str) -> Job | None:
        return next((job for job in self._jobs if job.name == name), None)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel every job and wait for its thread (the window is closing). A thread that
        outlasts ``timeout_ms`` is logged and waited for to its end: destroying a running
        thread would abort the process. Returns False when any had to be waited for longer."""
        for job in self._jobs:
            job.cancel()
        in_time = True
        for job in list(self._jobs):
            job.thread.quit()
            if not job.thread.wait(timeout_ms):
                in_time = False
                log.warning("job %s still running %d ms after cancel; waiting for it",
                            job.name, timeout_ms)
                job.thread.wait()
        for job in list(self._jobs):
            job.done.disconnect()
            _STARTED.discard(job.thread)
            self._forget(job)
            job.thread.deleteLater()
            job.deleteLater()
        return in_time
