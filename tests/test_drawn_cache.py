"""The development writers' drawings are drawn once and kept on disk, keyed by the pen-digit
file's content and the renderer's version."""

from __future__ import annotations

import numpy as np
import pytest

import mnistpad.core.data.pendigits as pendigits
from mnistpad.core.data import drawn_cache
from mnistpad.core.strokes import renderer as strokes


def _drawing(calls: list):
    def draw():
        calls.append(1)
        return pendigits.render_set(pendigits.by_writers([25])[:12])
    return draw


def test_drawn_once_then_read_from_disk(tmp_path):
    calls: list = []
    first = drawn_cache.cached_drawings(pendigits.DATA_FILE, 0.8, _drawing(calls), tmp_path)
    again = drawn_cache.cached_drawings(pendigits.DATA_FILE, 0.8, _drawing(calls), tmp_path)
    assert len(calls) == 1
    assert again[0].dtype == np.float32 and again[1].dtype == np.int64
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    assert len(list(tmp_path.glob("*.npz"))) == 1


def test_a_changed_file_size_or_renderer_draws_again(tmp_path, monkeypatch):
    calls: list = []
    copy = tmp_path / "digits.unipen"
    copy.write_bytes(pendigits.DATA_FILE.read_bytes())
    folder = tmp_path / "cache"
    drawn_cache.cached_drawings(copy, 0.8, _drawing(calls), folder)
    drawn_cache.cached_drawings(copy, 2 / 3, _drawing(calls), folder)
    assert len(calls) == 2
    copy.write_bytes(copy.read_bytes() + b"\n")  # same name, new content
    drawn_cache.cached_drawings(copy, 0.8, _drawing(calls), folder)
    assert len(calls) == 3
    monkeypatch.setattr(strokes, "RENDERER_VERSION", strokes.RENDERER_VERSION + 1)
    drawn_cache.cached_drawings(copy, 0.8, _drawing(calls), folder)
    assert len(calls) == 4


def test_an_unreadable_cache_file_is_drawn_again_and_replaced(tmp_path):
    calls: list = []
    images, _ = drawn_cache.cached_drawings(pendigits.DATA_FILE, 0.8, _drawing(calls), tmp_path)
    (stored,) = tmp_path.glob("*.npz")
    stored.write_bytes(b"not an npz")
    again, _ = drawn_cache.cached_drawings(pendigits.DATA_FILE, 0.8, _drawing(calls), tmp_path)
    assert len(calls) == 2 and np.array_equal(images, again)
    assert drawn_cache._read(stored) is not None


def test_development_split_comes_from_the_cache_in_a_new_process(monkeypatch):
    """A second process (here: the per-process memo cleared) reads the drawings, not draws."""
    pendigits.development_split.cache_clear()
    first = pendigits.development_split()
    pendigits.development_split.cache_clear()
    monkeypatch.setattr(pendigits, "render_set", lambda *a, **k: pytest.fail("drawn again"))
    again = pendigits.development_split()
    pendigits.development_split.cache_clear()
    assert len(first.labels) == 1_498
    assert bool((first.images == again.images).all() and (first.labels == again.labels).all())
