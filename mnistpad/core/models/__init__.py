"""What a network is: the lab variants as specs, their layers, the one builder, and
finding saved models (the catalog and the active model).

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "active",
    "layers",
    "registry",
    "specs",
    "variants",
]
