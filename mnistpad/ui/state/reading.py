"""The drawing and its reading, as the app state holds them: one value, replaced whole."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    """The app state's drawing and its reading, one notifying field replaced as a whole (one
    ``readingChanged`` per reading, not one per part): ``pixels`` as the model sees it (28x28
    in [0, 1], or None), its pen ``strokes`` (None for a picture), the active model's
    ``probabilities`` (or None) and, for a model that reads the strokes too, the reading in
    ``parts`` (picture, strokes; else None)."""

    pixels: object = None
    strokes: object = None
    probabilities: object = None
    parts: object = None
