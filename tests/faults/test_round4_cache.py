"""Round four, fault 3: the drawn-digit cache (``cache/drawn/<hash>.npz``) is checked, never
trusted. Whatever lies at an entry's place (cut short, empty, another format, NaN or
rescaled pixels, shifted labels, too few drawings, a named pipe, a zip bomb), the development
set comes out as drawn, and the entry is drawn again and rewritten whole; a ``cache`` that
cannot hold folders means drawing without caching, not a failure.

The drawer (:func:`mnistpad.core.data.pendigits.render_set`) is replaced by one that hands back
the real drawings made once per module, so that each case costs no drawing time; what is
under test is the cache's reading and writing."""

from __future__ import annotations

import io
import os
import threading
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

import mnistpad.core.data.pendigits as pendigits
from mnistpad.core.data import drawn_cache


@pytest.fixture(scope="module")
def drawn() -> tuple[np.ndarray, np.ndarray]:
    """The development set, really drawn (1,498 digits at the full size)."""
    return pendigits.render_set(pendigits.by_writers(pendigits.DEVELOPMENT_WRITERS))


@pytest.fixture
def draws(drawn, monkeypatch) -> list:
    """Each drawing of the development set, counted; the drawings are the real ones."""
    calls: list = []

    def render_set(digits, size=pendigits.SIZES["full"]):
        calls.append(size)
        return drawn[0].copy(), drawn[1].copy()

    monkeypatch.setattr(pendigits, "render_set", render_set)
    return calls


def _entry(draws) -> Path:
    """The development set's entry, written by a first (counted) drawing."""
    pendigits.development_set()
    (entry,) = drawn_cache.cache_dir().glob("*.npz")
    draws.clear()
    return entry


def _npz(images, labels, compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, array in (("images", images), ("labels", labels)):
            member = io.BytesIO()
            np.save(member, array)
            archive.writestr(f"{name}.npy", member.getvalue())
    return buffer.getvalue()


def truncated(entry, images, labels):
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])


def empty(entry, images, labels):
    entry.write_bytes(b"")


def a_bare_npy(entry, images, labels):  # np.load gives an array, not an archive
    buffer = io.BytesIO()
    np.save(buffer, images)
    entry.write_bytes(buffer.getvalue())


def nan_images(entry, images, labels):
    images = images.copy()
    images[::7] = np.nan
    entry.write_bytes(_npz(images, labels))


def pixels_in_0_255(entry, images, labels):  # an 8-bit image's scale: every digit misread
    entry.write_bytes(_npz((images * 255).astype(np.uint8), labels))


def shifted_labels(entry, images, labels):
    entry.write_bytes(_npz(images, np.roll(labels, 1)))


def ten_drawings(entry, images, labels):
    entry.write_bytes(_npz(images[:10], labels[:10]))


def labels_out_of_range(entry, images, labels):
    entry.write_bytes(_npz(images, labels + 10))


def extra_member(entry, images, labels):
    data = _npz(images, labels)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("extra.npy", b"x")
    entry.write_bytes(buffer.getvalue())


DAMAGE = [truncated, empty, a_bare_npy, nan_images, pixels_in_0_255, shifted_labels,
          ten_drawings, labels_out_of_range, extra_member]


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__ for d in DAMAGE])
def test_3_a_damaged_entry_is_drawn_again_and_rewritten(damage, drawn, draws):
    entry = _entry(draws)
    damage(entry, *drawn)
    images, labels = pendigits.development_set()
    assert draws, "the damaged entry was used"
    np.testing.assert_array_equal(images, drawn[0])
    np.testing.assert_array_equal(labels, drawn[1])
    draws.clear()
    again = pendigits.development_set()  # rewritten whole: the next read is from disk
    assert not draws
    np.testing.assert_array_equal(again[1], drawn[1])


