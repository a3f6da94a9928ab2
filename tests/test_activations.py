"""Each layer's activations and gradients over the fixed batch (core/lessons/activations.py), the
epoch figures train() records beside them, and ``mnistpad activations``."""

from __future__ import annotations

import json

import pytest
import torch
import torch.nn.functional as F

from mnistpad.cli import main
from mnistpad.core.lessons.activations import (
    BATCH_DIGITS,
    BINS,
    BatchSource,
    Finding,
    TrainingWatch,
    batch_from_split,
    fresh_model,
    probe_batch,
    read_model,
)
from mnistpad.core.models.specs import VariantSpec, lab_spec
from mnistpad.core.models.variants import build_model
from mnistpad.core.training.train import predict_logits, train


@pytest.fixture(scope="module")
def shipped_batch():
    return probe_batch()


def test_the_shipped_batch_is_1000_test_digits(shipped_batch):
    assert len(shipped_batch) == BATCH_DIGITS and shipped_batch.source is BatchSource.SHIPPED
    assert shipped_batch.images.shape == (BATCH_DIGITS, 784)
    assert set(shipped_batch.labels.tolist()) == set(range(10))
    assert float(shipped_batch.images.min()) >= 0 and float(shipped_batch.images.max()) <= 1


def test_a_folder_gives_mnists_first_test_digits(mnist_dir, mnist):
    batch = probe_batch(mnist_dir)
    assert batch.source is BatchSource.MNIST_TEST
    n = min(BATCH_DIGITS, len(mnist.test))
    assert torch.equal(batch.images, mnist.test.images[:n])


def test_the_lectures_slide_normal_against_xavier_at_the_same_seed(shipped_batch):
    normal = read_model(fresh_model("nn", "normal", 7), shipped_batch)
    xavier = read_model(fresh_model("nn", "xavier", 7), shipped_batch)
    normal_hidden = normal.members[0].last_hidden()
    xavier_hidden = xavier.members[0].last_hidden()
    assert normal_hidden.kind == xavier_hidden.kind == "ReLU"
    assert normal_hidden.std >= 10 * xavier_hidden.std
    assert normal.cost >= 10 * xavier.cost
    assert normal.members[0].layers[-1].finding is Finding.SATURATED
    assert normal_hidden.finding is Finding.EXPLODING
    assert {layer.finding for layer in xavier.members[0].layers} == {Finding.HEALTHY}


def test_the_same_seed_gives_the_same_reading_and_another_does_not(shipped_batch):
    first = read_model(fresh_model("xavier", None, 3), shipped_batch)
    assert read_model(fresh_model("xavier", None, 3), shipped_batch).cost == first.cost
    assert read_model(fresh_model("xavier", None, 4), shipped_batch).cost != first.cost


def test_layers_are_the_shown_modules_with_their_own_figures(shipped_batch):
    model = fresh_model("dropout", None, 0)
    stats = read_model(model, shipped_batch).members[0]
    # dropout is off when classifying: its layers are not shown
    assert [layer.kind for layer in stats.layers] == ["Linear", "ReLU"] * 4 + ["Linear"]
    assert [layer.index for layer in stats.layers] == [0, 1, 3, 4, 6, 7, 9, 10, 12]
    with torch.no_grad():
        first = model[0](shipped_batch.images)
    assert stats.layers[0].mean == pytest.approx(float(first.mean()), rel=1e-4)
    assert stats.layers[0].std == pytest.approx(float(first.std()), rel=1e-4)
    for layer in stats.layers:
        assert len(layer.activations.edges) == BINS + 1
        assert int(layer.activations.counts.sum()) == BATCH_DIGITS * layer.units
        assert int(layer.gradients.counts.sum()) == BATCH_DIGITS * layer.units


def test_output_gradient_is_softmax_minus_one_hot_over_n(shipped_batch):
    model = fresh_model("xavier", None, 1)
    stats = read_model(model, shipped_batch).members[0]
    with torch.no_grad():
        logits = model(shipped_batch.images)
    by_hand = (logits.softmax(1) - F.one_hot(shipped_batch.labels, 10)) / BATCH_DIGITS
    assert stats.layers[-1].grad_std == pytest.approx(float(by_hand.std()), rel=1e-4)
    assert stats.cost == pytest.approx(float(F.cross_entropy(logits, shipped_batch.labels)),
                                       rel=1e-5)


