"""Where a model goes wrong: readings of a data set and what follows from them, the
default's parts, the Evaluate cache and the leaderboard.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "evaluate",
    "leaderboard",
    "parts",
    "store",
]
