"""Your samples and the personal model: files, reading, fine-tuning, and ``mnistpad adapt``."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from mnistpad.cli import main
from mnistpad.core.data.samples import (
    delete_sample,
    list_samples,
    load_sample_folder,
    read_sample,
    restore_sample,
    samples_dir,
    save_sample,
)
from mnistpad.core.files.modelfile import load_model, read_info
from mnistpad.core.personal.image import _split, personalize, save_personal
from mnistpad.core.platform.errors import MnistpadError, TrainingCancelled
from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes, render_strokes
from mnistpad.core.training.train import accuracy

SEVEN = [PenStroke.of([(60, 50), (220, 50), (120, 240)])]


def styled(images: np.ndarray, angle: float = -40) -> np.ndarray:
    """A consistent handwriting style the fixture model has not seen: every digit slanted
    by ``angle`` degrees."""
    return np.stack([np.asarray(Image.fromarray(i, mode="F").rotate(angle, Image.BILINEAR))
                     for i in images.astype(np.float32)])


def test_a_labelled_drawing_is_saved_as_an_imagefolder_png(mnistpad_home):
    ink = render_strokes(SEVEN)
    path = save_sample(7, ink, SEVEN, read_as=1, model="drawn")
    assert path.parent == mnistpad_home / "samples" / "7" and path.suffix == ".png"
    with Image.open(path) as image:
        assert image.mode == "L" and image.size == (280, 280)
        np.testing.assert_allclose(np.asarray(image) / 255.0, ink, atol=1 / 255)
    [sample] = list_samples()
    assert sample.label == 7 and sample.read_as == 1 and sample.corrected
    assert sample.model == "drawn"
    # read back exactly as the canvas reads the drawing
    np.testing.assert_array_equal(read_sample(path), digit_from_strokes(SEVEN, 280, ink))
    again = save_sample(7, ink, SEVEN, read_as=7)
    assert not next(s for s in list_samples() if s.path == again).corrected
    assert [p.name for p in (mnistpad_home / "samples" / "7").iterdir()
            if p.name.startswith(".")] == []  # no temporary file left


def test_delete_and_undo_a_sample():
    path = save_sample(3, render_strokes(SEVEN), SEVEN)
    data = delete_sample(path)
    assert not path.exists() and list_samples() == []
    restore_sample(path, data)
    assert [s.path for s in list_samples()] == [path]


def test_a_folder_of_any_images_reads_in_either_polarity(tmp_path, mnist):
    pixels = (mnist.test.images[:4].view(-1, 28, 28).numpy() * 255).astype(np.uint8)
    labels = mnist.test.labels[:4].tolist()
    for i, (image, label) in enumerate(zip(pixels, labels, strict=True)):
        folder = tmp_path / str(label)
        folder.mkdir(exist_ok=True)
        picture = Image.fromarray(255 - image if i % 2 else image).resize((112, 112))
        picture.save(folder / f"d{i}.{'jpg' if i == 3 else 'png'}", quality=95)
    images, got, paths = load_sample_folder(tmp_path)
    assert images.shape == (4, 28, 28) and sorted(got.tolist()) == sorted(labels)
    assert len(paths) == 4


@pytest.mark.parametrize(("make", "message"), [
    (lambda root: None, "no such folder"),
    (lambda root: root.mkdir(), "no digit folders"),
    (lambda root: (root / "3").mkdir(parents=True), "hold no images"),
    (lambda root: ((root / "3").mkdir(parents=True),
                   (root / "3" / "notes.txt").write_text("hi")), "notes.txt: not an image"),
    (lambda root: ((root / "4").mkdir(parents=True),
                   (root / "4" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 20)),
     "broken.png: not an image file that can be read"),
    (lambda root: ((root / "5").mkdir(parents=True),
                   Image.new("L", (50, 50), 255).save(root / "5" / "blank.png")),
     "blank.png: holds no digit"),
])
def test_bad_sample_folders_get_one_line_naming_the_problem(tmp_path, make, message):
    root = tmp_path / "samples"
    make(root)
    with pytest.raises(MnistpadError, match=message) as caught:
        load_sample_folder(root)
    assert "\n" not in str(caught.value)


def test_personalizing_learns_a_style_from_a_few_samples(trained_xavier, mnist, tmp_path):
    """A fixture model reads slanted digits badly; five of each, taught, lift its reading
    of the other slanted digits, and the file says what was done."""
    _, path = trained_xavier
    base = load_model(path)
    images = styled(mnist.test.images.view(-1, 28, 28).numpy())
    labels = mnist.test.labels.numpy()
    taught = np.concatenate([np.flatnonzero(labels == d)[:5] for d in range(10)])
    rest = np.setdiff1d(np.arange(len(labels)), taught)
    before = accuracy(base.model, base.info.spec, _split(images[rest], labels[rest]))
    fractions = []
    result = personalize(base, images[taught], labels[taught], on_progress=fractions.append)
    after = accuracy(result.model, base.info.spec, _split(images[rest], labels[rest]))
    assert after >= before + 0.06, (before, after)
    assert fractions[-1] == pytest.approx(1.0) and fractions == sorted(fractions)
    assert result.held_out == 10 and result.before is not None and result.after is not None
    assert result.per_digit == [5] * 10
    # the base model is untouched
    assert accuracy(base.model, base.info.spec, _split(images[rest], labels[rest])) == before

    saved = save_personal(result, tmp_path / "fixture-personal.safetensors")
    info = read_info(saved)
    personal = json.loads(info.metadata["personal"])
    assert personal["base"] == base.info.name and personal["samples_per_digit"] == [5] * 10
    assert personal["held_out_before"] == result.before
    assert personal["held_out_after"] == result.after
    assert info.spec == base.info.spec and "your own drawings" in info.training_data
    reloaded = load_model(saved)
    np.testing.assert_allclose(
        reloaded.model(_split(images[:8], labels[:8]).images).detach().numpy(),
        result.model(_split(images[:8], labels[:8]).images).detach().numpy(), atol=1e-5)


def test_cancel_stops_personalizing(trained_xavier, mnist):
    base = load_model(trained_xavier[1])
    images = mnist.test.images[:20].view(-1, 28, 28).numpy()
    with pytest.raises(TrainingCancelled):
        personalize(base, images, mnist.test.labels[:20].numpy(), should_stop=lambda: True)


def _write_samples(root, images, labels):
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        (root / str(label)).mkdir(parents=True, exist_ok=True)
        Image.fromarray((image * 255).astype(np.uint8)).save(root / str(label) / f"{i}.png")


def test_adapt_writes_a_personal_model_that_classify_uses(capsys, trained_xavier, mnist,
                                                          mnistpad_home, tmp_path):
    images = styled(mnist.test.images[:60].view(-1, 28, 28).numpy())
    labels = mnist.test.labels[:60].numpy()
    _write_samples(tmp_path / "mine", images, labels)
    status = main(["adapt", str(trained_xavier[1]), "--samples", str(tmp_path / "mine"),
                   "--steps", "20", "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    row = json.loads(out)
    saved = mnistpad_home / "models" / "fixture-xavier-personal.safetensors"
    assert row["saved"] == str(saved) and saved.is_file()
    assert row["base"] == "fixture-xavier" and sum(row["samples_per_digit"]) == 60
    status = main(["classify", "--model", str(saved), "--json",
                   str(next((tmp_path / "mine").rglob("*.png")))])
    out, _ = capsys.readouterr()
    assert status == 0 and json.loads(out)["model"] == "fixture-xavier-personal"


@pytest.mark.parametrize("layout", ["missing", "no digit folders", "empty", "unreadable"])
def test_adapt_refuses_bad_folders_and_writes_nothing(capsys, trained_xavier, mnistpad_home,
                                                      tmp_path, layout):
    root = tmp_path / "mine"
    if layout != "missing":
        root.mkdir()
    if layout == "empty":
        (root / "2").mkdir()
    if layout == "unreadable":
        (root / "2").mkdir()
        (root / "2" / "x.png").write_text("not a picture")
    status = main(["adapt", str(trained_xavier[1]), "--samples", str(root)])
    _out, err = capsys.readouterr()
    assert status == 1 and "Traceback" not in err
    assert err.startswith("mnistpad: error: ") and err.count("\n") == 1
    assert not (mnistpad_home / "models").exists()
    assert samples_dir() == mnistpad_home / "samples"
