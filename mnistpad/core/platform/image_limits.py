"""Pillow's warning for an image over its size limit, left out where mnistpad says it better.

mnistpad refuses an image over its own, smaller pixel limit (checked from the header, before
decoding) in one line naming the file; Pillow's warning for an image over *its* limit would
only repeat that, as a Python warning on the console. The programs (the window and the command
line) leave it out once, at start, in the main thread (:func:`quiet_size_warning`): a filter
swapped around each read (``warnings.catch_warnings``) is swapped for every thread at once,
and a read runs in a job's thread. No Pillow import here: ``mnistpad --help`` stays fast.
"""

from __future__ import annotations

import warnings

# The start of Pillow's warning (and error) for an image over its limits, with the size
PILLOW_SIZE_MESSAGE = r"Image size \((\d+) pixels\) exceeds limit"


def quiet_size_warning() -> None:
    """Leave out Pillow's size warning for the whole process (call once, at start)."""
    warnings.filterwarnings("ignore", message=PILLOW_SIZE_MESSAGE, category=RuntimeWarning)
