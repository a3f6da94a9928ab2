"""Training: the one loop the CLI and the window share, its time left, its threads, and
the imports warmed up ahead of it.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "eta",
    "probe",
    "threads",
    "train",
    "warmup",
]