def test_dead_units_are_those_zero_for_every_digit(shipped_batch):
    model = fresh_model("xavier", None, 2)
    with torch.no_grad():
        model[2].bias[:200] = -1e4  # units 0-199 of the second hidden layer never fire
    stats = read_model(model, shipped_batch).members[0]
    second = stats.layers[3]
    assert second.kind == "ReLU" and second.finding is Finding.DEAD
    with torch.no_grad():
        hidden = model[:4](shipped_batch.images)
    by_hand = float((hidden == 0).all(dim=0).float().mean())
    assert second.zero_fraction == by_hand and by_hand >= 200 / 256
    assert all(layer.zero_fraction is None for layer in stats.layers if layer.kind != "ReLU")


def test_a_model_without_relu_says_dead_units_do_not_apply(shipped_batch):
    stats = read_model(fresh_model("softmax", None, 0), shipped_batch)
    assert not stats.members[0].has_relu and stats.members[0].last_hidden() is None
    assert [layer.zero_fraction for layer in stats.members[0].layers] == [None]


def test_an_ensemble_is_read_member_by_member(shipped_batch):
    spec = VariantSpec("cnn-ensemble", "ensemble", (32,), init="xavier", members=2,
                       member_arch="mlp")
    model = build_model(spec, torch.Generator().manual_seed(0)).eval()
    stats = read_model(model, shipped_batch)
    assert stats.is_ensemble and len(stats.members) == 2
    assert stats.members[0].cost != stats.members[1].cost
    with torch.no_grad():
        own = float(F.nll_loss(model(shipped_batch.images), shipped_batch.labels))
    assert stats.cost == pytest.approx(own, rel=1e-5)


def test_bad_fresh_models_are_refused():
    with pytest.raises(ValueError, match="unknown variant 'mlp9'; choose one of: softmax"):
        fresh_model("mlp9")
    with pytest.raises(ValueError, match="unknown init 'zeros'; choose one of: normal"):
        fresh_model("nn", "zeros")
    with pytest.raises(ValueError, match="seed"):
        fresh_model("nn", "normal", -1)


# --------------------------------------------------------------------- while training


def test_the_watch_reads_every_n_batches_without_changing_the_run(mnist, subset):
    data = subset(mnist, 1000, 100)  # 10 batches an epoch
    spec = lab_spec("dropout").with_overrides(epochs=2)
    batch = batch_from_split(mnist.test, BatchSource.MNIST_TEST)
    seen, modes = [], []

    def report(stats):
        seen.append(stats)

    watch = TrainingWatch(batch, report, every=4, max_share=None)
    original = watch.__call__

    def recording(model):
        original(model)
        modes.append(model.training)

    watched_costs, plain_costs = [], []
    train(spec, data, seed=5, evaluate=False, watch=recording,
          on_progress=lambda r: watched_costs.append(r.cost))
    train(spec, data, seed=5, evaluate=False,
          on_progress=lambda r: plain_costs.append(r.cost))
    assert watched_costs == plain_costs  # masks, shuffling, weights: untouched by reading
    assert len(seen) == 1 + 20 // 4  # the first batch, then every 4th
    assert all(modes)  # the model goes on training in training mode
    assert seen[-1].cost < seen[0].cost


def test_epoch_records_carry_train_and_test_figures(mnist, subset):
    data = subset(mnist, 500, 200)
    records = []
    result = train(lab_spec("xavier").with_overrides(epochs=2), data,
                   on_progress=lambda r: r.kind == "epoch" and records.append(r))
    assert [r.train_cost for r in records] == [r.cost for r in records]
    assert [r.train_acc for r in records] == result.train_accuracy_history
    assert all(0 < r.train_acc <= 1 for r in records)
    assert records[1].train_acc > records[0].train_acc
    assert [r.test_cost for r in records] == result.test_cost_history
    logits = predict_logits(result.model, result.spec, data.test.images)
    assert records[-1].test_cost == pytest.approx(
        float(F.cross_entropy(logits, data.test.labels)), rel=1e-5)


