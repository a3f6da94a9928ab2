"""Process-wide settings of the GUI, made on the GUI thread only (never from a worker).

Thread counts: OpenMP's count is per thread. The GUI thread takes one while a job runs and
two otherwise (:func:`set_gui_threads`, called by the job runner whenever a job starts or
ends); each job of the runner sets its own thread's count where it starts
(:mod:`mnistpad.ui.state.jobs`), since a thread started later would otherwise inherit the GUI
thread's.
"""

from __future__ import annotations

import gc
import os
import sys


def training_threads() -> int:
    """Threads for torch in a worker: every core but one for the GUI on larger machines;
    on two cores both, since the GUI thread is idle most of the time."""
    cores = os.cpu_count() or 1
    return cores if cores <= 2 else cores - 1


def training_threads_for(spec) -> int:
    """Threads for torch in the job that trains ``spec``: one for a small fully connected
    net (:func:`mnistpad.core.training.threads.threads_for`), else :func:`training_threads`."""
    from mnistpad.core.training.threads import threads_for

    return threads_for(spec, training_threads())


def configure_threads() -> None:
    """Before torch is imported: the default count a new (worker) thread starts with."""
    os.environ.setdefault("OMP_NUM_THREADS", str(training_threads()))


# The GUI thread's torch threads when no job runs (as many where the machine has fewer cores).
IDLE_GUI_THREADS = 2


def gui_threads(busy: bool) -> int:
    """Torch threads for the GUI thread: one while any job runs (see
    :func:`set_gui_threads`), else :data:`IDLE_GUI_THREADS`."""
    return 1 if busy else max(1, min(IDLE_GUI_THREADS, os.cpu_count() or 1))


def set_gui_threads(busy: bool) -> None:
    """Give the calling (GUI) thread its torch threads (:func:`gui_threads`); nothing before
    torch is loaded (the numpy readers serve until then).

    While a job runs, one. Each thread that runs parallel torch code gets an OpenMP team of
    its own. When the GUI thread has one beside the worker's, OpenMP's threads outnumber the
    cores, it stops spinning at its barriers and puts threads to sleep instead, and the
    worker's epochs took 30-60% longer (dropout: 8-10 s against 5.7 s on two cores); one
    thread is plenty for classifying one drawing at a time then. With no job, the drawing is
    all there is to compute: the default's three convolutional members read a drawing in
    about three quarters of the time on two threads as on one."""
    if "torch" not in sys.modules:
        return
    import torch

    threads = gui_threads(busy)
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


_heap_settled = False


def settle_heap() -> None:
    """Move the objects alive at start-up (Qt and the app's modules) out of the garbage
    collector's reach, so that its full collections do not scan them again and again: once
    per process, and only before any window exists. Whatever is garbage when the heap is
    frozen is kept for good, so a window's objects must never be frozen (a closed window is
    freed); a later call does nothing."""
    global _heap_settled
    from PySide6.QtWidgets import QApplication

    if _heap_settled or QApplication.topLevelWidgets():
        return
    _heap_settled = True
    gc.collect()
    gc.freeze()
