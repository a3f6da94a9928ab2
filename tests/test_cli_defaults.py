"""The command line's defaults: the model active in the app (remembered by the window in its
settings file, read here without Qt) for classify and inspect, inspect's default folder, and a
word when a picture holds two digits side by side."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from mnistpad.cli import main
from mnistpad.core.data.blobs import several_digits
from mnistpad.core.data.preprocess import normalize_digit
from mnistpad.core.models.active import active_model, remembered_model_path
from mnistpad.core.models.registry import scan


def _remember(model_path) -> None:
    """What the window writes when a model becomes active (AppState.activate)."""
    from mnistpad.ui.shell.settings import settings

    store = settings()
    store.setValue("geometry", b"\x01\x02%(odd)s")  # the other keys the file holds
    store.setValue("model", str(model_path))
    store.sync()


def _png(pixels: np.ndarray, path) -> str:
    Image.fromarray((pixels * 255).astype(np.uint8)).save(path)
    return str(path)


@pytest.fixture
def softmax_active(mnistpad_home):
    info = scan().find("softmax")
    _remember(info.path)
    return info


def test_the_settings_file_is_read_without_qt(softmax_active):
    assert remembered_model_path() == softmax_active.path
    assert active_model(scan()).name == "softmax"


def test_without_a_remembered_model_the_default_is_used(mnistpad_home):
    assert remembered_model_path() is None
    assert active_model(scan()).name == "drawn"


def test_classify_reads_with_the_active_model_and_help_names_it(softmax_active, mnist, capsys,
                                                                tmp_path):
    image = _png(mnist.test.images[0].view(28, 28).numpy(), tmp_path / "d.png")
    assert main(["classify", image, "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["model"] == "softmax" and row["several_digits"] is False
    with pytest.raises(SystemExit):
        main(["classify", "--help"])
    assert "the model active in the app, now softmax" in " ".join(capsys.readouterr().out.split())


def test_inspect_takes_the_active_model_and_a_default_folder(softmax_active, mnist, capsys,
                                                            tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    image = _png(mnist.test.images[1].view(28, 28).numpy(), tmp_path / "two.png")
    assert main(["inspect", image]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert "softmax reads" in printed[0]
    assert printed[1] == f"writing the pictures to {tmp_path / 'two-inside'}"
    assert (tmp_path / "two-inside" / "input.png").is_file()


def _side_by_side(mnist, left: int, right: int) -> np.ndarray:
    images = mnist.test.images.view(-1, 28, 28).numpy()
    return np.concatenate([images[left][:, 2:26], images[right][:, 2:26]], axis=1)


def test_two_digits_side_by_side_get_a_word(softmax_active, mnist, capsys, tmp_path):
    image = _png(_side_by_side(mnist, 0, 1), tmp_path / "pair.png")
    assert main(["classify", image]) == 0
    assert "one digit is expected" in capsys.readouterr().out
    assert main(["classify", image, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["several_digits"] is True


def test_several_digits_flags_pairs_and_almost_no_single_digit(mnist):
    images = mnist.test.images.view(-1, 28, 28).numpy()
    singles = sum(several_digits(image) for image in images)
    pairs = sum(several_digits(normalize_digit(_side_by_side(mnist, 2 * i, 2 * i + 1)))
                for i in range(len(images) // 2))
    assert singles <= len(images) // 100  # a 5 whose flag is apart, now and then
    assert pairs >= 0.95 * (len(images) // 2)
    assert not several_digits(None) and not several_digits(np.zeros((28, 28)))


def test_eval_reads_the_active_model_and_all_with_all(softmax_active, mnist_dir, capsys):
    assert main(["eval", "--data", str(mnist_dir), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["name"] for row in rows] == ["softmax"]


def test_eval_without_data_names_only_the_two_test_files(softmax_active, tmp_path, capsys):
    assert main(["eval", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "t10k-images-idx3-ubyte" in err and "t10k-labels-idx1-ubyte" in err
    assert "train-" not in err and "two test IDX files" in err


def test_adapt_defaults_to_the_app_samples_and_every_option_is_explained(mnistpad_home,
                                                                           capsys):
    with pytest.raises(SystemExit):
        main(["adapt", "--help"])
    out = capsys.readouterr().out
    text = " ".join(out.split())
    assert str(mnistpad_home / "samples") in "".join(out.split())  # argparse wraps at "-"
    options = text.split("options:")[1]
    for flag in ("--samples DIR", "--out OUT", "--steps STEPS", "--seed SEED", "--json"):
        after = options.split(flag, 1)[1].lstrip()
        assert after and not after.startswith("--"), flag  # help text follows each option


def test_the_cli_names_optimizers_as_the_gui_does(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    assert "GradientDescent (sgd)" in " ".join(capsys.readouterr().out.split())
