"""The Train tab: the form, the runs, and the training job.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "form",
    "job",
    "panel",
    "runs",
]