# --------------------------------------------------------------------- the command


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def test_cli_json_per_layer(capsys):
    status, out, _ = run(capsys, "activations", "nn", "--untrained", "--init", "normal",
                         "--seed", "7", "--json")
    assert status == 0
    payload = json.loads(out)
    assert payload["init"] == "normal" and payload["seed"] == 7 and payload["digits"] == 1000
    (member,) = payload["members"]
    assert [layer["name"] for layer in member["layers"]] == [
        "0 Linear", "1 ReLU", "2 Linear", "3 ReLU", "4 Linear"]
    layer = member["layers"][3]
    assert {"name", "kind", "mean", "std", "zero_fraction", "grad_std"} <= set(layer)
    assert len(layer["activation_histogram"]["counts"]) == BINS
    assert member["layers"][0]["zero_fraction"] is None
    stats = read_model(fresh_model("nn", "normal", 7), probe_batch())
    assert payload["cost"] == pytest.approx(stats.cost)


def test_cli_table_for_a_saved_model(capsys, trained_xavier, mnist_dir):
    _result, path = trained_xavier
    status, out, _ = run(capsys, "activations", path, "--data", mnist_dir)
    assert status == 0
    lines = out.splitlines()
    assert "cost" in lines[0] and "the MNIST test set" in lines[0]
    assert lines[1].split() == ["name", "kind", "mean", "std", "zero_fraction", "grad_std"]
    assert [line.split()[2] for line in lines[2:]] == ["Linear", "ReLU"] * 2 + ["Linear"]


def test_cli_softmax_says_dead_units_do_not_apply(capsys):
    status, out, _ = run(capsys, "activations", "softmax", "--untrained")
    assert status == 0 and "dead units do not apply" in out


@pytest.mark.parametrize(("argv", "expected"), [
    (["nosuch", "--untrained"], "unknown variant 'nosuch'; choose one of: softmax, nn"),
    (["nn", "--untrained", "--init", "zeros"], "unknown init 'zeros'; choose one of: normal, "
                                               "xavier, he"),
    (["nn", "--untrained", "--seed", "-1"], "the seed must be a whole number from 0 to"),
    (["nn", "--untrained", "--seed", "x"], "the seed must be a whole number from 0 to"),
    (["nn", "--init", "xavier"], "add --untrained"),
    (["nosuchmodel"], "no saved model named 'nosuchmodel'"),
])
def test_cli_bad_input_is_one_line_and_exit_1(capsys, argv, expected):
    status, out, err = run(capsys, "activations", *argv)
    assert status == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and expected in err


def test_cli_unreadable_model_file(capsys, tmp_path):
    bad = tmp_path / "broken.safetensors"
    bad.write_bytes(b"not a model")
    status, _out, err = run(capsys, "activations", bad)
    assert status == 1 and len(err.strip().splitlines()) == 1 and str(bad) in err


def test_train_json_epoch_lines_carry_train_and_test_figures(capsys, mnist_dir, tmp_path):
    status, out, _ = run(capsys, "train", "softmax", "--epochs", "1", "--data", mnist_dir,
                         "--out", tmp_path / "m", "--json")
    assert status == 0
    epoch = json.loads(out.splitlines()[0])
    assert epoch["train_cost"] == epoch["cost"] and 0 < epoch["train_acc"] <= 1
    assert epoch["test_cost"] > 0 and 0 < epoch["test_acc"] <= 1


def test_the_watch_puts_off_readings_that_would_cost_too_much(mnist, subset):
    data = subset(mnist, 1000, 100)  # 10 batches an epoch
    batch = batch_from_split(mnist.test, BatchSource.MNIST_TEST)
    spec = lab_spec("xavier").with_overrides(epochs=2)
    frugal = TrainingWatch(batch, lambda stats: None, every=1, max_share=1e-6)
    generous = TrainingWatch(batch, lambda stats: None, every=1, max_share=1.0)
    train(spec, data, evaluate=False, watch=frugal)
    train(spec, data, evaluate=False, watch=generous)
    # one reading takes as long as a few batches: at 1e-6 of the time only the first is
    # made; at all of it, about every other batch
    assert frugal.readings == 1
    assert 3 <= generous.readings <= 20
    with pytest.raises(ValueError, match="max_share"):
        TrainingWatch(batch, lambda stats: None, max_share=0)
