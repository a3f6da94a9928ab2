"""Training as a job of the app's runner: the core's training loop (the same one the CLI uses)
with its progress records sent in small bundles, so the GUI thread gets at most a few dozen
signals a second however fast the batches go. No Qt here: what it reports is data
(:class:`StageReached`, :class:`RecordsReady`, :class:`ActivationsRead`); the view words it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from mnistpad.core.models.specs import VariantSpec
from mnistpad.core.platform.errors import DataError, TrainingCancelled

EMIT_INTERVAL_S = 0.05


@dataclass(frozen=True)
class TrainRequest:
    spec: VariantSpec
    name: str
    out_path: Path
    data_dir: Path
    seed: int = 777
    device: str = "auto"
    download: bool = False
    watch_activations: bool = False  # read the layers' activations every few hundred batches


@dataclass(frozen=True)
class StageReached:
    """The run reached ``stage``: "loading" or "downloading" MNIST, or "training" on
    ``device`` ("CPU", "CUDA")."""

    stage: str
    device: str = ""


@dataclass(frozen=True)
class RecordsReady:
    """A bundle of the training loop's progress records, in order."""

    records: list


@dataclass(frozen=True)
class ActivationsRead:
    """The layers' activations, read from the model as it trains."""

    stats: object


class DataMissing(DataError):
    """MNIST is not in the folder; ``reason`` says why a download failed ("" when none was
    tried)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


class _Bundler:
    def __init__(self, report):
        self.report = report
        self.pending: list = []
        self.last = 0.0

    def add(self, record) -> None:
        self.pending.append(record)
        now = time.monotonic()
        if record.kind == "epoch" or now - self.last >= EMIT_INTERVAL_S:
            self.flush()
            self.last = now

    def flush(self) -> None:
        if self.pending:
            self.report(RecordsReady(self.pending))
            self.pending = []


def _activations_watch(request: TrainRequest, data, report):
    """The layers' activations read from the model as it trains (a few hundred batches
    apart, throttled to a small share of the training time), or None."""
    if not request.watch_activations:
        return None
    from mnistpad.core.lessons.activations import BatchSource, TrainingWatch, batch_from_split

    batch = batch_from_split(data.test, BatchSource.MNIST_TEST)
    return TrainingWatch(batch, lambda stats: report(ActivationsRead(stats)))


def training_job(request: TrainRequest):
    """The job: check the target is writable, load MNIST, train, save. Returns the path."""

    def job(report, should_stop):
        from mnistpad.core.data.mnist import download_failure_reason, load_mnist, missing_files
        from mnistpad.core.files.modelfile import check_writable, expected_file_size, save_result
        from mnistpad.core.training.train import resolve_device, train

        req = request
        check_writable(req.out_path, expected_file_size(req.spec))  # before, not after, the run
        report(StageReached("downloading" if req.download else "loading"))
        try:
            data = load_mnist(req.data_dir, download=req.download)
        except DataError as exc:
            if not missing_files(req.data_dir):
                raise  # there, but truncated or corrupt
            reason = ""
            if req.download and exc.__cause__ is not None:
                reason = download_failure_reason(exc.__cause__)
            raise DataMissing(str(exc), reason) from exc
        if should_stop():
            raise TrainingCancelled("Training was cancelled; nothing was saved.")
        report(StageReached("training", resolve_device(req.device).type.upper()))
        bundler = _Bundler(report)
        result = train(req.spec, data, seed=req.seed, device=req.device,
                       on_progress=bundler.add, should_stop=should_stop,
                       watch=_activations_watch(req, data, report))
        bundler.flush()
        return str(save_result(req.out_path, result, name=req.name))

    return job
