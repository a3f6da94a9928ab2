"""Whether a picture holds more than one digit: a "17" drawn or scanned is read as one digit
(the models know nothing else), so the reader says that one digit is expected. The sign is
two or more separate blobs of ink side by side, each a real share of the ink: the parts of one
digit written in several strokes (a 5's flag, a 4's two strokes) overlap in their columns,
and specks are too small to count."""

from __future__ import annotations

import itertools

from mnistpad.core import lazy

np = lazy.module("numpy")

INK = 0.3  # a pixel at least this dark belongs to a blob
MIN_SHARE = 0.15  # a blob with less of the ink than this is a speck or a stray mark


def blobs(pixels: np.ndarray) -> list[tuple[float, int, int]]:
    """(ink mass, first column, last column) of each 8-connected blob of ``pixels`` (a 2-D
    array in [0, 1]), largest first. The flood fill walks Python lists: it runs after every
    stroke, and numpy's element access is ten times slower than a list's."""
    array = np.asarray(pixels, dtype=np.float32)
    height, width = array.shape
    ink = array.tolist()
    inked = (array >= INK).tolist()
    seen = [[False] * width for _ in range(height)]
    found = []
    for start_r, start_c in zip(*np.nonzero(array >= INK), strict=True):
        start_r, start_c = int(start_r), int(start_c)
        if seen[start_r][start_c]:
            continue
        seen[start_r][start_c] = True
        stack, mass, cols = [(start_r, start_c)], 0.0, []
        while stack:
            r, c = stack.pop()
            mass += ink[r][c]
            cols.append(c)
            for nr in range(max(r - 1, 0), min(r + 2, height)):
                row_inked, row_seen = inked[nr], seen[nr]
                for nc in range(max(c - 1, 0), min(c + 2, width)):
                    if row_inked[nc] and not row_seen[nc]:
                        row_seen[nc] = True
                        stack.append((nr, nc))
        found.append((mass, min(cols), max(cols)))
    return sorted(found, reverse=True)


def several_digits(pixels: np.ndarray | None) -> bool:
    """True when ``pixels`` hold two or more sizeable blobs that do not share a column (side
    by side, as in "17"); False for a blank picture."""
    if pixels is None:
        return False
    found = blobs(pixels)
    total = sum(mass for mass, _, _ in found)
    big = sorted((first, last) for mass, first, last in found if mass >= MIN_SHARE * total)
    return any(right_first > left_last
               for (_, left_last), (right_first, _) in itertools.pairwise(big))
