"""Faults 7-9: decompression bombs, very large images, float images; through the command (in
a child process with a memory limit), the library and the window."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QMessageBox

from mnistpad.core.data.preprocess import MAX_IMAGE_PIXELS, load_image, read_ink
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.platform.paths import shipped_models_dir

from .hostile import png_header_bomb

needs_shipped = pytest.mark.skipif(not (shipped_models_dir() / "xavier.safetensors").is_file(),
                                   reason="no shipped models in models/")


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    """A 20000x20000 PNG over Pillow's own limit and a 12000x12000 one under it."""
    folder = tmp_path_factory.mktemp("bombs")
    return {"bomb": png_header_bomb(folder / "bomb.png", 20_000, 20_000),
            "large": png_header_bomb(folder / "large.png", 12_000, 12_000)}


# Under the suite's strict warnings filter Pillow's size warning is an error: both are
# refused as Pillow counts them (the programs leave the warning out, see test_image_threads)
@pytest.mark.parametrize(("kind", "size"), [("bomb", "400,000,000"),
                                            ("large", "144,000,000")])
def test_7_8_huge_images_are_refused_from_their_header(kind, size, bombs):
    path = bombs[kind]
    assert path.stat().st_size < 1_000_000
    with pytest.raises(MnistpadError) as info:
        read_ink(path)
    message = str(info.value)
    assert message == (f"{path}: the image is {size} pixels; mnistpad reads images of at most "
                       f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels")


@needs_shipped
def test_7_8_the_command_refuses_huge_images_within_a_memory_cap(bombs, mnistpad_cli, tmp_path,
                                                                mnist):
    good = tmp_path / "digit.png"
    pixels = (mnist.test.images[0].view(28, 28).numpy() * 255).astype("uint8")
    Image.fromarray(pixels).resize((140, 140)).save(good)
    proc = mnistpad_cli("classify", bombs["bomb"], bombs["large"], good, "--model", "xavier")
    assert "Traceback" not in proc.stderr
    errors = proc.stderr.splitlines()
    assert proc.returncode == 1 and len(errors) == 2
    assert errors[0].startswith(f"mnistpad: error: {bombs['bomb']}: the image is 400,000,000")
    assert errors[1].startswith(f"mnistpad: error: {bombs['large']}: the image is 12000x12000")
    assert proc.stdout.startswith(f"{good}: {int(mnist.test.labels[0])} ")  # the rest still run


@needs_shipped
def test_7_the_window_refuses_a_bomb_with_a_message(window, bombs, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    before = window.canvas.ink().copy()
    assert not window.files.open_image(bombs["bomb"])
    assert len(shown) == 1 and "\n" not in shown[0] and str(bombs["bomb"]) in shown[0]
    np.testing.assert_array_equal(window.canvas.ink(), before)


def test_8_a_large_jpeg_is_read_at_a_reduced_scale(tmp_path, mnist):
    """A 6000x6000 photo of a digit (36 megapixels, under the limit) still reads, decoded at
    an eighth of its size."""
    digit = (mnist.test.images[0].view(28, 28).numpy() * 255).astype("uint8")
    path = tmp_path / "photo.jpg"
    Image.fromarray(255 - digit).resize((6000, 6000)).save(path, quality=90)
    ink = read_ink(path)
    assert max(ink.shape) <= 2048
    expected = normalize(Image.fromarray(255 - digit).resize((280, 280)), tmp_path)
    assert np.abs(load_image(path) - expected).mean() < 0.02


def normalize(image: Image.Image, folder) -> np.ndarray:
    path = folder / "reference.png"
    image.save(path)
    return load_image(path)


@pytest.mark.parametrize("mode", ["F", "I;16", "I"])
def test_9_float_and_16_bit_images_keep_their_ink(mode, tmp_path, mnist):
    digit = mnist.test.images[0].view(28, 28).numpy()
    scale = {"F": 1.0, "I;16": 65535, "I": 65535}[mode]
    values = (digit * scale).astype({"F": np.float32, "I;16": np.uint16, "I": np.int32}[mode])
    path = tmp_path / f"digit-{mode.replace(';', '')}.tif"
    image = Image.fromarray(values)
    assert image.mode == mode
    image.resize((140, 140)).save(path)
    pixels = load_image(path)
    assert pixels is not None, "read as no digit"
    reference = normalize(Image.fromarray((digit * 255).astype(np.uint8)).resize((140, 140)),
                          tmp_path)
    assert np.abs(pixels - reference).max() < 0.05
