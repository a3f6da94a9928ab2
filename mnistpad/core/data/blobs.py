"""Whether a picture holds more than one digit: a "17" drawn or scanned is read as one digit
(the models know nothing else), so the reader says that one digit is expected. The sign is
two or more separate blobs of ink side by side, each a real share of the ink: the parts of one
digit written in several strokes (a 5's flag, a 4's two strokes) overlap in their columns,
and specks are too small to count."""

from __future__ import annotations

import itertools

from mnistpad.core.platform import lazy

np = lazy.module("numpy")

INK = 0.3  # a pixel at least this dark belongs to a blob
MIN_SHARE = 0.15  # a blob with less of the ink than this is a speck or a stray mark


def blobs(pixels: np.ndarray) -> list[tuple[float, int, int]]:
    """(ink mass, first column, last column) of each 8-connected blob of ``pixels`` (a 2-D
    array in [0, 1]), largest first. Each row's inked pixels are taken as runs, and runs of
    neighbouring rows that touch (diagonally too) are joined: a digit has a few dozen runs
    against a few hundred pixels, so this runs after every stroke in a fraction of the time
    of a flood fill over the pixels."""
    array = np.asarray(pixels, dtype=np.float32)
    inked = array >= INK
    # Runs: where each row's inked stretch starts and ends (end exclusive).
    padded = np.zeros((inked.shape[0], inked.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = inked
    edges = np.diff(padded, axis=1)
    start_rows, starts = np.nonzero(edges == 1)
    ends = np.nonzero(edges == -1)[1]
    if starts.size == 0:
        return []
    cumulative = np.concatenate([np.zeros((array.shape[0], 1), np.float64),
                                 np.cumsum(np.where(inked, array, 0.0), axis=1, dtype=np.float64)],
                                axis=1)
    masses = (cumulative[start_rows, ends] - cumulative[start_rows, starts]).tolist()
    rows, firsts, lasts = start_rows.tolist(), starts.tolist(), (ends - 1).tolist()
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    previous: list[int] = []  # the runs of the row above
    current: list[int] = []
    for i, row in enumerate(rows):
        if i and row != rows[i - 1]:
            previous = current if row == rows[i - 1] + 1 else []
            current = []
        for j in previous:  # touching, diagonally included
            if firsts[j] <= lasts[i] + 1 and firsts[i] <= lasts[j] + 1:
                parent[root(j)] = root(i)
        current.append(i)
    found: dict[int, list] = {}
    for i in range(len(rows)):
        blob = found.setdefault(root(i), [0.0, firsts[i], lasts[i]])
        blob[0] += masses[i]
        blob[1], blob[2] = min(blob[1], firsts[i]), max(blob[2], lasts[i])
    return sorted((tuple(b) for b in found.values()), reverse=True)


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
