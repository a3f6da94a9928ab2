"""The Activations view built alone, driven through its own buttons, boxes and signals."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt

from mnistpad.core.lessons.activations import (
    BatchSource,
    TrainingWatch,
    batch_from_split,
    fresh_model,
    probe_batch,
    read_model,
)
from mnistpad.core.models.specs import VariantSpec, lab_spec
from mnistpad.core.models.variants import build_model
from mnistpad.core.training.train import train
from mnistpad.ui.lessons.activations_panel import ACTIVE, LIVE_INTERVAL_MS, ActivationsPanel
from mnistpad.ui.state.jobs import JobRunner
from mnistpad.ui.widgets.histogram import HistogramView, nice_bounds


@pytest.fixture
def make_panel(qtbot):
    runner = JobRunner()
    panels = []

    def make(active=lambda: None, folder=lambda: None):
        panel = ActivationsPanel(runner, active, folder)
        qtbot.addWidget(panel)
        panels.append(panel)
        return panel

    yield make
    for panel in panels:
        panel.shutdown()
    runner.shutdown()


def shown(qtbot, panel, action):
    with qtbot.waitSignal(panel.readingsShown, timeout=60_000):
        action()




def test_opens_on_the_lectures_slide(qtbot, make_panel):
    panel = make_panel()
    shown(qtbot, panel, panel.show)
    left, right = panel.columns
    expected = read_model(fresh_model("nn", "normal", 0), probe_batch())
    assert left.stats.cost == pytest.approx(expected.cost)
    assert right.stats.cost < left.stats.cost / 10
    assert len(left.rows) == 5 and len(right.rows) == 5
    assert "softmax is certain" in left.rows[-1].sentence.text()
    assert "spread" in left.rows[3].sentence.text()
    assert "near 1" in right.rows[3].sentence.text()
    assert "dead units" in left.rows[1].figures.text()
    assert "dead units" not in left.rows[0].figures.text()
    layer = expected.members[0].layers[3]
    assert np.array_equal(left.rows[3].activation_plot.counts, layer.activations.counts)
    assert np.array_equal(left.rows[3].gradient_plot.edges, layer.gradients.edges)
    low, high = left.rows[3].activation_plot.bounds
    assert low == 0 and layer.activations.edges[-1] <= high < 10 * layer.activations.edges[-1]
    assert "1,000" in left.header.text() or "1000" in left.header.text()


def test_another_seed_and_another_variant_are_read_again(qtbot, make_panel):
    panel = make_panel()
    shown(qtbot, panel, panel.show)
    before = panel.columns[0].stats.cost
    shown(qtbot, panel, lambda: panel.seed_box.setValue(5))
    assert panel.columns[0].stats.cost != before
    right = panel.columns[1]
    shown(qtbot, panel, lambda: right.model_box.setCurrentIndex(right.model_box.findData("deep")))
    assert len(right.rows) == 9
    expected = read_model(fresh_model("deep", "xavier", 5), probe_batch())
    assert right.stats.cost == pytest.approx(expected.cost)
    shown(qtbot, panel, lambda: qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton))
    assert right.stats.cost == pytest.approx(expected.cost)


def test_the_active_model_and_none(qtbot, make_panel, trained_xavier, mnist_dir):
    _result, path = trained_xavier
    active = [path]
    panel = make_panel(lambda: active[0], lambda: mnist_dir)
    left = panel.columns[0]
    shown(qtbot, panel, panel.show)
    assert "MNIST test set" in left.header.text()
    shown(qtbot, panel, lambda: left.model_box.setCurrentIndex(left.model_box.findData(ACTIVE)))
    assert not left.init_box.isEnabled()
    assert left.stats.cost < 1.5  # trained: far below an untrained net's
    active[0] = None
    shown(qtbot, panel, lambda: qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton))
    assert left.stats is None and left.rows == []
    assert "No active model" in left.header.text()


def test_with_the_app_state_it_reads_the_states_model_and_follows_it(
        qtbot, make_panel, trained_xavier, mnist_dir, tmp_path, monkeypatch):
    """Built with the app state, the active column reads the model the state has loaded (no
    file is loaded again), and reads again as the state's active model changes."""
    from faults.hostile import softmax_model
    from PySide6.QtCore import QSettings

    import mnistpad.core.files.modelfile as modelfile
    from mnistpad.core.files.modelfile import read_info
    from mnistpad.core.models.registry import Catalog
    from mnistpad.ui.state.app_state import AppState

    xavier = read_info(trained_xavier[1])
    softmax = read_info(softmax_model(tmp_path / "plain.safetensors"))
    runner = JobRunner()
    state = AppState(runner, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                     Catalog(models=[xavier, softmax]))
    state.activate(xavier)
    with qtbot.waitSignal(state.modelsLoaded, timeout=120_000):
        state.start_loading()
    state.data_dir = mnist_dir
    monkeypatch.setattr(modelfile, "load_model", lambda *args: pytest.fail("loaded again"))
    panel = ActivationsPanel(runner, state=state)
    qtbot.addWidget(panel)
    left = panel.columns[0]
    shown(qtbot, panel, panel.show)
    shown(qtbot, panel, lambda: left.model_box.setCurrentIndex(left.model_box.findData(ACTIVE)))
    expected = read_model(state.active_classifier().model, probe_batch(mnist_dir))
    assert left.stats.cost == pytest.approx(expected.cost) and left.stats.cost < 1.5
    assert "MNIST test set" in left.header.text() and len(left.rows) == 5
    shown(qtbot, panel, lambda: state.activate(softmax))  # the state's signal, nothing else
    assert len(left.rows) == 1
    assert left.stats.cost == pytest.approx(
        read_model(state.active_classifier().model, probe_batch(mnist_dir)).cost)
    panel.shutdown()
    runner.shutdown()


