"""Measuring a model's figures and recording them in its file (:mod:`mnistpad.core.figures`).

``mnistpad eval --record`` is the command that does it for any saved model; the functions
here are what it runs, so that a figure means the same whoever measured it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from mnistpad.core import figures
from mnistpad.core.figures import Figure, Measurement


def mnist_figure(model, spec, split, measured_on: str | None = None,
                 should_stop: Callable[[], bool] | None = None) -> Figure:
    """Accuracy on an MNIST test split; ``measured_on`` defaults to what its size says (the
    full test set, or part of it)."""
    from mnistpad.core.train import accuracy

    on = measured_on or figures.mnist_measured_on(len(split))
    return Figure.of(accuracy(model, spec, split, should_stop), len(split), on)


def drawn_figure(model, spec, should_stop: Callable[[], bool] | None = None) -> Figure:
    """Accuracy on the development writers' pen digits (never trained on), drawn at full
    size by the Qt-free stroke renderer: the digits :func:`~mnistpad.core.train.drawn_accuracy`
    reads."""
    from mnistpad.core.pendigits import development_split
    from mnistpad.core.train import accuracy

    split = development_split()
    return Figure.of(accuracy(model, spec, split, should_stop), len(split),
                     figures.DRAWN_WRITERS)


def record(path: str | os.PathLike, measurement: Measurement) -> None:
    """Write ``measurement`` into the model file at ``path``, keeping its weights and every
    other metadata value (an atomic rewrite)."""
    from mnistpad.core.modelfile import update_metadata

    update_metadata(path, **measurement.metadata())
