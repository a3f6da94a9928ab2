"""The models arrive in the background: torch and every saved model load in a worker thread
while the window is already on screen and the canvas already takes strokes.

Importing torch takes seconds on a small CPU; nothing the window shows at start (the canvas,
the menus, the model list read from file headers) needs it. The job loads the model the
window wants first, so that the first reading comes as early as it can, then the others for
the every-model table.
"""

from __future__ import annotations

from pathlib import Path

from mnistpad.core.errors import MnistpadError


def load_models_job(paths: list[Path], first: Path | None):
    """A job for :class:`~mnistpad.ui.worker.JobRun`: reports ``(path, classifier, "")`` for
    each model as it loads, or ``(path, None, reason)`` for a file that does not."""

    def job(report, should_stop):
        from mnistpad.core.classify import Classifier  # imports torch: the slow part

        order = ([first] if first in paths else []) + [p for p in paths if p != first]
        for path in order:
            if should_stop():
                break
            try:
                report((path, Classifier.from_file(path), ""))
            except MnistpadError as exc:
                report((path, None, str(exc)))
        return len(order)

    return job
