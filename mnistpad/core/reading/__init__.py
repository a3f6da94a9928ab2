"""Reading a digit: with torch (classify) or without it (numpy), and a drawing that grows a
stroke at a time.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "classify",
    "drawing_reader",
    "npreader",
]
