"""How many torch threads training a net should use, the window's and the command line's alike.

A small fully connected net (the softmax: 7,850 weights times a batch of 100) trains on one
thread: its operations are too small to split, and a team of two threads only meets at a
barrier after each, where one waits for the other whenever another thread or process holds
the second core. The window's softmax epochs took 1.56x the command line's, and on a busy
two-core machine thirty times one thread's. Everything else uses the threads it is given.
"""

from __future__ import annotations

# Multiply-adds per batch below which a fully connected net trains on one thread.
SMALL_BATCH_WORK = 2_000_000


def is_small_net(spec) -> bool:
    """A fully connected net whose batch is under :data:`SMALL_BATCH_WORK` multiply-adds (a
    convolutional net's work per weight is hundreds of times a fully connected one's: never
    counted small)."""
    from mnistpad.core.models.specs import spec_parameter_count

    return spec.input_shape == (784,) and \
        spec_parameter_count(spec) * spec.batch_size < SMALL_BATCH_WORK


def threads_for(spec, otherwise: int) -> int:
    """Torch threads to train ``spec`` with: one for a small net, else ``otherwise``."""
    return 1 if is_small_net(spec) else otherwise
