"""The blobs behind "one digit is expected": the run-based labelling finds exactly the
8-connected blobs a plain flood fill over the pixels finds."""

from __future__ import annotations

import numpy as np

from mnistpad.core.data.blobs import INK, blobs


def _flood_fill_blobs(pixels: np.ndarray) -> list[tuple[float, int, int]]:
    """(mass, first column, last column) of each 8-connected blob, one pixel at a time."""
    inked = pixels >= INK
    seen = np.zeros_like(inked)
    found = []
    for r, c in zip(*np.nonzero(inked), strict=True):
        if seen[r, c]:
            continue
        seen[r, c] = True
        stack, mass, cols = [(r, c)], 0.0, []
        while stack:
            y, x = stack.pop()
            mass += float(pixels[y, x])
            cols.append(x)
            for ny in range(max(y - 1, 0), min(y + 2, pixels.shape[0])):
                for nx in range(max(x - 1, 0), min(x + 2, pixels.shape[1])):
                    if inked[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
        found.append((mass, int(min(cols)), int(max(cols))))
    return sorted(found, reverse=True)


def test_blobs_are_those_of_a_flood_fill(mnist):
    digits = mnist.test.images.view(-1, 28, 28).numpy()[:300].astype(np.float32)
    digits = digits / 255.0 if digits.max() > 1.5 else digits
    rng = np.random.default_rng(3)
    pictures = list(digits)
    pictures += [np.concatenate([a[:, 6:20], b[:, 6:20]], axis=1)  # two side by side
                 for a, b in zip(digits[:100], digits[100:200], strict=True)]
    pictures += [(rng.random((28, 28)) * (rng.random((28, 28)) < share)).astype(np.float32)
                 for share in np.linspace(0.05, 0.95, 100)]  # specks, mazes, solid ink
    pictures += [np.eye(28, dtype=np.float32), np.eye(28, dtype=np.float32)[::-1],
                 np.ones((28, 28), np.float32), np.zeros((28, 28), np.float32)]
    several = 0
    for picture in pictures:
        ours, reference = blobs(picture), _flood_fill_blobs(picture)
        assert [b[1:] for b in ours] == [b[1:] for b in reference]
        assert np.allclose([b[0] for b in ours], [b[0] for b in reference], rtol=0, atol=1e-9)
        several += len(ours) > 1
    assert several > 100  # many pictures had blobs to tell apart
