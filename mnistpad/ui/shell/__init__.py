"""The window around the views: the main window, its menus and actions, the model
picker, dialogs and start-up.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "app",
    "app_log",
    "code_dialog",
    "file_actions",
    "folder_actions",
    "handwriting",
    "help_dialogs",
    "main_window",
    "model_picker",
    "runtime",
    "settings",
    "views",
    "window_actions",
]
