"""The Inside view: every layer of the active model reading the current drawing.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "panel",
    "parts",
]
