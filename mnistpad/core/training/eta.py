"""Time left in a training run, from a moving window of its recent progress.

The first batches of a run are slower than the rest (allocations, caches warming up) and
each epoch ends with a test-set pass, so an estimate from the whole run so far, or from the
last few batches, swings widely early on. This one uses the progress of the last
``window_s`` seconds (at least one whole epoch once one has ended, so that its test pass is
counted) and gives no figure at all until ``settle_s`` seconds of progress are in.
"""

from __future__ import annotations

import math
from collections import deque

WINDOW_S = 20.0
SETTLE_S = 5.0


class TimeLeft:
    """Feed it ``(seconds since start, fraction done)`` points; ask ``seconds_left()``."""

    def __init__(self, window_s: float = WINDOW_S, settle_s: float = SETTLE_S):
        self.window_s = window_s
        self.settle_s = settle_s
        self._points: deque[tuple[float, float]] = deque()
        self._epoch_ends: list[float] = []

    def add(self, seconds: float, fraction: float, epoch_ended: bool = False) -> None:
        self._points.append((seconds, fraction))
        if epoch_ended:
            self._epoch_ends.append(seconds)
        window = max(self.window_s, self._last_epoch_s())
        while len(self._points) > 2 and seconds - self._points[1][0] >= window:
            self._points.popleft()

    def _last_epoch_s(self) -> float:
        ends = [0.0, *self._epoch_ends]
        return ends[-1] - ends[-2] if len(ends) > 1 else 0.0

    def seconds_left(self) -> float | None:
        """The estimate, or None while it is still settling (say "estimating...")."""
        if len(self._points) < 2:
            return None
        (t0, f0), (t1, f1) = self._points[0], self._points[-1]
        if t1 < self.settle_s or t1 - t0 <= 0 or f1 <= f0:
            return None
        return (1.0 - f1) * (t1 - t0) / (f1 - f0)


def duration_words(seconds: float) -> str:
    """A time left as the progress texts show it: "45s", "3m 05s" ("?" when unknown)."""
    if not math.isfinite(seconds):
        return "?"
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
