"""Your handwriting for the default model: its image model and its stroke reader, together.

The default model reads a drawing with both (:mod:`mnistpad.core.stroke_combination`), so
personalizing it fine-tunes both on the same samples: the image model on their pictures
(:mod:`mnistpad.core.personal`), the stroke reader on their strokes
(:mod:`mnistpad.core.personal_strokes`). The held-out figure a user sees is the combination's,
the one the app reads with: each part's held-out readings (the same newest sample of each
digit, read by a fine-tune that did not see it) combined by the stroke model's recorded rule.
Any other model is personalized from its pictures alone. Both files are written only when
both fine-tunes have finished: a cancel or a failure leaves the old ones as they were.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnistpad.core.errors import MnistpadError
from mnistpad.core.stroke_files import personal_stroke_path, reads_strokes

# the image part's share of the progress bar (its steps are slower, and it measures MNIST)
IMAGE_SHARE = 0.6
# why the stroke reader was not personalized (``PersonalPair.strokes_skipped``)
NO_STROKES = "no-strokes"  # no sample has strokes with a path (pictures from image files)


@dataclass
class PersonalPair:
    """What personalizing made: the image part (a :class:`~personal.Personalized`), and
    for the default model its stroke reader's (a :class:`~personal_strokes.
    PersonalizedStrokes`, or None with ``strokes_skipped`` saying why)."""

    image: object
    strokes: object | None = None
    strokes_skipped: str = ""  # NO_STROKES, or the one-line reason it failed


def personalize_pair(base, images: np.ndarray, labels: np.ndarray,
                     drawings: Sequence[Sequence | None] | None = None, *,
                     stroke_base=None, steps: int | None = None, seed: int = 0,
                     should_stop: Callable[[], bool] | None = None,
                     on_progress: Callable[[float], None] | None = None) -> PersonalPair:
    """Fine-tune ``base`` (a loaded image model) on the samples' pictures and, when it reads
    strokes, ``stroke_base`` (default: the default stroke reader) on their strokes
    (``drawings``, one per sample, None for a sample without strokes)."""
    from mnistpad.core.personal import STEPS, personalize

    steps = STEPS if steps is None else steps
    share = IMAGE_SHARE if reads_strokes(base.info) and drawings is not None else 1.0

    def image_progress(fraction: float) -> None:
        if on_progress is not None:
            on_progress(share * fraction)

    image = personalize(base, images, labels, steps=steps, seed=seed, should_stop=should_stop,
                        on_progress=image_progress)
    pair = PersonalPair(image)
    if not reads_strokes(base.info):
        return pair
    from mnistpad.core.personal_strokes import personalize_strokes, usable_rows

    if drawings is None or not len(usable_rows(drawings, labels)[1]):
        pair.strokes_skipped = NO_STROKES
        return pair
    from mnistpad.core.stroke_reader import StrokeReader

    def stroke_progress(fraction: float) -> None:
        if on_progress is not None:
            on_progress(share + (1.0 - share) * fraction)

    try:
        reader = stroke_base if stroke_base is not None else StrokeReader.from_file()
    except MnistpadError as exc:  # no stroke reader that loads: the picture alone
        pair.strokes_skipped = str(exc)
        return pair
    pair.strokes = personalize_strokes(reader, drawings, labels, steps=steps, seed=seed,
                                       should_stop=should_stop, on_progress=stroke_progress)
    return pair


def save_pair(pair: PersonalPair, path: str | os.PathLike) -> Path:
    """Write the personal image model to ``path`` and its stroke reader beside it
    (:func:`~mnistpad.core.stroke_files.personal_stroke_path`); a stroke reader saved with
    an earlier personal model of that name is removed when this one has none, so that it
    never reads with a model it was not made with. Returns the image model's path."""
    from mnistpad.core.personal import save_personal

    path = Path(path)
    saved = save_personal(pair.image, path)
    stroke_path = personal_stroke_path(saved)
    if pair.strokes is not None:
        from mnistpad.core.personal_strokes import save_personal_strokes

        save_personal_strokes(pair.strokes, stroke_path, image_model=saved.name)
    else:
        stroke_path.unlink(missing_ok=True)
    return saved


def combined_held_out(pair: PersonalPair, labels: np.ndarray) -> dict | None:
    """The held-out figure of the two parts read together, as the app reads: before (base
    readers) and after (the trial fine-tunes); None when the parts did not hold out the same
    samples (some samples have no strokes) or nothing was held out."""
    from mnistpad.core.stroke_combination import Combination

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


def pair_summary(pair: PersonalPair, labels: np.ndarray) -> dict:
    """:func:`mnistpad.core.personal.summary` of the image part, and for the default model a
    ``strokes`` entry: the stroke reader's held-out and pen-digit figures, the combination's
    held-out figure, or why the strokes were not learned from."""
    from mnistpad.core.personal import summary

    facts = summary(pair.image)
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
