"""Round four, command-line flags: ``train strokes`` refuses the flags that do not apply to
the stroke reader instead of ignoring them, and every whole-number option's error names the
option."""

from __future__ import annotations

import pytest

from mnistpad.cli import strokes as cli_strokes
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.strokes import training as stroke_training

from .conftest import one_line_error


@pytest.fixture
def no_stroke_training(monkeypatch):
    """Training the stroke reader takes minutes: here it fails at once if it is reached (a
    flag that was not refused), as does choosing the combination."""

    def reached(*args, **kwargs):
        raise MnistpadError("the stroke reader was trained anyway")

    monkeypatch.setattr(cli_strokes, "_image_classifier", lambda: None)
    monkeypatch.setattr(stroke_training, "train_stroke_reader", reached)
    monkeypatch.setattr(stroke_training, "choose_combination", reached)


@pytest.mark.parametrize("flags, named", [
    (["--hidden", "5", "--activation", "tanh"], ["--hidden", "--activation"]),
    (["--batch-norm"], ["--batch-norm"]),
    (["--no-batch-norm"], ["--batch-norm"]),
    (["--init", "normal"], ["--init"]),
    (["--device", "cuda"], ["--device"]),
    (["--data", "somewhere", "--download"], ["--data", "--download"]),
])
def test_train_strokes_refuses_the_flags_that_do_not_apply_to_it(
        mnistpad_main, no_stroke_training, tmp_path, flags, named):
    proc = mnistpad_main("train", "strokes", *flags, "--out", tmp_path / "s")
    line = one_line_error(proc, *named, "stroke reader")
    assert "trained anyway" not in line
    assert not list(tmp_path.iterdir())


def test_train_strokes_still_takes_its_own_flags(mnistpad_main, no_stroke_training, tmp_path):
    proc = mnistpad_main("train", "strokes", "--epochs", "1", "--batch-size", "8", "--lr",
                         "0.01", "--optimizer", "sgd", "--keep-prob", "0.9", "--seed", "3",
                         "--out", tmp_path / "s")
    one_line_error(proc, "trained anyway")  # it got as far as training


def test_an_image_model_still_takes_the_device_flag(mnistpad_main):
    proc = mnistpad_main("train", "xavier", "--device", "nope")
    assert proc.returncode == 2 and "--device" in proc.stderr


@pytest.mark.parametrize("argv, option", [
    (["activations", "nn", "--untrained", "--seed", "²"], "--seed"),
    (["activations", "nn", "--untrained", "--seed", "-1"], "--seed"),
    (["activations", "nn", "--untrained", "--seed", "1e3"], "--seed"),
    (["activations", "nn", "--untrained", "--seed", str(2**64)], "--seed"),
    (["train", "xavier", "--seed", "²"], "--seed"),
    (["train", "xavier", "--epochs", "²"], "--epochs"),
    (["train", "xavier", "--batch-size", "²"], "--batch-size"),
    (["train", "strokes", "--epochs", "²"], "--epochs"),
    (["adapt", "xavier", "--steps", "²"], "--steps"),
    (["adapt", "xavier", "--seed", "²"], "--seed"),
    (["race", "xavier", "--optimizers", "sgd,adam", "--seed", "²"], "--seed"),
    (["race", "xavier", "--optimizers", "sgd,adam", "--epochs", "²"], "--epochs"),
    (["inspect", "xavier", "digit.png", "--digit", "²"], "--digit"),
])
def test_a_bad_whole_number_names_its_option(mnistpad_main, argv, option):
    proc = mnistpad_main(*argv)
    assert proc.returncode in (1, 2), proc.stderr
    assert "Traceback" not in proc.stderr and "invalid literal" not in proc.stderr
    [line] = [line for line in proc.stderr.splitlines() if "error" in line]
    assert option in line, line
