"""Files on disk: the one atomic write every file goes through, the safetensors header read
bounded, the model file with its metadata, its recorded figures, where a new file goes, and
reading outside files safely.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "atomic",
    "figures",
    "header",
    "measure",
    "modelfile",
    "numbers",
    "outputs",
    "outside",
]
