"""The race panel alone, driven through real clicks: a race on the MNIST fixture, its live
curves, the final table, keeping a racer, divergence, cancel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from mnistpad.core.files.modelfile import load_model
from mnistpad.ui.lessons.race_panel import RacePanel
from mnistpad.ui.state.jobs import JobRunner

from .conftest import MNIST_FIXTURE


@pytest.fixture
def panel(qtbot, tmp_path):
    runner = JobRunner()
    view = RacePanel(runner, lambda: MNIST_FIXTURE, lambda: tmp_path / "models", device="cpu")
    qtbot.addWidget(view)
    view.resize(1000, 640)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.shutdown()
    runner.shutdown()


def click_check(qtbot, check) -> None:
    """On the box itself: the check box's row is wider than what it answers to."""
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))


def choose(qtbot, panel, variant: str, optimizers: set[str], epochs: int = 1) -> None:
    panel.variant.setCurrentIndex(panel.variant.findData(variant))
    for name, check in panel.checks.items():
        if check.isChecked() != (name in optimizers):
            click_check(qtbot, check)
    assert {n for n, c in panel.checks.items() if c.isChecked()} == optimizers
    panel.epochs.setValue(epochs)


def set_rate(qtbot, panel, name: str, text: str) -> None:
    spin = panel.rates[name]
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Tab)


def race_to_the_end(qtbot, panel) -> dict:
    with qtbot.waitSignal(panel.raceFinished, timeout=120_000) as finished:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_running())
    return finished.args[0]


def test_a_race_draws_every_racer_and_ends_in_a_table(qtbot, panel, tmp_path):
    choose(qtbot, panel, "softmax", {"sgd", "momentum", "adam"}, epochs=2)
    qtbot.mouseClick(panel.tuned["sgd"], Qt.MouseButton.LeftButton)
    assert panel.rates["sgd"].value() == pytest.approx(0.1)
    data = race_to_the_end(qtbot, panel)

    assert [(r["optimizer"], r["learning_rate"]) for r in data["runs"]] == [
        ("sgd", 0.1), ("momentum", 0.001), ("adam", 0.001)]
    assert data["batches_per_epoch"] == 20
    assert all(len(r["costs"]) == 40 and len(r["test_acc"]) == 2 for r in data["runs"])
    # The live curves got every batch of every racer, from the same first cost.
    assert [len(h.batch_cost) for h in panel.histories] == [40, 40, 40]
    assert len({h.batch_cost[0] for h in panel.histories}) == 1
    assert [h.batch_cost for h in panel.histories] == [r["costs"] for r in data["runs"]]
    assert len(panel.chart.curves) == 3
    assert panel.table.rowCount() == 3
    assert panel.table.item(0, 0).text() == "GradientDescent"
    assert panel.table.item(2, 3).text().endswith("%")
    assert not panel.keep_button.isEnabled()

    rect = panel.table.visualItemRect(panel.table.item(2, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.keep_button.isEnabled()
    with qtbot.waitSignal(panel.modelKept) as kept:
        qtbot.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)
    loaded = load_model(kept.args[0])
    assert loaded.info.name == "softmax-adam"
    assert loaded.info.spec.optimizer == "adam"
    assert loaded.info.accuracy_history == pytest.approx(data["runs"][2]["test_acc"])


def test_a_diverging_racer_is_marked_and_cannot_be_kept(qtbot, panel):
    choose(qtbot, panel, "nn", {"sgd", "adam"})
    set_rate(qtbot, panel, "sgd", "10")
    assert panel.rates["sgd"].value() == 10
    data = race_to_the_end(qtbot, panel)
    step = data["runs"][0]["diverged_at"]
    assert isinstance(step, int) and data["runs"][1]["diverged_at"] is None
    assert panel.histories[0].name.endswith(f"diverged at step {step}")
    assert panel.table.item(0, 4).text() == f"at step {step}"
    rect = panel.table.visualItemRect(panel.table.item(0, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not panel.keep_button.isEnabled()


def test_cancel_stops_the_race_and_frees_the_controls(qtbot, panel):
    choose(qtbot, panel, "deep", {"rmsprop", "adam", "adagrad"}, epochs=20)
    with qtbot.waitSignal(panel.runningChanged, timeout=10_000):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert not panel.variant.isEnabled() and panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: bool(panel.histories[0].batch_cost), timeout=60_000)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_running() and panel.run is None, timeout=60_000)
    assert "cancelled" in panel.status.text()
    assert panel.table.rowCount() == 0 and panel.variant.isEnabled()
    assert all(h.outcome == "cancelled" for h in panel.histories)


def test_fewer_than_two_optimizers_cannot_race(qtbot, panel):
    choose(qtbot, panel, "softmax", {"adam"})
    assert not panel.start_button.isEnabled()
    assert "two" in panel.status.text()
    assert panel.start() is False and panel.run is None
    click_check(qtbot, panel.checks["sgd"])
    assert panel.start_button.isEnabled() and panel.status.text() == ""


def test_presets_set_every_learning_rate(qtbot, panel):
    qtbot.mouseClick(panel.all_tuned, Qt.MouseButton.LeftButton)
    assert panel.rates["sgd"].value() == pytest.approx(0.1)
    assert panel.rates["adam"].value() == pytest.approx(0.001)
    qtbot.mouseClick(panel.all_lecture, Qt.MouseButton.LeftButton)
    assert [spin.value() for spin in panel.rates.values()] == pytest.approx([0.001] * 5)


def test_the_cost_axis_can_be_logarithmic(qtbot, panel):
    click_check(qtbot, panel.log_scale)
    assert panel.chart._log_y
    panel.chart.build()
    assert panel.chart.cost_plot.getPlotItem().ctrl.logYCheck.isChecked()


def test_curves_smoothed_bit_by_bit_equal_one_pass_over_all_batches():
    """The chart smooths only the batches added since its last redraw."""
    import numpy as np

    from mnistpad.core.models.specs import LAB_VARIANTS
    from mnistpad.ui.widgets.run_chart import SMOOTHING, RunHistory

    costs = list(np.random.default_rng(0).uniform(0, 3, 50))
    run = RunHistory("r", LAB_VARIANTS["softmax"])
    for cut in (1, 7, 30, 50):
        run.batch_cost.extend(costs[len(run.batch_cost):cut])
        run.smoothed()
    expected, level = [], costs[0]
    for cost in costs:
        level = (1 - SMOOTHING) * level + SMOOTHING * cost
        expected.append(level)
    expected[0] = costs[0]
    np.testing.assert_allclose(run.smoothed(), expected)


def test_closing_during_a_race_asks_and_keeps_it_going_by_default(qtbot, panel):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    assert panel.may_close()  # nothing running: nothing to ask
    choose(qtbot, panel, "deep", {"sgd", "adam"}, epochs=20)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    asked = []

    def answer():
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.objectName() == "closeWhileRacing")
        asked.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    QTimer.singleShot(200, answer)
    assert panel.may_close() is False
    assert asked and "racing" in asked[0]
    assert panel.is_running()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.run is None, timeout=60_000)
