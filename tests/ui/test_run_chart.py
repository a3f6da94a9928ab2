"""The training chart built alone: training against test figures, the gap shaded."""

from __future__ import annotations

import numpy as np
import pytest

from mnistpad.core.models.specs import lab_spec
from mnistpad.core.training.train import train
from mnistpad.ui.widgets.run_chart import RunChart, RunHistory


@pytest.fixture(scope="module")
def deep_run(mnist):
    """A deep net trained 10 epochs on 300 fixture digits: it learns them by heart."""
    from mnistpad.core.data.mnist import Mnist, Split

    data = Mnist(Split(mnist.train.images[:300], mnist.train.labels[:300]), mnist.test,
                 mnist.root)
    spec = lab_spec("deep").with_overrides(epochs=10)
    run = RunHistory("deep", spec, outcome="finished")
    train(spec, data, on_progress=lambda r: r.kind == "epoch" and run.add_epoch(r))
    return run


def xy(curve) -> tuple[list[float], list[float]]:
    x, y = curve.getData()
    return ([] if x is None else list(x)), ([] if y is None else list(y))


def test_an_epoch_record_fills_every_curve(deep_run):
    assert len(deep_run.epoch_cost) == len(deep_run.epoch_train_acc) == 10
    assert len(deep_run.epoch_acc) == len(deep_run.epoch_test_cost) == 10
    # learnt by heart: the training figures run ahead of the test figures
    assert deep_run.epoch_train_acc[-1] > deep_run.epoch_acc[-1] + 0.03
    assert deep_run.epoch_test_cost[-1] > deep_run.epoch_cost[-1]


def test_train_against_test_side_by_side_with_the_gap_shaded(qtbot, deep_run):
    chart = RunChart()
    qtbot.addWidget(chart)
    chart.show()
    chart.show_runs([deep_run], ["#1f77b4"], full=True)
    curves = chart.curves[id(deep_run)]
    assert xy(curves.epoch)[0] == [e + 0.5 for e in range(10)]
    assert not any(item.isVisible() for item in curves.train_vs_test())

    chart.set_train_vs_test(True)
    curves = chart.curves[id(deep_run)]
    assert all(item.isVisible() for item in curves.train_vs_test())
    ends = [e + 1.0 for e in range(10)]
    assert xy(curves.epoch) == (ends, pytest.approx(deep_run.epoch_cost))
    assert xy(curves.test_cost) == (ends, pytest.approx(deep_run.epoch_test_cost))
    assert xy(curves.train_accuracy)[1] == pytest.approx(
        list(100 * np.asarray(deep_run.epoch_train_acc)))
    qtbot.wait(50)
    for gap in (curves.cost_gap, curves.accuracy_gap):
        assert not gap.path().isEmpty()
    top = curves.cost_gap.path().boundingRect()
    assert top.top() == pytest.approx(min(deep_run.epoch_cost + deep_run.epoch_test_cost),
                                      rel=1e-3)
    chart.set_train_vs_test(False)
    curves = chart.curves[id(deep_run)]
    assert xy(curves.epoch)[0] == [e + 0.5 for e in range(10)]
    assert not any(item.isVisible() for item in curves.train_vs_test())


def test_a_saved_run_without_training_figures_shows_no_gap(qtbot, deep_run):
    saved = RunHistory("old", deep_run.spec, epoch_cost=[1.0, 0.5], epoch_acc=[0.9, 0.95],
                       outcome="saved")
    chart = RunChart()
    qtbot.addWidget(chart)
    chart.set_train_vs_test(True)
    chart.show_runs([saved], ["#ff7f0e"], full=True)
    curves = chart.curves[id(saved)]
    assert xy(curves.test_cost) == ([], []) and xy(curves.train_accuracy) == ([], [])
    assert curves.cost_gap.path().isEmpty()


def test_a_saved_run_keeps_its_training_and_test_figures(qtbot, trained_xavier):
    from mnistpad.core.files.modelfile import read_info

    result, path = trained_xavier
    run = RunHistory.from_model(read_info(path))
    assert run.epoch_train_acc == pytest.approx(result.train_accuracy_history)
    assert run.epoch_test_cost == pytest.approx(result.test_cost_history)
    assert len(run.epoch_train_acc) == len(run.epoch_cost) == 4
    chart = RunChart()
    qtbot.addWidget(chart)
    chart.set_train_vs_test(True)
    chart.show_runs([run], ["#2ca02c"], full=True)
    curves = chart.curves[id(run)]
    assert xy(curves.test_cost)[1] == pytest.approx(result.test_cost_history)


def test_a_redraw_between_epochs_sets_the_batch_curve_only(qtbot, deep_run, monkeypatch):
    """While a run goes only its batch curve grows between epoch ends: the epoch and accuracy
    curves (symbols and all) are not given their data again; an epoch end gives it to them."""
    chart = RunChart()
    qtbot.addWidget(chart)
    run = RunHistory("live", deep_run.spec)
    run.batch_x, run.batch_cost = [0.1, 0.2], [2.0, 1.5]
    run.epoch_cost, run.epoch_acc = deep_run.epoch_cost[:1], deep_run.epoch_acc[:1]
    chart.show_runs([run], ["#1f77b4"], full=True)
    curves = chart.curves[id(run)]
    calls = []
    for name in ("batch", "epoch", "accuracy"):
        item = getattr(curves, name)
        real = item.setData
        monkeypatch.setattr(item, "setData", lambda *a, real=real, name=name, **k: (
            calls.append(name), real(*a, **k)))
    run.batch_x.append(0.3)
    run.batch_cost.append(1.2)
    chart.show_runs([run], ["#1f77b4"])
    assert calls == ["batch"] and len(xy(curves.batch)[0]) == 3
    chart.show_runs([run], ["#1f77b4"])
    assert calls == ["batch"]  # nothing new: nothing set
    run.epoch_cost.append(deep_run.epoch_cost[1])
    run.epoch_acc.append(deep_run.epoch_acc[1])
    chart.show_runs([run], ["#1f77b4"])
    assert calls == ["batch", "epoch", "accuracy"]
    assert xy(curves.accuracy)[1] == pytest.approx(list(100 * np.asarray(run.epoch_acc)))
