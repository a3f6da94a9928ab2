"""The data sets the Evaluate tab and ``mnistpad eval`` read: a small registry of sources,
each naming a loader of 28x28 float32 images in [0, 1] with int labels, a cheap check of why
it cannot be used, a fingerprint of its content (see :mod:`mnistpad.core.evaluation.evaluate`) and,
for
drawings that have them, their pen strokes (the default model reads those too)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnistpad.core.platform.errors import MnistpadError

Images = np.ndarray  # (N, 28, 28) float32 in [0, 1]
Labels = np.ndarray  # (N,) int64 in 0..9


# ---------------------------------------------------------------------------- data sources


@dataclass(frozen=True)
class DataSource:
    """A data set to evaluate on. ``load(data_dir)`` returns (images, labels) or raises
    :class:`MnistpadError` with the reason; ``problem(data_dir)`` says cheaply (no loading)
    why it cannot be used, or None when it looks usable. ``fingerprint(data_dir)``, when
    given, names the set's current content more cheaply than hashing its pixels (the files'
    sizes and times, a version); without it, the loaded arrays are hashed. ``strokes(data_dir)``,
    for drawings recorded as strokes, returns each drawing's pen strokes ((N, 2) arrays in
    canvas pixels, y down) in the images' order, with their labels (checked against the
    images' when the set is loaded); a source of pictures alone has none."""

    name: str
    label: str
    load: Callable[[Path], tuple[Images, Labels]]
    problem: Callable[[Path], str | None] = lambda data_dir: None
    fingerprint: Callable[[Path], str] | None = None
    strokes: Callable[[Path], tuple[list, Labels]] | None = None


def _mnist_test(data_dir: Path) -> tuple[Images, Labels]:
    from mnistpad.core.data.mnist import load_test_split

    split = load_test_split(data_dir)
    return split.images.reshape(-1, 28, 28).numpy(), split.labels.numpy()


def _mnist_test_problem(data_dir: Path) -> str | None:
    from mnistpad.core.data.mnist import missing_test_files, raw_folder

    missing = missing_test_files(data_dir)
    return f"missing {', '.join(missing)} in {raw_folder(data_dir)}" if missing else None


def _mnist_test_fingerprint(data_dir: Path) -> str:
    """The two test files' sizes and modification times: hashing 31 MB of pixels on every
    first evaluation of a session cost more than reading them."""
    from mnistpad.core.data.mnist import EXPECTED_FILES, idx_file, raw_folder

    paths = [idx_file(raw_folder(data_dir), n) for n in EXPECTED_FILES[2:]]
    if None in paths:  # the loader says what is missing
        raise FileNotFoundError(f"no MNIST test files in {raw_folder(data_dir)}")
    stats = [os.stat(path) for path in paths]
    return " ".join(f"{st.st_size}:{st.st_mtime_ns}" for st in stats)


def _writers(data_dir: Path) -> tuple[Images, Labels]:
    from mnistpad.core.data.pendigits import development_split

    split = development_split()
    return split.images.reshape(-1, 28, 28).numpy(), split.labels.numpy()


def _writers_strokes(data_dir: Path) -> tuple[list, Labels]:
    """The strokes the pictures of :func:`_writers` were drawn from (the same placement on
    the canvas), in the same order."""
    from mnistpad.core.data.pendigits import DEVELOPMENT_WRITERS, by_writers, to_canvas

    digits = by_writers(DEVELOPMENT_WRITERS)
    return [to_canvas(d) for d in digits], np.asarray([d.label for d in digits], np.int64)


def _writers_fingerprint(data_dir: Path) -> str:
    """The pen-digit file and the code that draws it: the same drawings while both stay."""
    from mnistpad.core.data import pendigits
    from mnistpad.core.data.drawn_cache import drawing_key

    return drawing_key(pendigits.DATA_FILE, pendigits.SIZES["full"])


def _my_samples(data_dir: Path) -> tuple[Images, Labels]:
    from mnistpad.core.data.samples import load_sample_folder, samples_dir

    images, labels, _ = load_sample_folder(samples_dir(), problems=[])  # skip bad ones
    return images, labels


def _my_samples_strokes(data_dir: Path) -> tuple[list, Labels]:
    """Each sample's pen strokes (none for a sample without them, or one the eraser touched:
    its strokes no longer say what is in its picture, so the picture is read alone)."""
    from mnistpad.core.data.samples import load_sample_folder, sample_strokes, samples_dir

    _, labels, paths = load_sample_folder(samples_dir(), problems=[])
    drawings = []
    for path in paths:
        strokes = sample_strokes(path) or []
        erased = any(s.erase for s in strokes)
        drawings.append([] if erased else [s.points for s in strokes])
    return drawings, labels


def _my_samples_problem(data_dir: Path) -> str | None:
    from mnistpad.core.data.samples import list_samples

    return None if list_samples() else "no samples yet: label drawings on the Draw tab"


SOURCES: list[DataSource] = [
    DataSource("mnist-test", "MNIST test", _mnist_test, _mnist_test_problem,
               _mnist_test_fingerprint),
    DataSource("writers", "Drawn digits of writers 25-30", _writers,
               fingerprint=_writers_fingerprint, strokes=_writers_strokes),
    DataSource("my-samples", "Your own samples", _my_samples, _my_samples_problem,
               strokes=_my_samples_strokes),
]


def find_source(name: str, sources: list[DataSource] | None = None) -> DataSource:
    sources = SOURCES if sources is None else sources
    for source in sources:
        if source.name == name:
            return source
    known = ", ".join(s.name for s in sources)
    raise MnistpadError(f"no data set named '{name}' (data sets: {known})")
