"""Reading a drawing that grows a stroke at a time, in time that does not grow with it.

:func:`~mnistpad.core.strokes.renderer.digit_from_strokes` draws every stroke again on each read: on
a drawing of 600 strokes that took 600 ms per stroke. :class:`DrawingReader` keeps the ink it
drew (unrounded, in the reading frame) after each stroke, as checkpoints: a read draws only
the strokes after the longest prefix it has already drawn, so a further stroke costs one
stroke, and an undo restores the checkpoint before the stroke undone. Its pixels are exactly
``digit_from_strokes``'s. When a stroke moves the drawing's frame (it reaches past the
drawing's extent, or brings a wider pen), everything is drawn again once, in the new frame.
"""

from __future__ import annotations

from collections.abc import Sequence

from mnistpad.core.platform import lazy
from mnistpad.core.strokes.renderer import (
    CANVAS_SIZE,
    PenStroke,
    ReadingFrame,
    add_stroke,
    read_strokes,
    read_work,
    reading_frame,
)

np = lazy.module("numpy")

CHECKPOINTS = 100  # as many as the canvas's undo steps; each is one work square (~60 KB)


def _key(stroke: PenStroke) -> tuple:
    return stroke.width, stroke.erase, stroke.points.tobytes()


class DrawingReader:
    """``read(strokes, canvas_size, ink)`` equals ``digit_from_strokes(strokes, canvas_size,
    ink)``; only strokes not read before (in the same frame) are drawn."""

    def __init__(self, checkpoints: int = CHECKPOINTS):
        self.checkpoints = checkpoints
        self._frame: ReadingFrame | None = None
        self._keys: list[tuple] = []
        self._work: dict[int, np.ndarray] = {}  # strokes drawn -> their ink
        self.strokes_drawn = 0  # strokes drawn by the last read (for tests and benchmarks)

    def read(self, strokes: Sequence[PenStroke], canvas_size: int = CANVAS_SIZE,
             ink: np.ndarray | None = None) -> np.ndarray | None:
        strokes, ink = read_strokes(strokes, ink)
        frame = reading_frame(strokes, canvas_size, ink)
        if frame is None:
            return None
        keys = [_key(s) for s in strokes]
        if frame != self._frame:
            self._frame, self._keys = frame, []
            self._work = {0: np.zeros((frame.side, frame.side), dtype=np.float32)}
        common = 0
        for old, new in zip(self._keys, keys, strict=False):
            if old != new:
                break
            common += 1
        self._work = {n: w for n, w in self._work.items() if n <= common}
        start = max(self._work)
        work = self._work[start].copy()
        for count, stroke in enumerate(strokes[start:], start + 1):
            add_stroke(work, stroke, frame)
            self._work[count] = work.copy()
        self._forget_old()
        self._keys = keys
        self.strokes_drawn = len(strokes) - start
        return read_work(work)

    def _forget_old(self) -> None:
        """Keep the empty frame and the last :attr:`checkpoints` checkpoints."""
        counts = sorted(self._work)
        for count in counts[1 : max(1, len(counts) - self.checkpoints)]:
            del self._work[count]
