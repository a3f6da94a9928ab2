"""Which model personalizing starts from. A personal model is never personalized again (that
would fine-tune on the same samples twice and name the result "x-personal-personal"): its
base, which the file's "personal" metadata names
(:func:`mnistpad.core.personal.image.save_personal`),
is personalized instead, and the new file replaces the old personal model."""

from __future__ import annotations

from collections.abc import Callable

from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.personal.checks import personal_record


def base_name(info: ModelInfo) -> str | None:
    """The name of the model ``info`` was personalized from; None for a model that is not a
    personal one."""
    record = personal_record(info)
    return None if record is None else record.get("base")


def personalize_from(info: ModelInfo | None,
                     find: Callable[[str], ModelInfo | None]) -> ModelInfo | None:
    """The model to fine-tune when ``info`` is active: ``info`` itself, or its base (looked up
    by name with ``find``; None when that base is not listed)."""
    if info is None:
        return None
    base = base_name(info)
    return info if base is None else find(base)
