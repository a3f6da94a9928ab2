"""The training loop on real fixture digits: learning, progress, seeds, cancel, divergence."""

from __future__ import annotations

import itertools
import math

import pytest
import torch

from mnistpad.core.models.variants import VariantSpec, build_model, lab_spec
from mnistpad.core.platform.errors import TrainingCancelled, TrainingDiverged
from mnistpad.core.training.train import (
    accuracy,
    augment_batch,
    make_optimizer,
    predict_logits,
    resolve_device,
    train,
)


def first_batch_cost(spec, data) -> float:
    records = []
    with pytest.raises(TrainingCancelled):
        train(spec, data, on_progress=records.append, should_stop=lambda: bool(records))
    return records[0].cost


def test_normal_init_starts_with_a_huge_cost_and_xavier_near_ln10(mnist, subset):
    """Lab 10-2 vs 10-3: the same network, only the init differs."""
    data = subset(mnist, 100)
    nn_cost = first_batch_cost(lab_spec("nn"), data)
    xavier_cost = first_batch_cost(lab_spec("xavier"), data)
    assert nn_cost > 30  # N(0, 1) weights: logits in the hundreds
    assert xavier_cost < 4  # near ln(10) = 2.30 (plus the N(0, 1) biases)
    assert nn_cost > 100 * xavier_cost


def test_xavier_learns_the_fixture(trained_xavier, mnist):
    result, _ = trained_xavier
    costs, accs = result.cost_history, result.accuracy_history
    assert len(costs) == len(accs) == len(result.epoch_seconds) == 4
    assert all(later < earlier for earlier, later in itertools.pairwise(costs))
    assert costs[-1] < 0.5 * costs[0]
    assert accs[1] > 0.80  # two epochs on 2,000 digits, scored on the 500 test digits
    assert result.test_accuracy == accs[-1] > 0.85
    assert result.test_accuracy == pytest.approx(accuracy(result.model, result.spec, mnist.test))
    assert not result.model.training
    assert result.seconds > 0 and result.seed == 777 and result.device == "cpu"


def test_batchnorm_learns_in_one_epoch(mnist):
    result = train(lab_spec("batchnorm").with_overrides(epochs=1), mnist)
    assert result.test_accuracy > 0.6  # chance is 0.1


def test_progress_records(mnist, subset):
    data = subset(mnist, 250, 100)  # 3 batches of 100, 100, 50
    records = []
    result = train(lab_spec("xavier").with_overrides(epochs=2), data, on_progress=records.append)
    batches = [r for r in records if r.kind == "batch"]
    epochs = [r for r in records if r.kind == "epoch"]
    assert {r.kind for r in records} == {"batch", "epoch"}
    assert [(r.epoch, r.batch) for r in batches] == [(e, b) for e in (1, 2) for b in (1, 2, 3)]
    assert [records.index(e) for e in epochs] == [3, 7]  # after each epoch's last batch
    assert all(r.batches == 3 and r.epochs == 2 for r in records)
    fractions = [r.fraction for r in records]
    assert fractions == sorted(fractions) and 0 < fractions[0] < 0.2
    assert fractions[-1] == 1.0 and epochs[-1].fraction == 1.0
    assert all(r.samples_per_s > 0 and math.isfinite(r.cost) for r in records)
    seconds = [r.seconds for r in records]
    assert seconds == sorted(seconds) and seconds[0] > 0
    assert [e.cost for e in epochs] == pytest.approx(result.cost_history)
    assert [e.test_acc for e in epochs] == result.accuracy_history
    assert all(e.epoch_seconds > 0 for e in epochs)
    assert all(r.test_acc is None for r in batches)
    # an epoch's cost is the mean of its batch costs
    assert epochs[0].cost == pytest.approx(sum(r.cost for r in batches[:3]) / 3)


def test_evaluate_false_measures_no_accuracy(mnist, subset):
    result = train(lab_spec("softmax").with_overrides(epochs=1), subset(mnist, 200),
                   evaluate=False)
    assert result.accuracy_history == [] and result.test_accuracy is None
    assert len(result.cost_history) == 1


def test_same_seed_gives_identical_costs_and_another_seed_does_not(mnist, subset):
    spec = lab_spec("dropout").with_overrides(epochs=2)  # shuffling, init and dropout masks
    data = subset(mnist, 300)

    def costs(seed):
        records = []
        train(spec, data, seed=seed, evaluate=False, on_progress=records.append)
        return [r.cost for r in records if r.kind == "batch"]

    first = costs(777)
    assert costs(777) == first
    assert costs(1) != first


def test_cancel_stops_within_one_batch(mnist):
    records = []
    flag = []

    def on_progress(record):
        records.append(record)
        if record.kind == "batch" and record.batch == 3:
            flag.append(len(records))  # the user presses Cancel here

    with pytest.raises(TrainingCancelled, match="cancelled"):
        train(lab_spec("xavier").with_overrides(epochs=5), mnist, on_progress=on_progress,
              should_stop=lambda: bool(flag))
    after = [r for r in records[flag[0]:] if r.kind == "batch"]
    assert len(after) <= 1
    assert not any(r.kind == "epoch" for r in records)


