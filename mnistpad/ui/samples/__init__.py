"""The Samples tab: your labelled drawings, and personalizing a model on them.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "base",
    "panel",
    "text",
]
