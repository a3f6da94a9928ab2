"""Reading an image file leaves the process's warning filters alone: Pillow's warning for a
huge image is left out for the reading thread only, so a read in a job's thread neither
silences nor un-silences warnings anywhere else."""

from __future__ import annotations

import threading
import warnings

import pytest
from PIL import Image

from mnistpad.core import preprocess
from mnistpad.core.errors import MnistpadError

from .hostile import png_header_bomb


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """12000x12000: over Pillow's warning limit, under its error limit, over mnistpad's."""
    return png_header_bomb(tmp_path_factory.mktemp("large") / "large.png", 12_000, 12_000)


def test_a_read_in_another_thread_leaves_this_threads_warnings_as_they_are(large, monkeypatch):
    inside, go_on = threading.Event(), threading.Event()
    opened = preprocess._open_picture

    def held(image, path):  # the worker waits here: inside read_ink, its image open
        inside.set()
        go_on.wait(30)
        return opened(image, path)

    monkeypatch.setattr(preprocess, "_open_picture", held)
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
    assert refused == [f"{large}: the image is 12000x12000 pixels; mnistpad reads images of "
                       f"at most {preprocess.MAX_IMAGE_PIXELS // 1_000_000} million pixels"]


def test_the_warning_is_left_out_only_inside_and_pillows_error_stays(large, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with preprocess.size_warning_off(), Image.open(large) as image:
            assert image.size == (12_000, 12_000)
        with pytest.raises(Image.DecompressionBombWarning):
            Image.open(large)
    bomb = png_header_bomb(tmp_path / "bomb.png", 20_000, 20_000)
    with preprocess.size_warning_off(), pytest.raises(Image.DecompressionBombError):
        Image.open(bomb)
