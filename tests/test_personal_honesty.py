"""Personalizing is measured honestly: always from the base that is not personal, held-out
samples scored before anything trains on them, the samples recorded, too few samples said as
data, MNIST measured on the full test set when there is one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from mnistpad.cli import main
from mnistpad.core.data.samples import (
    list_samples,
    load_sample_folder,
    read_sample,
    samples_dir,
    save_sample,
)
from mnistpad.core.files import figures
from mnistpad.core.files.modelfile import load_model, read_info, update_metadata
from mnistpad.core.personal.checks import (
    HeldOut,
    base_model_path,
    load_base,
    sample_hashes,
    samples_fingerprint,
    samples_trained_on,
)
from mnistpad.core.personal.image import personalize, save_personal, summary
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.platform.paths import remember_data_dir
from mnistpad.core.strokes.renderer import PenStroke, render_strokes

STEPS = "15"


def write_samples(root, images, labels) -> None:
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        (root / str(label)).mkdir(parents=True, exist_ok=True)
        Image.fromarray((image * 255).astype(np.uint8)).save(root / str(label) / f"{i:03d}.png")


def adapt(capsys, model, samples) -> dict:
    """``mnistpad adapt`` (replacing the personal model an earlier call wrote, as asked)."""
    status = main(["adapt", str(model), "--samples", str(samples), "--steps", STEPS, "--json",
                   "--replace"])
    out, err = capsys.readouterr()
    assert status == 0, err
    return json.loads(out)


@pytest.fixture
def samples(mnist, tmp_path):
    root = tmp_path / "mine"
    write_samples(root, mnist.test.images[:40].view(-1, 28, 28).numpy(),
                  mnist.test.labels[:40].numpy())
    return root


def test_personalizing_a_personal_model_starts_again_from_its_base(capsys, trained_xavier,
                                                                   samples, mnistpad_home):
    """Twice on unchanged samples: the same base, the same held-out 'before' and the same
    MNIST 'before'; the second round does not fine-tune the first round's model."""
    _, base_path = trained_xavier
    first = adapt(capsys, base_path, samples)
    personal = mnistpad_home / "models" / "fixture-xavier-personal.safetensors"
    assert first["saved"] == str(personal)
    assert base_model_path(personal) == base_path
    second = adapt(capsys, personal, samples)
    assert second["saved"] == str(personal)
    assert second["base"] == first["base"] == "fixture-xavier"
    assert first["held_out"] == second["held_out"] == 10
    assert second["held_out_before"] == first["held_out_before"]
    assert second["mnist_before"] == first["mnist_before"]
    assert json.loads(read_info(personal).metadata["personal"])["base_path"] == str(base_path)


def test_a_personal_model_is_never_the_start_of_a_fine_tune(trained_xavier, mnist, tmp_path):
    base = load_model(trained_xavier[1])
    images = mnist.test.images[:30].view(-1, 28, 28).numpy()
    labels = mnist.test.labels[:30].numpy()
    result = personalize(base, images, labels, steps=5)
    path = save_personal(result, tmp_path / "fixture-xavier-personal.safetensors")
    with pytest.raises(MnistpadError, match="is personal: personalize its base"):
        personalize(load_model(path), images, labels, steps=5)
    assert load_base(path).info.path == trained_xavier[1]
    # a base that went missing is said in one line, naming it
    moved = tmp_path / "elsewhere.safetensors"
    path.rename(moved)
    info = read_info(moved)
    record = json.loads(info.metadata["personal"])
    record.update(base="gone", base_path=str(tmp_path / "gone.safetensors"),
                  base_file="gone.safetensors")
    update_metadata(moved, personal=json.dumps(record))
    with pytest.raises(MnistpadError, match="personalized from gone, which is not among"):
        base_model_path(moved)


def test_held_out_samples_are_scored_by_models_that_never_trained_on_them(trained_xavier,
                                                                          mnist):
    """The 'before' is the base's reading of the held-out samples, exactly."""
    base = load_model(trained_xavier[1])
    images = mnist.test.images[:40].view(-1, 28, 28).numpy()
    labels = mnist.test.labels[:40].numpy()
    result = personalize(base, images, labels, steps=5)
    held = [np.flatnonzero(labels == d)[-1] for d in range(10)
            if np.count_nonzero(labels == d) >= 2]
    with torch.no_grad():
        read = base.model(torch.from_numpy(images[held].reshape(-1, 784))).argmax(1).numpy()
    assert result.held_out == len(held) and result.held_out_status is HeldOut.MEASURED
    assert result.before == int((read == labels[held]).sum())


