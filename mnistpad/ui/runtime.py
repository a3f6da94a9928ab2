"""Process-wide settings of the GUI, made on the GUI thread only (never from a worker).

Thread counts: OpenMP's count is per thread. The GUI thread takes one
(:func:`serial_gui_thread`) once torch is loaded; each job of the runner sets its own thread's
count where it starts (:mod:`mnistpad.ui.jobs`), since a thread started later would otherwise
inherit the GUI thread's one.
"""

from __future__ import annotations

import gc
import os


def training_threads() -> int:
    """Threads for torch in a worker: every core but one for the GUI on larger machines;
    on two cores both, since the GUI thread is idle most of the time."""
    cores = os.cpu_count() or 1
    return cores if cores <= 2 else cores - 1


def training_threads_for(spec) -> int:
    """Threads for torch in the job that trains ``spec``: one for a small fully connected
    net (:func:`mnistpad.core.threads.threads_for`), else :func:`training_threads`."""
    from mnistpad.core.threads import threads_for

    return threads_for(spec, training_threads())


def configure_threads() -> None:
    """Before torch is imported: the default count a new (worker) thread starts with."""
    os.environ.setdefault("OMP_NUM_THREADS", str(training_threads()))


def serial_gui_thread() -> None:
    """Give the calling (GUI) thread one torch thread; call it before the GUI's first tensor op.

    Each thread that runs parallel torch code gets an OpenMP team of its own. When the GUI
    thread has one beside the worker's, OpenMP's threads outnumber the cores, it stops
    spinning at its barriers and puts threads to sleep instead, and the worker's epochs took
    30-60% longer (dropout: 8-10 s against 5.7 s on two cores). One thread is plenty for what
    the GUI thread computes: classifying one drawing at a time."""
    import torch

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def settle_heap() -> None:
    """Move every object alive now (torch, Qt, the loaded models: several hundred thousand)
    out of the garbage collector's reach. A full collection over them takes a quarter of a
    second on a small CPU, and would otherwise freeze the window now and then."""
    gc.freeze()
