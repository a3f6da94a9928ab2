"""Where a model goes wrong: one model's readings of a data set, and what follows from them.

:func:`evaluate` reads every image of a data set once and keeps the ten probabilities per
image; everything else (confusion matrix, per-digit accuracy, confidence, galleries, the
reject-threshold curve, the comparison of two models) is computed from those numbers in
milliseconds, so the GUI and ``mnistpad eval --confusion`` show the same figures.

Data sets come from :data:`SOURCES`, a small registry: each entry names a loader that returns
28x28 float32 images in [0, 1] and int labels, or raises :class:`MnistpadError` with the reason
the set cannot be used (the window lists it greyed out with that reason).

Results are cached by the model file's content hash and the data set's digest (a hash of
its arrays, or of a cheaper fingerprint its source gives: MNIST's file sizes and times), in
memory and on disk (``<user data folder>/cache/evaluate/``, checked entries written by
:mod:`mnistpad.core.evaluation.store`): the shipped models never change and cnn-ensemble takes
many seconds per pass over MNIST test on a CPU, so the tab is instant at the next start too.

A model that reads strokes too (the default, given its stroke reader), evaluated on a data set
whose drawings have their strokes, is evaluated as the app reads a drawing: the picture and
the strokes combined, with each part kept (:mod:`mnistpad.core.evaluation.parts`). Its picture
part is the image model's own cached evaluation; the stroke reader's readings are kept in
memory by the stroke model file's content hash and the data set's digest, and so is the
combination (by both files' hashes and the data set's).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnistpad.core.data.sources import (  # noqa: F401 - the data sets are part of this API
    SOURCES,
    DataSource,
    Images,
    Labels,
    find_source,
)
from mnistpad.core.evaluation.parts import (  # EvaluationCancelled: part of this API too
    EvaluationCancelled,
    EvaluationParts,
    combination_of,
    combined,
    stroke_readings,
    strokes_of,
)
from mnistpad.core.evaluation.store import entry_key, file_digest, read_entry, write_entry
from mnistpad.core.platform.errors import MnistpadError

CONFIDENT_ERROR = 0.9  # "confident errors": wrong with probability above this
CHUNK = 500  # images per forward pass; a cancel takes effect between chunks


@dataclass(frozen=True)
class DataSet:
    """A loaded data set: ``images`` (N, 28, 28) float32, ``labels`` (N,) int64, the
    digest of its content that keys the cache and, for drawings that have them, each one's
    pen strokes (``strokes``: a tuple of lists of (M, 2) arrays in canvas pixels; else None)."""

    source: str
    images: Images
    labels: Labels
    digest: str
    strokes: tuple | None = None

    def __len__(self) -> int:
        return len(self.labels)

    @classmethod
    def of(cls, name: str, images, labels, fingerprint: str | None = None,
           strokes: list | None = None) -> DataSet:
        """Checked and named by ``fingerprint`` or else by a hash of the arrays (and of the
        strokes' points); ``images`` reshapeable to (N, 28, 28), ``labels`` (N,), ``strokes``
        one drawing's strokes per image, or None."""
        images = np.ascontiguousarray(images, dtype=np.float32).reshape(-1, 28, 28)
        labels = np.ascontiguousarray(labels, dtype=np.int64)
        if len(images) != len(labels):
            raise MnistpadError(f"{name}: {len(images)} images but {len(labels)} labels")
        if len(labels) == 0:
            raise MnistpadError(f"{name}: the data set is empty")
        if labels.min() < 0 or labels.max() > 9:
            raise MnistpadError(f"{name}: labels outside 0-9")
        if strokes is not None and len(strokes) != len(labels):
            raise MnistpadError(f"{name}: {len(labels)} images but {len(strokes)} drawings")
        if fingerprint is not None:
            digest = hashlib.sha256(f"{name} {len(labels)} {fingerprint}".encode())
        else:
            digest = hashlib.sha256(images.reshape(-1).view(np.uint8))
            digest.update(labels.view(np.uint8))
            for drawing in strokes or ():
                digest.update(b"|".join(np.ascontiguousarray(s, np.float64).tobytes()
                                        for s in drawing) + b"#")
        return cls(name, images, labels, digest.hexdigest(),
                   None if strokes is None else tuple(strokes))


def load_data_set(source: DataSource, data_dir: Path) -> DataSet:
    data_dir = Path(data_dir)
    try:  # before loading: a file changed meanwhile is then loaded again next time
        fingerprint = source.fingerprint(data_dir) if source.fingerprint else None
    except OSError:
        fingerprint = None  # the loader says what is wrong
    images, labels = source.load(data_dir)
    if np.asarray(images).shape[1:] not in ((28, 28), (784,)):
        raise MnistpadError(f"{source.label}: expected 28x28 images, got shape "
                            f"{np.asarray(images).shape}")
    return DataSet.of(source.name, images, labels, fingerprint,
                      strokes_of(source, data_dir, labels))


# ---------------------------------------------------------------------------- one evaluation


@dataclass(frozen=True)
class ConfusedPair:
    true: int
    read: int
    count: int


@dataclass
class Evaluation:
    """One model's readings of one data set. ``probabilities`` is (N, 10) float32."""

    model: str
    data: DataSet
    probabilities: np.ndarray
    seconds: float = 0.0
    from_cache: bool = False
    parts: EvaluationParts | None = None  # a reading of pictures and strokes combined

    def __post_init__(self) -> None:
        self.predictions = self.probabilities.argmax(axis=1).astype(np.int64)
        self.confidence = self.probabilities.max(axis=1)
        self.right = self.predictions == self.labels

    @property
    def labels(self) -> Labels:
        return self.data.labels

    @property
    def images(self) -> Images:
        return self.data.images

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def correct(self) -> int:
        return int(self.right.sum())

    @property
    def accuracy(self) -> float:
        return self.correct / len(self)

    def confusion(self) -> np.ndarray:
        """10x10 counts: rows = true digit, columns = digit read."""
        return np.bincount(self.labels * 10 + self.predictions, minlength=100).reshape(10, 10)

    def per_digit_accuracy(self) -> np.ndarray:
        """Share of each true digit read right (NaN for a digit the set does not hold)."""
        matrix = self.confusion()
        totals = matrix.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(totals > 0, np.diag(matrix) / totals, np.nan)

    def mean_confidence(self, right: bool) -> float | None:
        chosen = self.confidence[self.right == right]
        return float(chosen.mean()) if len(chosen) else None

    def confident_errors(self, threshold: float = CONFIDENT_ERROR) -> int:
        return int(((~self.right) & (self.confidence > threshold)).sum())

    def matrix(self) -> np.ndarray:
        return self.confusion()

    def confused_pairs(self, limit: int = 10) -> list[ConfusedPair]:
        """The most frequent errors (true digit read as another), most frequent first."""
        return _top_cells(self.confusion(), limit)

    pairs = confused_pairs

    def _sorted(self, mask: np.ndarray) -> np.ndarray:
        """Indices where ``mask`` holds, most confident reading first."""
        indices = np.flatnonzero(mask)
        return indices[np.argsort(-self.confidence[indices], kind="stable")]

    def cell(self, true: int, read: int) -> np.ndarray:
        return self._sorted((self.labels == true) & (self.predictions == read))

    def row(self, true: int) -> np.ndarray:
        """Every image of digit ``true`` read as something else."""
        return self._sorted((self.labels == true) & ~self.right)

    def column(self, read: int) -> np.ndarray:
        """Every image read as ``read`` that is another digit."""
        return self._sorted((self.predictions == read) & ~self.right)

    def reject_curve(self, thresholds: np.ndarray | None = None) -> RejectCurve:
        """Answer only when the top probability reaches the threshold, else "not sure":
        the share answered (coverage) and the accuracy on those, per threshold."""
        thresholds = np.linspace(0.0, 0.99, 100) if thresholds is None else np.asarray(thresholds)
        order = np.argsort(self.confidence, kind="stable")
        first_answered = np.searchsorted(self.confidence[order], thresholds, side="left")
        counts = len(self) - first_answered
        right_from = np.append(np.cumsum(self.right[order][::-1])[::-1], 0)
        right = right_from[first_answered]
        with np.errstate(invalid="ignore", divide="ignore"):
            accuracy = np.where(counts > 0, right / np.maximum(counts, 1), np.nan)
        return RejectCurve(thresholds, counts / len(self), accuracy, counts)

    def summary(self, pairs: int = 10) -> dict:
        """Plain data for ``--json`` and the tests: what the tab shows."""
        return {
            "data_set": self.data.source,
            "samples": len(self),
            "correct": self.correct,
            "accuracy": self.accuracy,
            "per_digit_accuracy": [None if np.isnan(v) else float(v)
                                   for v in self.per_digit_accuracy()],
            "mean_confidence_right": self.mean_confidence(True),
            "mean_confidence_wrong": self.mean_confidence(False),
            "confident_errors": self.confident_errors(),
            "confusion": self.confusion().tolist(),
            "confused_pairs": [{"true": p.true, "read": p.read, "count": p.count}
                               for p in self.confused_pairs(pairs)],
        }


@dataclass(frozen=True)
class RejectCurve:
    thresholds: np.ndarray
    coverage: np.ndarray
    accuracy: np.ndarray
    answered: np.ndarray

    def at(self, threshold: float) -> tuple[float, float]:
        """(coverage, accuracy) at the nearest threshold of the curve."""
        i = int(np.abs(self.thresholds - threshold).argmin())
        return float(self.coverage[i]), float(self.accuracy[i])


def _top_cells(matrix: np.ndarray, limit: int) -> list[ConfusedPair]:
    errors = matrix.copy()
    np.fill_diagonal(errors, 0)
    order = np.argsort(-errors, axis=None, kind="stable")[:limit]
    return [ConfusedPair(int(i // 10), int(i % 10), int(errors.flat[i]))
            for i in order if errors.flat[i] > 0]


class Disagreement:
    """The images one model reads right and the other wrong, with the same questions as an
    :class:`Evaluation`: ``matrix()`` (rows = true digit, columns = what the wrong model
    read), ``cell``, ``row``, ``column`` and ``pairs``."""

    def __init__(self, right: Evaluation, wrong: Evaluation):
        self.right_model, self.wrong_model = right, wrong
        self.mask = right.right & ~wrong.right

    def count(self) -> int:
        return int(self.mask.sum())

    def matrix(self) -> np.ndarray:
        wrong = self.wrong_model
        cells = wrong.labels[self.mask] * 10 + wrong.predictions[self.mask]
        return np.bincount(cells, minlength=100).reshape(10, 10)

    def cell(self, true: int, read: int) -> np.ndarray:
        wrong = self.wrong_model
        return wrong._sorted(self.mask & (wrong.labels == true) & (wrong.predictions == read))

    def row(self, true: int) -> np.ndarray:
        return self.wrong_model._sorted(self.mask & (self.wrong_model.labels == true))

    def column(self, read: int) -> np.ndarray:
        return self.wrong_model._sorted(self.mask & (self.wrong_model.predictions == read))

    def pairs(self, limit: int = 10) -> list[ConfusedPair]:
        return _top_cells(self.matrix(), limit)


class Comparison:
    """Where two models disagree on the same data set: ``side("a")`` holds the images A
    reads right and B wrong, ``side("b")`` the reverse."""

    def __init__(self, a: Evaluation, b: Evaluation):
        if a.data.digest != b.data.digest:
            raise ValueError("the two evaluations are of different data sets")
        self.a, self.b = a, b

    def side(self, which: str) -> Disagreement:
        return Disagreement(self.a, self.b) if which == "a" else Disagreement(self.b, self.a)

    def both_wrong(self) -> int:
        return int((~self.a.right & ~self.b.right).sum())


# ---------------------------------------------------------------------------- running it


def evaluate(classifier, data: DataSet,
             on_progress: Callable[[float], None] | None = None,
             should_stop: Callable[[], bool] | None = None) -> Evaluation:
    """Read every image of ``data`` with ``classifier`` (a :class:`Classifier`: eval mode,
    no gradients), in chunks; ``should_stop`` is checked before each chunk."""
    start = time.perf_counter()
    chunks = []
    for i in range(0, len(data), CHUNK):
        if should_stop is not None and should_stop():
            raise EvaluationCancelled("Evaluation cancelled.")
        chunks.append(classifier.probabilities(data.images[i : i + CHUNK]).astype(np.float32))
        if on_progress is not None:
            on_progress(min(1.0, (i + CHUNK) / len(data)))
    return Evaluation(classifier.name, data, np.concatenate(chunks),
                      seconds=time.perf_counter() - start)


class EvaluationCache:
    """Evaluations by model file content and data set content, in memory and on disk.
    Thread-safe: the worker thread fills it, the GUI thread looks results up. A model file's
    hash is remembered per (path, size, mtime, inode), so a lookup does not reread the file;
    any rewrite changes the inode or the time, and the file is hashed again."""

    def __init__(self, folder: Path | None = None, memory_entries: int = 64):
        self.folder = folder
        self._memory: OrderedDict[tuple, Evaluation] = OrderedDict()
        self._data: dict[tuple[str, str], DataSet] = {}
        self._digests: dict[tuple, str] = {}
        # the stroke reader's readings by (stroke model digest, data digest): a few at most
        self._strokes: dict[tuple[str, str], np.ndarray] = {}
        self._limit = memory_entries
        self._lock = threading.Lock()

    def model_digest(self, path: Path, *, known_only: bool = False) -> str | None:
        """The file's content hash, remembered per (path, size, time, inode); with
        ``known_only``, None rather than reading the file (15 MB: 15-45 ms)."""
        st = os.stat(path)
        stamp = (os.fspath(path), st.st_size, st.st_mtime_ns, st.st_ino)
        with self._lock:
            digest = self._digests.get(stamp)
        if digest is None and not known_only:
            digest = file_digest(path)
            with self._lock:
                self._digests[stamp] = digest
        return digest

    def data_set(self, source: DataSource, data_dir: Path) -> DataSet:
        key = (source.name, os.fspath(data_dir))
        with self._lock:
            data = self._data.get(key)
        if data is None:
            data = load_data_set(source, data_dir)
            with self._lock:
                self._data[key] = data
        return data

    def forget_data_set(self, source: DataSource, data_dir: Path) -> None:
        """Load the set again next time (its files may have changed; results computed on the
        same content are still found by its hash)."""
        with self._lock:
            self._data.pop((source.name, os.fspath(data_dir)), None)

    def loaded_data_set(self, source: DataSource, data_dir: Path) -> DataSet | None:
        with self._lock:
            return self._data.get((source.name, os.fspath(data_dir)))

    def _key(self, path: Path, data: DataSet, stroke_reader=None,
             known_only: bool = False) -> tuple:
        """(model digest, data digest), and the stroke model's digest when its strokes are
        read: a combined evaluation is another entry than the picture's alone."""
        key = (self.model_digest(path, known_only=known_only), data.digest)
        if stroke_reader is not None and data.strokes is not None:
            key += (self.model_digest(stroke_reader.info.path, known_only=known_only),)
        return key

    def peek(self, path: Path, data: DataSet, stroke_reader=None) -> Evaluation | None:
        """The evaluation in memory, if any: never reads the disk nor runs the model, so
        the GUI thread may ask (an evaluation in memory implies its file's hash is known).
        With ``stroke_reader``, the combined one where ``data`` has strokes."""
        try:
            key = self._key(path, data, stroke_reader, known_only=True)
        except OSError:
            return None
        with self._lock:
            found = self._memory.get(key) if None not in key else None
            if found is not None:
                self._memory.move_to_end(key)
            return found

    def _remember(self, key: tuple, evaluation: Evaluation) -> None:
        with self._lock:
            self._memory[key] = evaluation
            while len(self._memory) > self._limit:
                self._memory.popitem(last=False)

    def _disk_path(self, model_digest: str, data: DataSet) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"{model_digest[:32]}-{data.source}-{data.digest[:16]}.npz"

    def _read_disk(self, file: Path | None, path: Path, data: DataSet) -> Evaluation | None:
        """The entry on disk, checked (:func:`~mnistpad.core.evaluation.store.read_entry`)."""
        from mnistpad.core.files.modelfile import read_info

        if file is None:
            return None
        key = entry_key(self.model_digest(path), data.digest)
        probabilities = read_entry(file, key, data.labels)
        if probabilities is None:
            return None
        try:
            name = read_info(path).name
        except MnistpadError:
            return None
        return Evaluation(name, data, probabilities, from_cache=True)

    def _write_disk(self, file: Path | None, path: Path, evaluation: Evaluation) -> None:
        if file is not None:
            write_entry(file, entry_key(self.model_digest(path), evaluation.data.digest),
                        evaluation.probabilities, evaluation.labels)

    def evaluation(self, path: Path, data: DataSet, classifier_for: Callable[[Path], object],
                   on_progress: Callable[[float], None] | None = None,
                   should_stop: Callable[[], bool] | None = None,
                   stroke_reader=None) -> Evaluation:
        """The evaluation of the model file ``path`` on ``data``: from memory, else from
        disk, else computed (``classifier_for(path)`` loads the model) and stored. Give the
        ``stroke_reader`` of a model that reads strokes too: on a data set with strokes, the
        evaluation is then of the combined reading, its parts kept."""
        if stroke_reader is not None and data.strokes is not None:
            return self._combined(path, data, classifier_for, on_progress, should_stop,
                                  stroke_reader)
        digest = self.model_digest(path)
        key = (digest, data.digest)
        found = self.peek(path, data)
        if found is not None:
            return found
        file = self._disk_path(digest, data)
        found = self._read_disk(file, path, data)
        if found is None:
            found = evaluate(classifier_for(path), data, on_progress, should_stop)
            self._write_disk(file, path, found)
        self._remember(key, found)
        return found

    def _combined(self, path: Path, data: DataSet, classifier_for, on_progress, should_stop,
                  stroke_reader) -> Evaluation:
        """The picture's evaluation (cached as any), the stroke reader's readings (kept in
        memory by its file's digest) and their combination (kept by both)."""
        key = self._key(path, data, stroke_reader)
        found = self.peek(path, data, stroke_reader)
        if found is not None:
            return found
        picture = self.evaluation(path, data, classifier_for, on_progress, should_stop)
        with self._lock:
            strokes = self._strokes.get((key[2], data.digest))
        if strokes is None:
            strokes = stroke_readings(stroke_reader, data.strokes, should_stop=should_stop)
            with self._lock:
                self._strokes[(key[2], data.digest)] = strokes
        combination = combination_of(stroke_reader)
        found = Evaluation(picture.model, data,
                           combined(picture.probabilities, strokes, combination),
                           seconds=picture.seconds, from_cache=picture.from_cache,
                           parts=EvaluationParts(picture, strokes, stroke_reader.name,
                                                 combination))
        self._remember(key, found)
        return found


def default_cache_dir() -> Path:
    from mnistpad.core.platform.paths import user_dir

    return user_dir() / "cache" / "evaluate"
