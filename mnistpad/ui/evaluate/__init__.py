"""The Evaluate tab: where a model goes wrong, one click from the numbers to the digits.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "job",
    "panel",
    "plots",
    "results",
    "summary",
]
