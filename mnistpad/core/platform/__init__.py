"""Where mnistpad lives on a machine: its folders and places, the remembered choices, the
log, the desktop launcher, errors a user can act on, lazy imports and image limits.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "config",
    "desktop",
    "display",
    "errors",
    "image_limits",
    "lazy",
    "log",
    "paths",
    "places",
]
