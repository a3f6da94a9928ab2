"""Where stroke models live, and which one reads with which image model; no torch.

Stroke models live in a ``strokes/`` folder beside the image models (shipped:
``models/strokes/strokes.safetensors``; trained: ``<user data folder>/models/strokes/``), so
that the catalog of image models, whose every file reads 28x28 pixels, never lists them. A
personal copy of the default model has its own personal stroke reader, fine-tuned on the same
samples, in the ``strokes/`` folder beside it under the same file name
(:func:`personal_stroke_path`); :func:`stroke_model_for` picks the one to read with, and
reads with a personal stroke reader only when the image model records its content hash: two
saves that crossed, or one cut short, never pair an image model with another run's reader.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from mnistpad.core.files.modelfile import SUFFIX, ModelInfo
from mnistpad.core.platform.paths import shipped_models_dir, user_models_dir

FOLDER = "strokes"
NAME = "strokes"
# in a personal image model's "personal" record: the SHA-256 of the stroke reader saved with
# it (None: saved without one); see mnistpad.core.personal.save
PARTNER_KEY = "stroke_reader_sha256"

log = logging.getLogger("mnistpad.strokes")
_DIGESTS: dict[tuple, str] = {}
_WARNED: set[str] = set()


def shipped_stroke_model() -> Path:
    return shipped_models_dir() / FOLDER / f"{NAME}{SUFFIX}"


def user_stroke_models_dir() -> Path:
    return user_models_dir() / FOLDER


def default_stroke_model() -> Path:
    """The stroke model to read with: the user's own ``strokes`` if trained, else the
    shipped one."""
    own = user_stroke_models_dir() / f"{NAME}{SUFFIX}"
    return own if own.is_file() else shipped_stroke_model()


def reads_strokes(info: ModelInfo | None) -> bool:
    """Whether ``info`` reads a drawing's strokes besides its picture: the default model (and
    a personal copy of it); the lab variants stay image-only, as the lecture's lessons."""
    from mnistpad.core.models.specs import DEFAULT_VARIANT

    return info is not None and info.variant == DEFAULT_VARIANT


def personal_stroke_path(image_model: str | os.PathLike) -> Path:
    """The personal stroke reader that goes with the personal image model at
    ``image_model``: ``strokes/<same file name>`` beside it."""
    image_model = Path(image_model)
    return image_model.parent / FOLDER / image_model.name


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a regular file's content, read bounded (:func:`~mnistpad.core.files.outside.
    read_regular`); a :class:`~mnistpad.core.platform.errors.MnistpadError` when it cannot be
    read."""
    from mnistpad.core.files.header import MAX_FILE
    from mnistpad.core.files.outside import read_regular

    return hashlib.sha256(read_regular(path, MAX_FILE)).hexdigest()


def _sha256(path: Path) -> str | None:
    """:func:`file_sha256`, remembered per version of the file (a stroke model is read for
    every model the window reads with; this is asked each time), None when unreadable."""
    from mnistpad.core.platform.errors import MnistpadError

    try:
        st = os.stat(path)
    except OSError:
        return None
    stamp = (os.fspath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if stamp not in _DIGESTS:
        try:
            digest = file_sha256(path)
        except MnistpadError:
            return None
        if len(_DIGESTS) >= 64:
            _DIGESTS.clear()
        _DIGESTS[stamp] = digest
    return _DIGESTS[stamp]


def _own_reader(info: ModelInfo | None) -> tuple[Path | None, str | None]:
    """(the personal stroke reader saved with personal image model ``info``, or None; why
    the one beside it is not read with it, or None). The image model records its partner's
    content hash (:data:`PARTNER_KEY`); a stroke reader with another hash was saved with
    another version of the model (saves that crossed, or one cut short), and reading a drawing
    with it would combine two runs. A file from before partners were recorded has no key, and
    is read with the stroke reader beside it, as it was then; a key set to None means the
    model was saved without one."""
    from mnistpad.core.personal.checks import personal_record

    record = personal_record(info) if info is not None else None
    if record is None:
        return None, None
    own = personal_stroke_path(info.path)
    if not own.is_file() or (PARTNER_KEY in record and record[PARTNER_KEY] is None):
        return None, None
    if PARTNER_KEY in record and record[PARTNER_KEY] != _sha256(own):
        return None, (f"{own}: not the stroke reader saved with {info.path.name} (two saves "
                      f"crossed, or one was cut short); the default stroke reader reads with "
                      f"it instead: personalize it again to pair them")
    return own, None


def pair_problem(info: ModelInfo | None) -> str | None:
    """Why the personal stroke reader beside ``info`` is not read with it, in one line; None
    when it is, or when there is none."""
    return _own_reader(info)[1]


def stroke_model_for(info: ModelInfo | None) -> Path:
    """The stroke model that reads with image model ``info``: the personal stroke reader
    saved with it when ``info`` is a personal model that has one, else the default (a
    stroke reader beside it that was not saved with it is logged, once, and not used)."""
    own, problem = _own_reader(info)
    if problem is not None and problem not in _WARNED:
        _WARNED.add(problem)
        log.warning("%s", problem)
    return own or default_stroke_model()