def test_cancel_before_the_first_batch(mnist):
    records = []
    with pytest.raises(TrainingCancelled):
        train(lab_spec("cnn"), mnist, on_progress=records.append, should_stop=lambda: True)
    assert records == []


@pytest.mark.parametrize(
    "spec",
    [
        lab_spec("xavier").with_overrides(optimizer="sgd", learning_rate=10),
        lab_spec("nn").with_overrides(optimizer="sgd", learning_rate=10),
        lab_spec("xavier").with_overrides(learning_rate=10),
    ],
    ids=["xavier-sgd-10", "nn-sgd-10", "xavier-adam-10"],
)
def test_a_huge_learning_rate_diverges_with_a_clear_message(mnist, spec):
    records = []
    with pytest.raises(TrainingDiverged) as info:
        train(spec, mnist, on_progress=records.append)
    message = str(info.value)
    assert "diverged" in message and "nothing was saved" in message
    assert f"smaller learning rate than {spec.learning_rate:g}" in message
    assert "\n" not in message
    assert not any(r.kind == "epoch" for r in records)


@pytest.mark.parametrize(
    ("name", "kind", "momentum"),
    [
        ("adam", torch.optim.Adam, None),
        ("sgd", torch.optim.SGD, 0),
        ("momentum", torch.optim.SGD, 0.9),
        ("adagrad", torch.optim.Adagrad, None),
        ("rmsprop", torch.optim.RMSprop, None),
    ],
)
def test_each_optimizer_is_built_with_the_spec_learning_rate(name, kind, momentum):
    spec = lab_spec("softmax").with_overrides(optimizer=name, learning_rate=0.02)
    optimizer = make_optimizer(spec, build_model(spec).parameters())
    assert type(optimizer) is kind
    assert optimizer.param_groups[0]["lr"] == 0.02
    if momentum is not None:
        assert optimizer.param_groups[0]["momentum"] == momentum


def test_predict_logits_is_eval_mode_and_restores_training_mode(mnist):
    spec = lab_spec("dropout")
    torch.manual_seed(0)
    model = build_model(spec).train()
    images = mnist.test.images[:64]
    first = predict_logits(model, spec, images, batch_size=10)
    assert model.training  # restored
    assert torch.equal(predict_logits(model, spec, images, batch_size=10), first)
    torch.testing.assert_close(predict_logits(model, spec, images), first)
    assert not torch.equal(model(images), model(images))  # dropout really is on in train mode


def test_augment_keeps_shape_and_range_and_moves_ink(mnist):
    images = mnist.train.images[:32].view(-1, 1, 28, 28)
    out = augment_batch(images, torch.Generator().manual_seed(0))
    assert out.shape == images.shape
    assert out.min().item() >= 0.0 and out.max().item() <= 1.0 + 1e-6
    assert not torch.allclose(out, images)
    assert out.sum().item() > 0.5 * images.sum().item()  # ink moved, not lost


@pytest.mark.parametrize("arch", ["mlp", "cnn"])
def test_augmented_training_runs_for_every_input_shape(mnist, subset, arch):
    base = lab_spec("xavier" if arch == "mlp" else "cnn")
    spec = base.with_overrides(augment=True, lr_schedule="cosine", epochs=1)
    result = train(spec, subset(mnist, 200), evaluate=False)
    assert math.isfinite(result.cost_history[0])


def test_a_small_mlp_ensemble_trains(mnist, subset):
    spec = VariantSpec("cnn-ensemble", "ensemble", (32,), init="xavier", members=2,
                       member_arch="mlp", epochs=2, learning_rate=0.01)
    result = train(spec, subset(mnist, 500, 100))
    assert len(result.model.members) == 2
    assert result.cost_history[1] < result.cost_history[0] < 5
    assert result.test_accuracy > 0.5  # chance is 0.1


def test_resolve_device():
    assert resolve_device("cpu") == torch.device("cpu")
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        assert resolve_device("auto") == torch.device("cpu")
        with pytest.raises(ValueError, match="CUDA"):
            resolve_device("cuda")


def test_cancel_during_the_test_set_pass_stops_it(mnist):
    """The per-epoch evaluation checks the flag between chunks too."""
    from mnistpad.core.training.train import predict_logits

    spec = lab_spec("cnn")
    model = build_model(spec)
    calls = []

    def stop_on_second_check():
        calls.append(1)
        return len(calls) >= 2

    with pytest.raises(TrainingCancelled):
        predict_logits(model, spec, mnist.test.images, batch_size=100,
                       should_stop=stop_on_second_check)
    assert len(calls) == 2
