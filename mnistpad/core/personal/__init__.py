"""Your handwriting: a personal copy of a model fine-tuned on your samples, the picture's
and the strokes', kept honest by its checks and saved as one pair.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "checks",
    "image",
    "pair",
    "strokes",
]
