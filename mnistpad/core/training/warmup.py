"""What torch imports on first use, imported ahead and out of the garbage collector's way.

torch's optimizers import ``torch._dynamo`` the first time one is built and steps
(``Optimizer.add_param_group`` and ``step`` are wrapped by ``torch._disable_dynamo`` and
``_use_grad_for_differentiable``), and ``torch._dynamo`` imports ``torch.fx``'s symbolic
shapes and sympy: 1.5-4 s of Python imports and several hundred thousand new objects, paid
in the middle of the first training run of a process. Done inside a run in the window, the
garbage collector's full passes over those new objects (each holding the GIL for a tenth of a
second or more) froze the GUI thread. :func:`import_training_machinery` pays it once, with
the collector paused; the window calls it in the background after torch is loaded, the race
and :func:`mnistpad.core.training.train.train` call it (a no-op the second time) before
building an optimizer. It is the one place that pauses the collector, and the one that
freezes what the imports left alive, once per process. This module imports nothing heavy at
module level.
"""

from __future__ import annotations

import gc
import sys
import threading
import time

_lock = threading.Lock()


def training_machinery_ready() -> bool:
    return "torch._dynamo" in sys.modules


def import_training_machinery() -> float:
    """Build and step a throwaway optimizer, so that everything an optimizer imports on
    first use is imported; the seconds it took (0.0 when done before)."""
    if training_machinery_ready():
        return 0.0
    with _lock:
        if training_machinery_ready():
            return 0.0
        start = time.perf_counter()
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            import torch

            weight = torch.zeros(1, requires_grad=True)
            optimizer = torch.optim.Adam([weight])
            weight.grad = torch.zeros(1)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        finally:
            # torch, its optimizers and what they import (about a million objects) live as
            # long as the process: moved out of the collector's reach, or each full collection
            # scans them all again, holding the interpreter (72.8 ms stalls in the window's
            # training, its epochs 1.34x the CLI's). Once per process (this body runs once):
            # a window built later is never frozen, so it is freed when closed.
            gc.freeze()
            if was_enabled:
                gc.enable()
        return time.perf_counter() - start
