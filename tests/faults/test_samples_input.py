"""Round three, faults 5, 6 and 9: one odd entry in a samples folder never stops anything.
Each hostile sample lies next to good ones; ``mnistpad adapt`` (in a child under the memory
cap; in this process for the two small, quick ones) skips it with one warning line naming
it and learns from the others, the library lists and reads the folder, and the window
starts, builds the Samples tab and reads a drawing with the folder as the user's own."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mnistpad.core.data.samples import list_samples, read_sample
from mnistpad.core.platform.errors import MnistpadError

from .hostile import png_header_bomb, softmax_model, stroke_sample

DIGIT = [[0, [[140.0, 60.0], [140.0, 220.0]]]]  # width filled in below


def _strokes(strokes) -> str:
    return json.dumps(strokes, separators=(",", ":"))


def nested(root: Path) -> Path:
    return stroke_sample(root / "1" / "nested.png", "[" * 100_000 + "]" * 100_000)


def wide_pen(root: Path) -> Path:  # 40 bytes of strokes, a pen 100,000 px wide
    return stroke_sample(root / "1" / "wide.png", "[[100000,0,[[140,140],[141,141]]]]")


def many_points(root: Path) -> Path:
    points = [[140.0, 60.0 + (i % 160)] for i in range(1_000_000)]
    return stroke_sample(root / "1" / "points.png", _strokes([[24, 0, points]]))


def many_strokes(root: Path) -> Path:  # 70,000 one-point strokes in about 1 MB
    return stroke_sample(root / "1" / "strokes.png",
                         _strokes([[24, 0, [[140, 60 + i % 160]]] for i in range(70_000)]))


def not_finite(root: Path) -> Path:
    return stroke_sample(root / "1" / "nan.png",
                         '[[24,0,[[140,60],[NaN,Infinity],[140,220]]]]')


def far_away(root: Path) -> Path:
    return stroke_sample(root / "1" / "far.png", _strokes([[24, 0, [[140, 60], [1e300, 5]]]]))


def huge_canvas(root: Path) -> Path:  # carries strokes: skipped the app's own pixel limit
    (root / "1").mkdir(parents=True, exist_ok=True)
    return png_header_bomb(root / "1" / "huge.png", 15_000, 11_000,
                           {"mnistpad-strokes": _strokes([[24, 0, [[140, 60], [140, 220]]]])})


def pixel_bomb(root: Path) -> Path:  # past Pillow's own limit: DecompressionBombError
    (root / "1").mkdir(parents=True, exist_ok=True)
    return png_header_bomb(root / "1" / "bomb.png", 15_000, 12_000)


def named_pipe(root: Path) -> Path:
    (root / "1").mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / "1" / "x.png")
    return root / "1" / "x.png"


def superscript_folder(root: Path) -> Path:  # '²'.isdigit() is True, int('²') raises
    folder = root / "²"
    folder.mkdir(parents=True)
    Image.new("L", (56, 56), 0).save(folder / "a.png")
    return folder


HOSTILE = [nested, wide_pen, many_points, many_strokes, not_finite, far_away, huge_canvas,
           pixel_bomb, named_pipe, superscript_folder]
UNNAMED = {superscript_folder}  # not a digit folder: not a sample, so not named
# small and quick to refuse: read in this process (no memory cap or hang to guard against)
IN_PROCESS = {not_finite, superscript_folder}


def good_samples(root: Path, mnist) -> None:
    images = (mnist.test.images[:60].view(-1, 28, 28).numpy() * 255).astype(np.uint8)
    for i, (image, label) in enumerate(zip(images, mnist.test.labels[:60].tolist(),
                                           strict=True)):
        if label in (2, 3):
            (root / str(label)).mkdir(parents=True, exist_ok=True)
            Image.fromarray(image).resize((56, 56)).save(root / str(label) / f"{i}.png")


@pytest.mark.parametrize("make", HOSTILE, ids=[m.__name__ for m in HOSTILE])
def test_5_6_9_adapt_skips_a_hostile_sample_and_names_it(make, tmp_path, mnist, request):
    root = tmp_path / "mine"
    good_samples(root, mnist)
    hostile = make(root)
    base = softmax_model(tmp_path / "base.safetensors")
    args = ("adapt", base, "--samples", root, "--steps", "1", "--out", tmp_path / "p.safetensors")
    if make in IN_PROCESS:
        proc = request.getfixturevalue("mnistpad_main")(*args)
    else:
        proc = request.getfixturevalue("mnistpad_cli")(*args, timeout=120)
    assert "Traceback" not in proc.stderr and proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    if make in UNNAMED:
        assert warnings == [], proc.stderr
    else:
        assert len(warnings) == 1 and str(hostile) in warnings[0], proc.stderr
    assert (tmp_path / "p.safetensors").is_file()


@pytest.mark.parametrize("make", HOSTILE, ids=[m.__name__ for m in HOSTILE])
def test_5_6_9_listing_and_reading_never_stop_at_a_hostile_sample(make, tmp_path, mnist):
    root = tmp_path / "mine"
    good_samples(root, mnist)
    hostile = make(root)
    samples = list_samples(root)
    assert {s.label for s in samples} >= {2, 3}
    for sample in samples:
        if sample.path == hostile:
            with pytest.raises(MnistpadError) as caught:
                read_sample(sample.path)
            assert str(caught.value).startswith(f"{hostile}: ") and "\n" not in str(caught.value)
        else:
            assert read_sample(sample.path) is not None


def test_9_a_named_pipe_given_as_an_image_is_refused(tmp_path, mnistpad_cli):
    os.mkfifo(tmp_path / "x.png")
    proc = mnistpad_cli("classify", tmp_path / "x.png", "--model", "softmax", timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{tmp_path / 'x.png'}: a named pipe" in proc.stderr


def test_6_bounded_strokes_read_as_drawn(tmp_path):
    """A sample within every bound still reads from its strokes, as the canvas does."""
    from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes, render_strokes

    strokes = [PenStroke.of([[140, 60], [140, 220]], 24)]
    path = stroke_sample(tmp_path / "1" / "ok.png", _strokes([[24, 0, [[140, 60], [140, 220]]]]))
    ink = np.asarray(Image.open(path), np.float32) / 255
    assert np.array_equal(read_sample(path), digit_from_strokes(strokes, 280, ink))
    assert render_strokes(strokes).max() == 1.0 and not math.isnan(read_sample(path).sum())


@pytest.fixture
def hostile_home(mnistpad_home, mnist):
    """The user's own samples folder holding every hostile sample (and good ones)."""
    root = mnistpad_home / "samples"
    good_samples(root, mnist)
    for make in (nested, wide_pen, many_strokes, not_finite, far_away, huge_canvas, pixel_bomb,
                 named_pipe, superscript_folder):
        make(root)
    return root


def test_5_the_window_starts_and_reads_with_hostile_samples(hostile_home, window, qtbot,
                                                           stroke_samples, draw_strokes):
    qtbot.waitUntil(lambda: window.samples is not None, timeout=60_000)
    assert window.samples.gallery.count() >= 2
    draw_strokes(window.canvas, stroke_samples[0]["strokes"])
    assert window.draw.reading.prediction.text() != ""
