"""The Evaluate tab's job, run by the app's :class:`~mnistpad.ui.state.jobs.JobRunner`: each model
on the data set, from the cache when it holds the result. A model that reads the strokes too
(the default) is evaluated with its stroke reader on a data set whose drawings have strokes:
the picture and the strokes combined, as the app reads a drawing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mnistpad.core.evaluation.evaluate import DataSource, EvaluationCache, EvaluationCancelled


def evaluate_job(cache: EvaluationCache, source: DataSource, data_dir: Path, paths: list[Path],
                 classifier_for, stroke_reader_for: Callable[[Path], object] | None = None):
    """The evaluation as a job: each model (``classifier_for(path)``, loaded already) on the
    data set; ``stroke_reader_for(path)`` is the stroke reader of a model that reads strokes
    too, else None."""

    def job(report, should_stop):
        data = cache.data_set(source, data_dir)
        results = []
        for k, path in enumerate(paths):
            if should_stop():
                raise EvaluationCancelled("Evaluation cancelled.")
            results.append(cache.evaluation(
                path, data, classifier_for,
                on_progress=lambda f, k=k: report((k + f) / len(paths)),
                should_stop=should_stop,
                stroke_reader=None if stroke_reader_for is None else stroke_reader_for(path)))
        return results

    return job
