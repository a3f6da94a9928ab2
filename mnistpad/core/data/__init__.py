"""The digits mnistpad reads and learns from: MNIST, the real pen-drawn digits, the user's
samples, and turning a drawing or an image into MNIST's 28x28 pixels.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "blobs",
    "drawn_cache",
    "mnist",
    "pendigits",
    "preprocess",
    "samples",
    "sources",
    "torchvision_check",
]