def test_training_readings_are_throttled_and_the_newest_wins(qtbot, make_panel, mnist, subset):
    panel = make_panel()
    shown(qtbot, panel, panel.show)
    readings = []

    def report(stats):
        readings.append(stats)
        panel.update_from_training(stats, "dropout")

    batch = batch_from_split(mnist.test, BatchSource.MNIST_TEST)
    emitted = []
    panel.readingsShown.connect(lambda: emitted.append(panel.columns[0].stats))
    train(lab_spec("dropout").with_overrides(epochs=1), subset(mnist, 600, 100),
          evaluate=False, watch=TrainingWatch(batch, report, every=2, max_share=None))
    assert len(readings) == 4  # batches 1, 2, 4, 6
    qtbot.waitUntil(lambda: bool(emitted), timeout=LIVE_INTERVAL_MS * 4)
    shown_at = time.monotonic()
    panel.update_from_training(readings[0], "dropout")  # soon after a redraw: it waits
    panel.update_from_training(readings[1], "dropout")
    qtbot.wait(LIVE_INTERVAL_MS // 5)
    if time.monotonic() - shown_at < LIVE_INTERVAL_MS * 0.7:  # a busy machine may be late
        assert len(emitted) == 1
    qtbot.waitUntil(lambda: len(emitted) == 2, timeout=LIVE_INTERVAL_MS * 4)
    qtbot.wait(LIVE_INTERVAL_MS)
    # four readings while training, one redraw (the newest); two more, one more redraw
    assert emitted == [readings[-1], readings[1]]
    assert "Training dropout (live)" in panel.columns[0].header.text()
    shown(qtbot, panel, panel.end_training)
    assert "live" not in panel.columns[0].header.text()


def test_an_ensemble_shows_each_member(qtbot, make_panel):
    panel = make_panel()
    spec = VariantSpec("cnn-ensemble", "ensemble", (32,), init="xavier", members=2,
                       member_arch="mlp")
    stats = read_model(build_model(spec, torch.Generator().manual_seed(0)), probe_batch())
    shown(qtbot, panel, lambda: panel.update_from_training(stats, "pair"))
    left = panel.columns[0]
    assert left.member_box.count() == 2 and not left.member_box.isHidden()
    first = left.rows[0].figures.text()
    left.member_box.setCurrentIndex(1)
    assert left.rows[0].figures.text() != first
    assert f"{stats.members[1].layers[0].std:.3g}" in left.rows[0].figures.text()


def test_a_model_without_relu_says_dead_units_do_not_apply(qtbot, make_panel):
    panel = make_panel()
    right = panel.columns[1]
    panel.show()
    shown(qtbot, panel, lambda: right.model_box.setCurrentIndex(
        right.model_box.findData("softmax")))
    qtbot.waitUntil(lambda: right.stats is not None and len(right.rows) == 1, timeout=60_000)
    assert "dead units do not apply" in right.header.text()


def test_nice_bounds_are_round_and_hold_the_values():
    assert nice_bounds(-3.9, 4.2) == (-5.0, 5.0)
    assert nice_bounds(0.0, 56.9) == (0.0, 100.0)
    assert nice_bounds(-3e-4, 2e-4) == pytest.approx((-5e-4, 5e-4))
    assert nice_bounds(-1e-5, 0.0) == pytest.approx((-1e-5, 0.0))


def test_a_histogram_paints_its_bars_where_its_values_are(qtbot):
    view = HistogramView((0, 0, 255), height=60)
    qtbot.addWidget(view)
    view.resize(200, 60)
    view.set_histogram([0.0, 0.5, 1.0], [0, 10])  # every value in the right half
    image = view.grab().toImage()
    row = 30  # in the bars' band, above the labels

    def blue(x):
        colour = image.pixelColor(x, row)
        return colour.blue() > colour.red() + 40

    assert view.bounds == (0.0, 1.0)
    assert not any(blue(x) for x in range(10, 95))
    assert all(blue(x) for x in range(110, 190))


def test_speaks_korean_after_a_live_switch(qtbot, make_panel, compile_ts):
    from PySide6.QtCore import QCoreApplication, QTranslator

    from .conftest import KOREAN_TS

    compiled = compile_ts(KOREAN_TS)
    panel = make_panel()
    shown(qtbot, panel, panel.show)
    translator = QTranslator()
    assert translator.load(str(compiled))
    QCoreApplication.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: panel.show_button.text() == "둘 다 읽기")
        left = panel.columns[0]
        assert left.model_box.currentText() == "nn, 학습 전"
        assert left.init_box.currentText() == "N(0,1) 초기화"
        assert "softmax가 한 숫자를 확신하지만" in left.rows[-1].sentence.text()
        assert left.header.text().startswith("시작 cost")
        assert "죽은 유닛" in left.rows[1].figures.text()
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: panel.show_button.text() == "Read both")


def test_a_run_from_the_window_feeds_the_open_activations_tab(window, qtbot):
    """With the Activations tab open, the Train tab's run reads its layers as it trains and
    the tab's left column shows them; with the tab closed, nothing is read."""
    from .conftest import MNIST_FIXTURE

    panel = window.training
    window.state.data_dir = MNIST_FIXTURE
    panel.variant.setCurrentIndex(panel.variant.findData("nn"))
    panel.epochs.setValue(1)
    read = []
    panel.activationsRead.connect(lambda stats, name: read.append(name))
    with qtbot.waitSignal(panel.runEnded, timeout=300_000):
        assert panel.start()  # the Activations tab is not shown: no readings
    assert read == []
    window.tabs.setCurrentWidget(window.activations)
    qtbot.waitUntil(lambda: not window.activations.is_running(), timeout=120_000)
    with (qtbot.waitSignal(window.activations.readingsShown, timeout=300_000),
          qtbot.waitSignal(panel.runEnded, timeout=300_000)):
        assert panel.start()
    assert read and read[0] == panel.runs.history[-1].name