def test_too_few_samples_for_a_held_out_figure_is_data(capsys, trained_xavier, mnist,
                                                       tmp_path):
    labels = mnist.test.labels.numpy()
    rows = [*np.flatnonzero(labels == 3)[:2], *np.flatnonzero(labels == 5)[:2],
            *[np.flatnonzero(labels == d)[0] for d in (0, 1, 2)]]
    root = tmp_path / "few"
    write_samples(root, mnist.test.images[rows].view(-1, 28, 28).numpy(), labels[rows])
    row = adapt(capsys, trained_xavier[1], root)
    assert row["held_out_status"] == "too-few" and row["held_out"] == 0
    assert row["held_out_before"] is None and row["held_out_after"] is None

    base = load_model(trained_xavier[1])
    result = personalize(base, mnist.test.images[rows].view(-1, 28, 28).numpy(), labels[rows],
                         steps=3)
    facts = summary(result)
    assert facts["held_out"] == {"status": "too-few", "count": 0, "before": None,
                                 "after": None, "digits_with_two": 2, "digits_needed": 3}
    status = main(["adapt", str(trained_xavier[1]), "--samples", str(root), "--steps", "3",
                   "--replace"])
    out, _ = capsys.readouterr()
    assert status == 0 and "No held-out figure" in out and "1 of 1" not in out


def test_the_file_records_which_samples_it_was_trained_on(trained_xavier, mnist, tmp_path):
    base = load_model(trained_xavier[1])
    images = mnist.test.images[:30].view(-1, 28, 28).numpy()
    labels = mnist.test.labels[:30].numpy()
    path = save_personal(personalize(base, images, labels, steps=3),
                         tmp_path / "p.safetensors")
    info = read_info(path)
    assert samples_trained_on(info, images, labels) == 30
    assert samples_trained_on(info, images[::-1], labels[::-1]) == 30
    assert samples_trained_on(info, images[:10], labels[:10]) == 10
    others = mnist.test.images[100:120].view(-1, 28, 28).numpy()
    assert samples_trained_on(info, others, mnist.test.labels[100:120].numpy()) == 0
    assert samples_trained_on(base.info, images, labels) == 0
    record = json.loads(info.metadata["personal"])
    assert record["samples_fingerprint"] == samples_fingerprint(images[::-1], labels[::-1])
    assert record["samples_fingerprint"] != samples_fingerprint(images[1:], labels[1:])


def test_mnist_is_measured_on_the_remembered_folder_else_the_shipped_digits(trained_xavier,
                                                                           mnist, mnist_dir,
                                                                           tmp_path):
    base = load_model(trained_xavier[1])
    images = mnist.test.images[:20].view(-1, 28, 28).numpy()
    labels = mnist.test.labels[:20].numpy()
    shipped = personalize(base, images, labels, steps=3)
    assert (shipped.mnist_source, shipped.mnist_count) == (figures.MNIST_SHIPPED, 1000)
    remember_data_dir(mnist_dir)
    fixture = personalize(base, images, labels, steps=3)
    # the committed fixture holds 500 of MNIST's test digits: part of the test set
    assert (fixture.mnist_source, fixture.mnist_count) == (figures.MNIST_PART, 500)
    info = read_info(save_personal(fixture, tmp_path / "p.safetensors"))
    assert info.test_measured_on == figures.MNIST_PART
    assert info.measurement.mnist.count == 500 and info.measurement.by == "personalizing"
    assert info.test_accuracy == pytest.approx(fixture.mnist_after, abs=1e-6)


def test_drawn_samples_hash_the_same_for_personalizing_and_for_evaluating(mnistpad_home):
    """The Samples tab reads each sample file (read_sample); the Evaluate tab reads the
    folder (load_sample_folder): both give the same fingerprints, so a view can tell."""
    drawings = json.loads((Path(__file__).parent / "data" / "strokes.json").read_text())
    for sample in drawings["samples"][:12]:
        strokes = [PenStroke.of(points) for points in sample["strokes"]]
        save_sample(sample["label"], render_strokes(strokes), strokes)
    samples = list_samples()
    by_file = np.stack([read_sample(s.path) for s in samples])
    file_labels = np.asarray([s.label for s in samples])
    images, labels, _ = load_sample_folder(samples_dir())
    assert sample_hashes(by_file, file_labels) == sample_hashes(images, labels)
    assert len(set(sample_hashes(images, labels))) == 12
