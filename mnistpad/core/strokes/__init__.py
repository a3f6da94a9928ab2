"""A drawing's strokes: drawn into pixels as the canvas draws them, stray marks left out,
and the stroke reader (its features, network, files, training and how it joins the picture).

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "combination",
    "features",
    "files",
    "network",
    "network_shape",
    "reader",
    "readers",
    "renderer",
    "stray",
    "training",
]
