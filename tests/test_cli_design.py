"""``mnistpad train VARIANT`` with a design of one's own: --hidden, --activation,
--batch-norm (with the recipe knobs), and the bad input the issue names."""

from __future__ import annotations

import json

import pytest
from test_cli import run  # the suite's in-process `mnistpad` (tests/ is on sys.path)

from mnistpad.core.files.modelfile import read_info
from mnistpad.core.models.layers import Layer
from mnistpad.core.reading.classify import Classifier


@pytest.mark.slow  # about 20 s on a busy two-core machine: most of it the drawn-digit check
def test_the_lecture_exercise_net_trains_one_epoch_from_the_cli(capsys, mnist_dir, tmp_path):
    """784-128-64-10 with sigmoid: the same training path as the lab variants."""
    status, out, err = run(capsys, "train", "xavier", "--hidden", "128,64", "--activation",
                           "sigmoid", "--epochs", "1", "--keep-prob", "0.9", "--optimizer",
                           "rmsprop", "--lr", "0.002", "--data", mnist_dir,
                           "--out", tmp_path / "mine", "--json")
    assert status == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row.get("epoch") for row in rows] == [1, None]
    assert rows[0]["cost"] > 0 and 0 <= rows[0]["test_acc"] <= 1
    assert rows[1]["parameters"] == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10
    info = read_info(rows[1]["saved"])
    assert info.spec.layers == (Layer(128, "sigmoid", 0.9), Layer(64, "sigmoid", 0.9))
    assert (info.spec.optimizer, info.spec.learning_rate, info.spec.init) == (
        "rmsprop", 0.002, "xavier")
    assert info.parameters == rows[1]["parameters"]
    assert info.test_accuracy == pytest.approx(rows[1]["test_acc"], abs=1e-6)
    kinds = [type(m).__name__ for m in Classifier.from_file(info.path).model]
    assert kinds == ["Linear", "Sigmoid", "Dropout", "Linear", "Sigmoid", "Dropout", "Linear"]


def test_the_json_end_line_counts_a_lab_variants_parameters(capsys, mnist_dir, tmp_path):
    status, out, _ = run(capsys, "train", "softmax", "--epochs", "1", "--data", mnist_dir,
                         "--out", tmp_path / "s", "--json")
    assert status == 0 and json.loads(out.splitlines()[-1])["parameters"] == 7_850


@pytest.mark.parametrize(("argv", "fragment"), [
    (["xavier", "--hidden", "128,0"], "hidden layer 2: width must be a whole number from 1 up"),
    (["xavier", "--hidden", "5000"], "hidden layer 1: 5,000 units, more than 4,096"),
    (["xavier", "--hidden", "12,x"], "--hidden takes widths separated by commas"),
    (["xavier", "--activation", "swish"],
     "unknown activation 'swish'; choose one of: relu, sigmoid, tanh"),
    (["cnn-ensemble", "--hidden", "64"], "apply to an MLP or a CNN"),
    (["softmax", "--batch-norm"], "--batch-norm needs at least one hidden layer"),
    (["--all", "--hidden", "64"], "not with --all"),
])
def test_bad_designs_are_one_line_and_exit_1_before_any_work(capsys, tmp_path, mnistpad_home,
                                                             argv, fragment):
    status, out, err = run(capsys, "train", *argv, "--data", tmp_path / "no-mnist",
                           "--out", tmp_path / "x")
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and fragment in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_cnns_hidden_layers_come_after_its_convolutions(capsys, tmp_path):
    """--hidden on a CNN designs the fully connected layers; the conv stages stay."""
    from argparse import Namespace

    from mnistpad.cli.design import design_from_args
    from mnistpad.core.models.specs import lab_spec

    args = Namespace(hidden="100", activation="tanh", batch_norm=True, all=False)
    spec = design_from_args(lab_spec("deepcnn"), args)
    assert spec.arch == "cnn" and spec.conv_stages() == lab_spec("deepcnn").conv_stages()
    assert spec.layers == (Layer(100, "tanh", 0.7, True),)
