"""The Draw tab: the canvas, the reading, and teaching mnistpad your handwriting.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "canvas",
    "reading",
    "teach",
    "view",
]
