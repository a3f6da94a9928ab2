"""``mnistpad race`` through the real command line: the JSON the issue specifies, the
lecture-style lines, and one line with exit code 1 for every kind of bad input."""

from __future__ import annotations

import json
import math

import pytest

from mnistpad.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_is_one_strict_object_on_the_last_line(capsys, mnist_dir):
    status, out, err = run(capsys, "race", "softmax", "--optimizers", "sgd,momentum,adam",
                           "--lr", "sgd=0.1,momentum=0.01", "--epochs", "2", "--seed", "9",
                           "--data", mnist_dir, "--device", "cpu", "--json")
    assert status == 0, err
    last = json.loads(out.strip().splitlines()[-1])
    assert set(last) == {"variant", "seed", "runs", "seconds"}
    assert last["variant"] == "softmax" and last["seed"] == 9 and last["seconds"] > 0
    assert [(r["optimizer"], r["learning_rate"]) for r in last["runs"]] == [
        ("sgd", 0.1), ("momentum", 0.01), ("adam", 0.001)]
    for r in last["runs"]:
        assert set(r) == {"optimizer", "learning_rate", "costs", "test_acc", "diverged_at"}
        assert len(r["costs"]) == 40 and len(r["test_acc"]) == 2  # 2,000 digits, batch 100
        assert r["diverged_at"] is None and all(math.isfinite(c) for c in r["costs"])
    assert len({r["costs"][0] for r in last["runs"]}) == 1


def test_a_diverging_racer_is_null_free_json_with_its_step(capsys, mnist_dir):
    status, out, err = run(capsys, "race", "nn", "--optimizers", "sgd,adam", "--lr",
                           "sgd=10", "--epochs", "1", "--data", mnist_dir, "--device", "cpu",
                           "--json")
    assert status == 0, err
    sgd, adam = json.loads(out.strip().splitlines()[-1])["runs"]
    assert isinstance(sgd["diverged_at"], int) and len(sgd["costs"]) == sgd["diverged_at"] - 1
    assert adam["diverged_at"] is None and len(adam["costs"]) == 20


def test_text_output_speaks_the_lecture_and_ends_with_a_table(capsys, mnist_dir):
    status, out, _ = run(capsys, "race", "softmax", "--optimizers", "adagrad,rmsprop",
                         "--tuned", "--epochs", "1", "--data", mnist_dir, "--device", "cpu")
    assert status == 0
    assert "Epoch: 0001 cost = " in out and "(Adagrad lr 0.01, test accuracy " in out
    assert "RMSProp" in out.splitlines()[-2] and out.splitlines()[-1].startswith("Raced in")


@pytest.mark.parametrize(("argv", "words"), [
    (["--optimizers", "adam,lbfgs"],
     "unknown optimizer 'lbfgs'; choose from: sgd, momentum, adagrad, rmsprop, adam"),
    (["--optimizers", "adam,sgd,adam"], "adam named more than once"),
    (["--optimizers", "adam"], "needs 2 to 5 optimizers"),
    (["--optimizers", ""], "name 2 to 5 optimizers with --optimizers"),
    (["--optimizers", "adam,sgd", "--lr", "sgd=0"], "must be a positive number up to 10"),
    (["--optimizers", "adam,sgd", "--lr", "sgd=-1"], "must be a positive number up to 10"),
    (["--optimizers", "adam,sgd", "--lr", "sgd=nan"], "must be a positive number up to 10"),
    (["--optimizers", "adam,sgd", "--lr", "sgd=10.5"], "must be a positive number up to 10"),
    (["--optimizers", "adam,sgd", "--lr", "sgd"], "NAME=VALUE"),
    (["--optimizers", "adam,sgd", "--lr", "rmsprop=0.1"], "not racing; racing: adam, sgd"),
    (["--optimizers", "adam,sgd", "--epochs", "x"], "--epochs must be a whole number"),
])
def test_bad_input_is_one_line_exit_1_and_nothing_trained(capsys, tmp_path, argv, words):
    """MNIST is not even there: every check comes before any data is read."""
    status, out, err = run(capsys, "race", "xavier", *argv, "--data", tmp_path)
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_an_unknown_variant_lists_the_valid_ones(capsys, tmp_path):
    status, _, err = run(capsys, "race", "cnn-ensemble", "--optimizers", "adam,sgd")
    assert status == 1 and "choose one of: softmax, nn, xavier" in err


def test_without_optimizers_all_five_race_at_the_lectures_rate():
    from mnistpad.cli.race import parse_racers
    from mnistpad.core.lessons.race import LECTURE_LEARNING_RATE, RACE_OPTIMIZERS

    racers = parse_racers(None, None)
    assert [r.optimizer for r in racers] == list(RACE_OPTIMIZERS)
    assert {r.learning_rate for r in racers} == {LECTURE_LEARNING_RATE}


def test_one_epoch_is_said_in_the_singular(capsys, mnist_dir):
    status, out, err = run(capsys, "race", "softmax", "--optimizers", "sgd,adam", "--epochs",
                           "1", "--data", mnist_dir, "--device", "cpu")
    assert status == 0, err
    assert "on softmax: 1 epoch, batch 100" in out.splitlines()[0]
    assert "1 epochs" not in out
