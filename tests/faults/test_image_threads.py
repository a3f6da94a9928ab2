"""Reading an image file leaves the process's warning filters alone (a read in a job's thread
neither silences nor un-silences warnings anywhere else), and an image over Pillow's limits is
refused in one line whether Pillow warns (an error under a strict filter) or raises."""

from __future__ import annotations

import threading
import warnings

import pytest
from PIL import Image

from mnistpad.core.data import preprocess
from mnistpad.core.platform.errors import MnistpadError

from .hostile import png_header_bomb


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """12000x12000: over Pillow's warning limit, under its error limit, over mnistpad's."""
    return png_header_bomb(tmp_path_factory.mktemp("large") / "large.png", 12_000, 12_000)


def test_a_read_in_another_thread_leaves_this_threads_warnings_as_they_are(large, monkeypatch):
    inside, go_on = threading.Event(), threading.Event()
    opened = preprocess.open_image

    def held(data):  # the worker waits here: inside read_ink, about to open its image
        inside.set()
        go_on.wait(30)
        return opened(data)

    monkeypatch.setattr(preprocess, "open_image", held)
    filters = list(warnings.filters)
    refused: list[str] = []

    def read() -> None:
        try:
            preprocess.read_ink(large)
        except MnistpadError as exc:
            refused.append(str(exc))

    worker = threading.Thread(target=read)
    worker.start()
    try:
        assert inside.wait(30)
        assert warnings.filters == filters  # nothing swapped in for the whole process
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with pytest.raises(Image.DecompressionBombWarning):
                Image.open(large)  # this thread still gets Pillow's own warning
    finally:
        go_on.set()
        worker.join(30)
    limit = f"mnistpad reads images of at most {preprocess.MAX_IMAGE_PIXELS // 1_000_000} million"
    assert len(refused) == 1 and refused[0].startswith(f"{large}: the image is ")
    assert limit in refused[0]


@pytest.mark.parametrize("strict", [True, False])
def test_an_image_over_pillows_limits_is_refused_in_one_line(large, tmp_path, strict):
    """Under a strict filter Pillow's warning is an error, named as Pillow's limit; with the
    default filters the image opens and mnistpad's own smaller limit refuses it, by size."""
    bomb = png_header_bomb(tmp_path / "bomb.png", 20_000, 20_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error" if strict else "ignore", Image.DecompressionBombWarning)
        with pytest.raises(MnistpadError) as warned:
            preprocess.read_ink(large)
        with pytest.raises(MnistpadError) as raised:
            preprocess.read_ink(bomb)
    size = "144,000,000" if strict else "12000x12000"
    assert str(warned.value).startswith(f"{large}: the image is {size} pixels; mnistpad reads")
    assert str(raised.value).startswith(f"{bomb}: the image is 400,000,000 pixels; mnistpad")


def test_the_programs_leave_out_pillows_size_warning_once_at_start(large):
    """`mnistpad classify` on an image over Pillow's warning limit: one line, no Python
    warning on the console."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-W", "default", "-m", "mnistpad", "classify",
                           str(large)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Warning" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"mnistpad: error: {large}: the image is 12000x12000 pixels; mnistpad reads images of "
        f"at most {preprocess.MAX_IMAGE_PIXELS // 1_000_000} million pixels"]