def test_3_a_named_pipe_at_the_entry_is_not_waited_on(drawn, draws):
    entry = _entry(draws)
    entry.unlink()
    os.mkfifo(entry)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(pendigits.development_set()),
                              daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # let the blocked reader go: open and close the writing end
        os.close(os.open(entry, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(20)
        pytest.fail("reading the cache waited on a named pipe")
    assert result and draws
    np.testing.assert_array_equal(result[0][1], drawn[1])


def _bomb(drawings: int) -> bytes:
    """A small deflated entry whose images unpack to ``drawings`` x 28 x 28 float32 zeros,
    written in pieces so that making it takes little memory."""
    buffer = io.BytesIO()
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f4", "fortran_order": False, "shape": (drawings, 28, 28)})
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("images.npy", "w", force_zip64=True) as member:
            member.write(header.getvalue())
            block = bytes(28 * 28 * 4 * 1000)
            for _ in range(drawings // 1000):
                member.write(block)
        labels = io.BytesIO()
        np.save(labels, np.zeros(drawings, dtype=np.int64))
        archive.writestr("labels.npy", labels.getvalue())
    return buffer.getvalue()


def test_3_a_zip_bomb_is_refused_before_it_is_unpacked(drawn, draws):
    entry = _entry(draws)
    entry.write_bytes(_bomb(100_000))  # 314 MB of pixels in a file of under 1 MB
    assert entry.stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        images, _ = pendigits.development_set()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert draws and len(images) == len(drawn[0])
    assert peak < 60_000_000, f"reading the entry took {peak:,} bytes"


def test_3_a_large_entry_is_not_read(drawn, draws):
    """Past what the expected drawings can take, the file is refused by its size alone."""
    entry = _entry(draws)
    entry.write_bytes(_npz(np.zeros((2_000, 28, 28), np.float32), np.zeros(2_000, np.int64)))
    reads = []
    real = np.load
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(np, "load", lambda *a, **k: reads.append(a) or real(*a, **k))
        images, _ = pendigits.development_set()
    assert draws and not reads and len(images) == len(drawn[0])


@pytest.mark.parametrize("blocker", ["cache", "cache/drawn"])
def test_3_a_cache_folder_that_is_a_file_means_drawing_without_caching(
        blocker, drawn, draws, mnistpad_home):
    (mnistpad_home / blocker).parent.mkdir(parents=True, exist_ok=True)
    (mnistpad_home / blocker).write_text("not a folder")
    _, labels = pendigits.development_set()
    assert draws
    np.testing.assert_array_equal(labels, drawn[1])
    assert (mnistpad_home / blocker).read_text() == "not a folder"


def test_3_an_entry_is_not_written_through_a_planted_link(drawn, draws, mnistpad_home,
                                                          tmp_path):
    """The temporary file an entry is written through has no name another can guess and
    plant a link at: a file elsewhere is never overwritten."""
    folder = drawn_cache.cache_dir()
    folder.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    key = drawn_cache.drawing_key(pendigits.DATA_FILE, pendigits.SIZES["full"])
    for name in {f"{key[:32]}.npz", *(p.name for p in folder.glob("*.npz"))}:
        temporary = folder / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        temporary.symlink_to(victim)
    pendigits.development_set()
    assert victim.read_text() == "keep me"
    draws.clear()
    pendigits.development_set()
    assert not draws, "the entry was not written"


def test_3_drawings_that_are_not_the_sources_are_not_kept(drawn, draws):
    """A drawer that gives other labels than the source's (a digit left out) is used, but
    not kept as the development set."""
    images, labels = drawn
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pendigits, "render_set", lambda *a, **k: (images[1:], labels[1:]))
        first = pendigits.development_set()
    assert len(first[1]) == len(labels) - 1
    assert not list(drawn_cache.cache_dir().glob("*.npz"))


def _evaluation_entry(file: Path, key: str, labels: np.ndarray, compression) -> None:
    from mnistpad.core.evaluation.store import CACHE_VERSION

    arrays = {"version": np.array(CACHE_VERSION), "key": np.array(key),
              "probabilities": np.full((len(labels), 10), 0.1, np.float32), "labels": labels}
    with zipfile.ZipFile(file, "w", compression) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.save(member, array)
            archive.writestr(f"{name}.npy", member.getvalue())


def test_3_an_evaluate_entry_with_a_broken_deflate_stream_is_computed_again(tmp_path):
    """The Evaluate cache's reader had the same trust in a zip's members: a compressed member
    whose stream is damaged raised zlib.error, which nothing caught."""
    from mnistpad.core.evaluation import store as evaluate_store

    labels = np.arange(200, dtype=np.int64) % 10
    key = evaluate_store.entry_key("a" * 64, "b" * 64)
    file = tmp_path / "entry.npz"
    evaluate_store.write_entry(file, key, np.full((200, 10), 0.1, np.float32), labels)
    assert evaluate_store.read_entry(file, key, labels) is not None  # what it writes is read
    _evaluation_entry(file, key, labels, zipfile.ZIP_DEFLATED)
    data = bytearray(file.read_bytes())
    with zipfile.ZipFile(file) as archive:
        info = archive.getinfo("probabilities.npy")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + 16] = bytes(b ^ 0xFF for b in data[start:start + 16])
    file.write_bytes(bytes(data))
    assert evaluate_store.read_entry(file, key, labels) is None
    assert not file.exists(), "the damaged entry was kept"
