"""Your handwriting for the default model: its image model and its stroke reader, together.

The default model reads a drawing with both (:mod:`mnistpad.core.strokes.combination`), so
personalizing it fine-tunes both on the same samples: the image model on their pictures
(:mod:`mnistpad.core.personal.image`), the stroke reader on their strokes
(:mod:`mnistpad.core.personal.strokes`). The held-out figure a user sees is the combination's,
the one the app reads with: each part's held-out readings (the same newest sample of each
digit, read by a fine-tune that did not see it) combined by the stroke model's recorded rule.
Any other model is personalized from its pictures alone. Both files are written only when
both fine-tunes have finished, as one (:func:`save`): a cancel, a failure or a kill
leaves the old ones as they were, or a pair the readers see is not one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnistpad.core.personal.tuning import STEPS
from mnistpad.core.platform.errors import MnistpadError, SaveError
from mnistpad.core.strokes.files import personal_stroke_path, reads_strokes

# the image part's share of the progress bar (its steps are slower, and it measures MNIST)
IMAGE_SHARE = 0.6
# why the stroke reader was not personalized (``PersonalPair.strokes_skipped``)
NO_STROKES = "no-strokes"  # no sample has strokes with a path (pictures from image files)
# the staging folders of personal stroke readers being saved (beside them, in strokes/)
STAGING_PREFIX = ".pair-"


@dataclass
class Samples:
    """What personalizing learns from: pictures ((N, 28, 28) or (N, 784), ink 0-1), their
    labels, and for each the strokes it was drawn with (None for a sample without strokes,
    one read from an image file); ``drawings`` None: no strokes are known."""

    images: np.ndarray
    labels: np.ndarray
    drawings: Sequence[Sequence | None] | None = None

    def __post_init__(self) -> None:
        self.labels = np.asarray(self.labels, dtype=np.int64)


@dataclass
class PersonalPair:
    """What personalizing made: the image part (a :class:`~image.Personalized`), and for the
    default model its stroke reader's (a :class:`~strokes.PersonalizedStrokes`, or None with
    ``strokes_skipped`` saying why), with the labels of the samples it learned from."""

    image: object
    strokes: object | None = None
    strokes_skipped: str = ""  # NO_STROKES, or the one-line reason it failed
    labels: np.ndarray | None = None


def personalize(base, samples: Samples, *, stroke_base=None, steps: int | None = None,
                seed: int = 0, should_stop: Callable[[], bool] | None = None,
                on_progress: Callable[[float], None] | None = None) -> PersonalPair:
    """Fine-tune ``base`` (a loaded image model that is not personal:
    :func:`~mnistpad.core.personal.checks.load_base`) on the samples' pictures and, when it
    reads strokes, ``stroke_base`` (default: the default stroke reader) on their strokes.
    ``steps`` (default :data:`~mnistpad.core.personal.tuning.STEPS`) and ``seed`` are each
    part's; ``on_progress`` gets the fraction of both done, ``should_stop`` cancels
    (:class:`~mnistpad.core.platform.errors.TrainingCancelled`)."""
    from mnistpad.core.personal.image import personalize as personalize_image

    steps = STEPS if steps is None else steps
    both = reads_strokes(base.info) and samples.drawings is not None
    share = IMAGE_SHARE if both else 1.0
    image = personalize_image(base, samples.images, samples.labels, steps=steps, seed=seed,
                              should_stop=should_stop,
                              on_progress=_scaled(on_progress, 0.0, share))
    pair = PersonalPair(image, labels=samples.labels)
    if reads_strokes(base.info):
        _personalize_strokes(pair, samples, stroke_base, steps=steps, seed=seed,
                             should_stop=should_stop,
                             on_progress=_scaled(on_progress, share, 1.0 - share))
    return pair


def _scaled(on_progress: Callable[[float], None] | None, start: float, share: float
            ) -> Callable[[float], None]:
    """``on_progress`` of one part: its fraction done is ``share`` of the whole, from
    ``start``."""
    def report(fraction: float) -> None:
        if on_progress is not None:
            on_progress(start + share * fraction)
    return report


def _personalize_strokes(pair: PersonalPair, samples: Samples, stroke_base, **tuning) -> None:
    """The stroke part of ``pair``, or why there is none (``pair.strokes_skipped``)."""
    from mnistpad.core.personal.strokes import personalize_strokes, usable_rows

    if samples.drawings is None or not len(usable_rows(samples.drawings, samples.labels)[1]):
        pair.strokes_skipped = NO_STROKES
        return
    from mnistpad.core.strokes.reader import StrokeReader

    try:
        reader = stroke_base if stroke_base is not None else StrokeReader.from_file()
    except MnistpadError as exc:  # no stroke reader that loads: the picture alone
        pair.strokes_skipped = str(exc)
        return
    pair.strokes = personalize_strokes(reader, samples.drawings, samples.labels, **tuning)


def save(pair: PersonalPair, path: str | os.PathLike, replace: bool = True) -> Path:
    """Write the personal image model to ``path`` and its stroke reader beside it
    (:func:`~mnistpad.core.strokes.files.personal_stroke_path`) as one; returns the image
    model's path. Without ``replace``, an existing ``path`` is refused.

    Under the folder's lock (:func:`folder_lock`), so that two saves never interleave and the
    no-replace rule is checked where the file is written: the stroke reader is written first
    under a staging folder, the image model (recording the stroke reader's SHA-256) is renamed
    into place, then the stroke reader. A failure or a kill before the image model's rename
    leaves the old pair; after it, the new image model with the old reader, which the readers
    see is not its partner (:func:`~mnistpad.core.strokes.files.stroke_model_for`). A model
    saved without a stroke reader records none, and one left from an earlier save is
    removed."""
    from mnistpad.core.personal.image import save_personal
    from mnistpad.core.strokes.files import file_sha256

    path = Path(path)
    stroke_path = personal_stroke_path(path)
    with folder_lock(path):
        check_target(path, replace)
        staged = None if pair.strokes is None else _stage(pair.strokes, stroke_path, path.name)
        try:
            partner = None if staged is None else file_sha256(staged)
            saved = save_personal(pair.image, path, stroke_reader_sha256=partner)
            _put_stroke_reader(staged, stroke_path)
        finally:
            if staged is not None:
                shutil.rmtree(staged.parent, ignore_errors=True)
    return saved


def check_target(path: Path, replace: bool) -> None:
    """Refuse, in one line naming ``path``, to write over a shipped model, over anything
    that is not a file, or over an existing file unless ``replace``."""
    from mnistpad.core.files.outputs import OutputState, output_state

    state = output_state(path)
    if state is OutputState.SHIPPED:
        raise MnistpadError(f"{path}: a shipped model; mnistpad never writes over it (choose "
                            f"another --out)")
    if state is OutputState.NOT_A_FILE:
        raise MnistpadError(f"{path}: exists and is not a model file; choose another --out")
    if state is OutputState.EXISTS and not replace:
        raise MnistpadError(f"{path}: exists; add --replace to replace it, or choose another "
                            f"--out")


@contextlib.contextmanager
def folder_lock(path: Path):
    """Hold the lock of ``path``'s folder while the block runs: ``flock`` on the folder
    itself, so that no lock file is left among the models; the system drops it when the
    holder dies, even by kill -9. Where there is no such lock (Windows; a network file
    system may refuse one on a folder) the block runs unlocked: the rules are still checked
    where the files are written, and a crossed pair is still seen by its readers."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"cannot save {path}: {exc.strerror or exc}") from None
    fd = None
    try:
        import fcntl

        fd = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        fcntl.flock(fd, fcntl.LOCK_EX)
    except (ImportError, OSError) as exc:
        logging.getLogger("mnistpad.personal").info("saving %s unlocked: %s", path, exc)
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def _stage(strokes, stroke_path: Path, image_name: str) -> Path:
    """The personal stroke reader written under a fresh staging folder beside
    ``stroke_path``, under its own file name (its name in the file is the file's stem);
    staging folders an earlier save left (it died) are removed first: the caller holds the
    folder's lock, so no save is using them."""
    from mnistpad.core.personal.strokes import save_personal_strokes

    try:
        stroke_path.parent.mkdir(parents=True, exist_ok=True)
        for stale in stroke_path.parent.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)
        folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=stroke_path.parent))
    except OSError as exc:
        raise SaveError(f"cannot save {stroke_path}: {exc.strerror or exc}") from None
    try:
        return save_personal_strokes(strokes, folder / stroke_path.name, image_model=image_name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _put_stroke_reader(staged: Path | None, stroke_path: Path) -> None:
    """Rename the staged stroke reader into place, or remove the one of an earlier save."""
    try:
        if staged is None:
            stroke_path.unlink(missing_ok=True)
        else:
            os.replace(staged, stroke_path)
    except OSError as exc:
        raise SaveError(f"cannot save {stroke_path}: {exc.strerror or exc}") from None


def combined_held_out(pair: PersonalPair, labels: np.ndarray) -> dict | None:
    """The held-out figure of the two parts read together, as the app reads: before (base
    readers) and after (the trial fine-tunes); None when the parts did not hold out the same
    samples (some samples have no strokes) or nothing was held out."""
    from mnistpad.core.strokes.combination import Combination

    image, strokes = pair.image, pair.strokes
    if strokes is None or image.held_rows is None or strokes.held_rows is None \
            or not np.array_equal(image.held_rows, strokes.held_rows):
        return None
    combination = Combination.from_metadata(strokes.base.info.metadata.get("combination"))
    truth = np.asarray(labels)[image.held_rows]

    def right(image_probs, stroke_probs) -> int:
        return int((combination.apply(image_probs, stroke_probs).argmax(1) == truth).sum())

    return {"count": len(truth),
            "before": right(image.held_probs_before, strokes.held_probs_before),
            "after": right(image.held_probs_after, strokes.held_probs_after)}


def summary(pair: PersonalPair, labels: np.ndarray | None = None) -> dict:
    """What personalizing measured, as data for a view or a command to word:
    :func:`mnistpad.core.personal.image.summary` of the image part, and for the default model a
    ``strokes`` entry: the stroke reader's held-out and pen-digit figures, the combination's
    held-out figure, or why the strokes were not learned from. ``labels``: the samples'
    (default: those ``pair`` recorded)."""
    from mnistpad.core.personal.image import summary as image_summary

    labels = pair.labels if labels is None else labels
    facts = image_summary(pair.image)
    if pair.strokes is None:
        if pair.strokes_skipped:
            facts["strokes"] = {"skipped": pair.strokes_skipped}
        return facts
    s = pair.strokes
    facts["strokes"] = {
        "samples": sum(s.per_digit), "held_out": s.held_out,
        "before": s.before, "after": s.after,
        "pen_before": s.pen_before, "pen_after": s.pen_after,
        "combined": combined_held_out(pair, labels),
    }
    return facts
