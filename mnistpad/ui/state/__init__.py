"""The app's one state, observed by every view, and the one runner of background jobs.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "app_state",
    "jobs",
    "loader",
    "model_text",
    "notifying",
    "reading",
    "remembered",
]
