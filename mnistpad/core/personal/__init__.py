"""Your handwriting: a personal copy of a model fine-tuned on your samples, the picture's
and the strokes', kept honest by its checks and saved as one pair.

The entry point, for the command and the window alike::

    base = load_base(path)                       # a personal model's base, never itself
    pair = personalize(base, Samples(images, labels, drawings), seed=0)
    save(pair, out, replace=False)
    facts = summary(pair)

The modules: :mod:`~.pair` (the entry point, and saving both files as one), :mod:`~.tuning`
(the one fine-tuning loop and its held-out check), :mod:`~.image` and :mod:`~.strokes` (what
differs for the image model and the stroke reader), :mod:`~.checks` (what keeps it honest).
Importing this package does not import torch (the window loads it only after it is on
screen); personalizing does.
"""

from mnistpad.core.personal.checks import load_base
from mnistpad.core.personal.pair import (
    PersonalPair,
    Samples,
    check_target,
    personalize,
    save,
    summary,
)
from mnistpad.core.personal.tuning import STEPS
from mnistpad.core.strokes.files import personal_stroke_path, reads_strokes

__all__ = [
    "STEPS",
    "PersonalPair",
    "Samples",
    "check_target",
    "load_base",
    "personal_stroke_path",
    "personalize",
    "reads_strokes",
    "save",
    "summary",
]
