"""Model files on disk: the safetensors header read bounded, the model file with its
metadata, its recorded figures, where a new file goes, and reading outside files safely.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "figures",
    "header",
    "measure",
    "modelfile",
    "numbers",
    "outputs",
    "outside",
]
