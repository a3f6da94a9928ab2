"""The stroke reader network's shape, without torch (the variant table counts its parameters
from it, before torch is loaded; :mod:`mnistpad.core.strokes.network` builds it)."""

WIDTHS = (64, 96, 128, 128)
KERNELS = (5, 5, 3, 3)
POOL_AFTER = (1, 3)  # max-pool by 2 after these convolutions (0-based)
