"""normalize_digit and image files: MNIST's 20x20 box and center of mass, polarity, blanks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mnistpad.core.data.preprocess import center_of_mass, load_image, normalize_digit
from mnistpad.core.files.modelfile import SUFFIX
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.classify import Classifier


def longer_side(image: np.ndarray, threshold: float = 0.05) -> int:
    rows = np.flatnonzero((image > threshold).any(axis=1))
    cols = np.flatnonzero((image > threshold).any(axis=0))
    return int(max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1))


def check_mnist_like(out: np.ndarray) -> None:
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    cy, cx = center_of_mass(out)
    assert abs(cy - 14.0) < 0.5 and abs(cx - 14.0) < 0.5
    assert 19 <= longer_side(out) <= 21


def on_canvas(digit: np.ndarray, size: int, top: int, left: int, canvas: int = 280) -> np.ndarray:
    """``digit`` (28x28) scaled to ``size`` px and drawn at (top, left) on a black canvas."""
    big = Image.fromarray((digit * 255).astype(np.uint8)).resize((size, size), Image.BICUBIC)
    ink = np.zeros((canvas, canvas), dtype=np.float32)
    ink[top : top + size, left : left + size] = np.asarray(big, dtype=np.float32) / 255.0
    return ink


def fixture_digits(mnist, count: int) -> np.ndarray:
    return mnist.test.images[:count].view(-1, 28, 28).numpy()


@pytest.mark.parametrize(
    "ink",
    [
        np.zeros((280, 280)),
        np.full((280, 280), 0.04),  # faint haze below the ink threshold
        np.pad(np.ones((3, 3)), ((100, 177), (50, 227))),  # a speck
    ],
    ids=["empty", "haze", "speck"],
)
def test_nothing_but_a_speck_gives_none(ink):
    assert normalize_digit(ink) is None


def test_ink_must_be_two_dimensional():
    with pytest.raises(ValueError, match="2-D"):
        normalize_digit(np.zeros((2, 28, 28)))


def test_fixture_digits_stay_mnist_like(mnist):
    for digit in fixture_digits(mnist, 50):
        check_mnist_like(normalize_digit(digit))


def test_a_small_off_center_drawing_is_boxed_and_centered(mnist):
    digit = fixture_digits(mnist, 1)[0]
    for size, top, left in [(90, 10, 170), (200, 60, 20), (60, 215, 215)]:
        out = normalize_digit(on_canvas(digit, size, top, left))
        check_mnist_like(out)
        # and it is the same picture as the fixture digit, which is MNIST-normalized already
        assert np.corrcoef(out.ravel(), digit.ravel())[0, 1] > 0.85


def test_aspect_ratio_is_kept():
    ink = np.zeros((280, 280), dtype=np.float32)
    ink[100:110, 40:240] = 1.0  # a dash 200 wide, 10 high
    out = normalize_digit(ink)
    rows = np.flatnonzero((out > 0.05).any(axis=1))
    cols = np.flatnonzero((out > 0.05).any(axis=0))
    assert 19 <= len(cols) <= 21 and len(rows) <= 3
    assert abs(center_of_mass(out)[0] - 14.0) < 0.5


def test_out_of_range_ink_is_clipped(mnist):
    digit = fixture_digits(mnist, 1)[0]
    out = normalize_digit(digit * 3.0 - 0.5)
    assert out.min() >= 0.0 and out.max() <= 1.0


def save_png(path: Path, pixels: np.ndarray, dark_ink: bool) -> Path:
    grey = (pixels * 255).round().astype(np.uint8)
    Image.fromarray(255 - grey if dark_ink else grey, mode="L").save(path)
    return path


def test_polarity_does_not_matter(trained_xavier, mnist, tmp_path):
    classifier = Classifier.from_file(trained_xavier[1])
    for i, digit in enumerate(fixture_digits(mnist, 10)):
        big = on_canvas(digit, 200, 40, 40)
        light = load_image(save_png(tmp_path / f"light{i}.png", big, dark_ink=False))
        dark = load_image(save_png(tmp_path / f"dark{i}.png", big, dark_ink=True))
        check_mnist_like(light)
        np.testing.assert_allclose(dark, light, atol=1e-4)
        (d_light, p_light), (d_dark, p_dark) = classifier.predict(light), classifier.predict(dark)
        assert d_light == d_dark
        np.testing.assert_allclose(p_dark, p_light, atol=1e-3)


def test_strokes_on_a_transparent_background(mnist, tmp_path):
    digit = fixture_digits(mnist, 1)[0]
    rgba = np.zeros((28, 28, 4), dtype=np.uint8)
    rgba[..., 3] = (digit * 255).round().astype(np.uint8)  # black strokes, alpha is the ink
    path = tmp_path / "strokes.png"
    Image.fromarray(rgba, mode="RGBA").save(path)
    np.testing.assert_allclose(load_image(path), normalize_digit(digit), atol=1e-2)


def test_a_blank_image_gives_none(tmp_path):
    path = tmp_path / "blank.png"
    Image.new("L", (100, 100), 255).save(path)
    assert load_image(path) is None


def test_unreadable_files_raise_an_error_naming_them(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    with pytest.raises(MnistpadError, match=r"notes\.png: not an image file"):
        load_image(text)
    with pytest.raises(MnistpadError, match=r"absent\.png: no such file"):
        load_image(tmp_path / "absent.png")


@pytest.mark.parametrize("name", ["deep", "batchnorm", "cnn"])
def test_normalizing_fixture_digits_keeps_shipped_accuracy(name, mnist):
    path = shipped_models_dir() / f"{name}{SUFFIX}"
    if not path.is_file():
        pytest.skip(f"{name} is not shipped")
    classifier = Classifier.from_file(path)
    raw = fixture_digits(mnist, 500)
    normalized = np.stack([normalize_digit(d) for d in raw])
    labels = mnist.test.labels.numpy()

    def acc(images):
        return (classifier.probabilities(images).argmax(axis=1) == labels).mean()

    assert abs(acc(normalized) - acc(raw)) <= 0.01
