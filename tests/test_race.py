"""The optimizer race on real fixture digits: a fair start, the same pipeline as training,
divergence as data, cancel, saving a racer as an ordinary model file."""

from __future__ import annotations

import json

import pytest

from mnistpad.core.files.modelfile import load_model
from mnistpad.core.lessons.race import (
    RACE_OPTIMIZERS,
    Racer,
    check_racers,
    race,
    race_job,
    save_racer,
)
from mnistpad.core.models.variants import lab_spec
from mnistpad.core.platform.errors import TrainingCancelled
from mnistpad.core.training.train import Progress, accuracy, train

ALL = [Racer(name, 0.001) for name in RACE_OPTIMIZERS]


def test_all_racers_first_costs_are_equal_with_dropout_on(mnist, subset):
    """Same start, same first batch, same dropout masks: the first costs agree exactly;
    two steps later each optimizer has moved the weights its own way (Momentum's first step
    is plain gradient descent's)."""
    data = subset(mnist, 300, 100)
    result = race(lab_spec("dropout").with_overrides(epochs=1), data, ALL, seed=5,
                  device="cpu")
    firsts = [run.costs[0] for run in result.runs]
    assert len(set(firsts)) == 1, firsts
    thirds = [run.costs[2] for run in result.runs]
    assert len(set(thirds)) == len(ALL), thirds


def test_different_dropout_masks_would_show_in_the_first_cost(mnist, subset):
    """The check above can fail: another seed (another start and masks) moves the cost."""
    data = subset(mnist, 100, 50)
    spec = lab_spec("dropout").with_overrides(epochs=1)
    a = race(spec, data, ALL[:2], seed=5, device="cpu", evaluate=False)
    b = race(spec, data, ALL[:2], seed=6, device="cpu", evaluate=False)
    assert a.runs[0].costs[0] != b.runs[0].costs[0]


def test_a_racer_runs_exactly_as_a_training_run_of_its_optimizer(mnist, subset):
    """One pipeline, the training loop's own pieces: with no dropout, the Adam racer's
    batches and costs are those of ``train`` with the same seed, and so is its accuracy."""
    data = subset(mnist, 500, 200)
    spec = lab_spec("xavier").with_overrides(epochs=2)
    result = race(spec, data, [Racer("sgd", 0.1), Racer("adam", 0.001)], seed=11,
                  device="cpu")
    records: list[Progress] = []
    alone = train(spec, data, seed=11, device="cpu", on_progress=records.append,
                  evaluate=False)
    batch_costs = [r.cost for r in records if r.kind == "batch"]
    adam = result.runs[1]
    assert adam.costs == pytest.approx(batch_costs, rel=1e-6)
    assert adam.epoch_costs == pytest.approx(alone.cost_history, rel=1e-6)
    assert adam.test_acc[-1] == accuracy(alone.model, spec, data.test)
    assert len(result.runs[0].costs) == len(adam.costs) == 10
    assert result.runs[0].costs != adam.costs


def test_a_diverging_racer_is_marked_and_the_others_go_on(mnist, subset):
    data = subset(mnist, 500, 100)
    records = []
    result = race(lab_spec("nn").with_overrides(epochs=2), data,
                  [Racer("sgd", 10.0), Racer("adam", 0.001)], seed=3, device="cpu",
                  on_progress=records.append)
    sgd, adam = result.runs
    assert sgd.diverged_at is not None and 1 <= sgd.diverged_at <= 10
    assert len(sgd.costs) == sgd.diverged_at - 1
    assert sgd.test_acc == [] or len(sgd.test_acc) < 2
    assert adam.diverged_at is None and len(adam.costs) == 10 and len(adam.test_acc) == 2
    later = [r for r in records if r.kind == "batch" and r.step > sgd.diverged_at]
    assert later and all(r.costs[0] is None and r.costs[1] is not None for r in later)
    assert all(r.diverged == (sgd.diverged_at, None) for r in later)
    text = json.dumps(result.to_dict(), allow_nan=False)  # strict JSON: no NaN left in it
    assert json.loads(text)["runs"][0]["diverged_at"] == sgd.diverged_at
    with pytest.raises(ValueError, match="diverged at step"):
        save_racer("unused.safetensors", result, 0)


def test_progress_comes_every_batch_and_cancel_stops_within_one(mnist, subset):
    data = subset(mnist, 500, 100)
    records = []
    with pytest.raises(TrainingCancelled):
        race(lab_spec("softmax"), data, ALL[:3], device="cpu", on_progress=records.append,
             should_stop=lambda: len(records) >= 3)
    assert [r.step for r in records] == [1, 2, 3]
    assert all(len(r.costs) == 3 and None not in r.costs for r in records)


def test_a_kept_racer_is_an_ordinary_model_file(mnist, subset, tmp_path):
    data = subset(mnist, 300, 100)
    result = race(lab_spec("xavier").with_overrides(epochs=1), data,
                  [Racer("momentum", 0.01), Racer("rmsprop", 0.002)], seed=4, device="cpu")
    path = save_racer(tmp_path / "xavier-rmsprop.safetensors", result, 1)
    loaded = load_model(path)
    assert loaded.info.spec.optimizer == "rmsprop"
    assert loaded.info.spec.learning_rate == 0.002
    assert loaded.info.cost_history == pytest.approx(result.runs[1].epoch_costs)
    assert loaded.info.test_accuracy == pytest.approx(result.runs[1].test_acc[-1], abs=1e-6)
    assert accuracy(loaded.model, loaded.info.spec, data.test) == result.runs[1].test_acc[-1]


def test_the_job_reports_bundles_and_returns_the_race(mnist_dir):
    bundles = []
    job = race_job(lab_spec("softmax").with_overrides(epochs=1), mnist_dir, ALL[:2],
                   device="cpu")
    result = job(bundles.append, lambda: False)
    records = [r for bundle in bundles for r in bundle]
    assert [r.step for r in records if r.kind == "batch"] == list(range(1, 21))
    assert records[-1].kind == "epoch" and len(result.runs[0].costs) == 20


@pytest.mark.parametrize(("racers", "words"), [
    ([Racer("adam"), Racer("lbfgs")], "unknown optimizer 'lbfgs'; choose from: sgd, "
                                      "momentum, adagrad, rmsprop, adam"),
    ([Racer("adam"), Racer("adam")], "adam named more than once"),
    ([Racer("adam")], "needs 2 to 5 optimizers"),
    ([Racer("adam"), Racer("sgd", 0.0)], "learning rate of sgd must be a positive number"),
    ([Racer("adam"), Racer("sgd", 11.0)], "up to 10"),
    ([Racer("adam"), Racer("sgd", float("nan"))], "positive number"),
])
def test_bad_racers_are_refused_in_one_line(racers, words):
    with pytest.raises(ValueError) as info:
        check_racers(racers)
    assert words in str(info.value) and "\n" not in str(info.value)
