"""The lesson views: Activations, the optimizer race and 2-D playground, and Your Net with
its leaderboard.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "activations_panel",
    "design_tab",
    "leaderboard",
    "net_editor",
    "playground",
    "race_panel",
    "race_tab",
]
