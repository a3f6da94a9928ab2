"""The Evaluate tab: real clicks on the matrix and the gallery, the worker's cancel, the
comparison of two models, and agreement with `mnistpad eval --confusion --json`."""

from __future__ import annotations

import json
import threading
from collections import Counter

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from mnistpad.cli import main
from mnistpad.core.data.mnist import load_test_split
from mnistpad.core.data.preprocess import normalize_digit
from mnistpad.core.evaluation.evaluate import SOURCES, DataSource, EvaluationCancelled
from mnistpad.core.files.modelfile import load_model
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.training.train import predict_logits

from .conftest import MNIST_FIXTURE

SOFTMAX = shipped_models_dir() / "softmax.safetensors"
XAVIER = shipped_models_dir() / "xavier.safetensors"
LEFT = Qt.MouseButton.LeftButton


def predictions(path, images: torch.Tensor) -> np.ndarray:
    """Readings through the training code's evaluation pass, independent of the tab."""
    loaded = load_model(path)
    return predict_logits(loaded.model, loaded.info.spec, images).argmax(dim=1).numpy()


@pytest.fixture(scope="module")
def fixture_test():
    return load_test_split(MNIST_FIXTURE)


@pytest.fixture
def panel(window, qtbot):
    """The Evaluate tab on the fixture's 500 test digits, showing the shipped softmax."""
    panel = window.evaluate
    panel.state.data_dir = MNIST_FIXTURE
    panel.refresh_choices()
    with qtbot.waitSignal(panel.evaluated, timeout=60_000):
        panel.choose(SOFTMAX)
    window.tabs.setCurrentWidget(panel)
    qtbot.waitExposed(panel.results.matrix)
    return panel


def click(qtbot, widget, rect) -> None:
    qtbot.mouseClick(widget, LEFT, pos=rect.center().toPoint())


def gallery_items(panel) -> list[tuple[int, list[int]]]:
    model = panel.results.gallery_model
    items = [model.item(row) for row in range(model.rowCount())]
    return [(true, [read for read, _ in readings]) for true, _, readings in items]


def test_matrix_counts_equal_an_independent_count(panel, fixture_test):
    predicted = predictions(SOFTMAX, fixture_test.images)
    counted = Counter(zip(fixture_test.labels.tolist(), predicted.tolist(), strict=True))
    shown = panel.results.matrix.matrix
    assert shown.sum() == len(fixture_test) == 500
    assert shown.tolist() == [[counted.get((t, r), 0) for r in range(10)] for t in range(10)]
    correct = sum(n for (t, r), n in counted.items() if t == r)
    assert f"({correct:,} / 500)" in panel.summary.text()


def test_clicking_a_cell_shows_exactly_its_images(panel, qtbot, fixture_test):
    predicted = predictions(SOFTMAX, fixture_test.images)
    labels = fixture_test.labels.numpy()
    worst = panel.evaluation.confused_pairs()[0]
    expected = int(((labels == worst.true) & (predicted == worst.read)).sum())
    assert expected > 1
    click(qtbot, panel.results.matrix, panel.results.matrix.cell_rect(worst.true, worst.read))
    assert panel.results.gallery_model.rowCount() == expected
    assert gallery_items(panel) == [(worst.true, [worst.read])] * expected
    assert panel.results.gallery_caption.text().startswith(f"{expected} image")
    confidences = [panel.results.gallery_model.item(r)[2][0][1] for r in range(expected)]
    assert confidences == sorted(confidences, reverse=True)

    click(qtbot, panel.results.matrix, panel.results.matrix.row_header_rect(worst.true))
    row_errors = int(((labels == worst.true) & (predicted != worst.true)).sum())
    assert panel.results.gallery_model.rowCount() == row_errors
    assert all(true == worst.true and reads[0] != true for true, reads in gallery_items(panel))

    click(qtbot, panel.results.matrix, panel.results.matrix.column_header_rect(worst.read))
    column_errors = int(((predicted == worst.read) & (labels != worst.read)).sum())
    assert panel.results.gallery_model.rowCount() == column_errors
    assert all(reads[0] == worst.read != true for true, reads in gallery_items(panel))

    # the most confused pair opens the same gallery as its cell
    panel.results.pairs.setCurrentRow(0)
    assert gallery_items(panel) == [(worst.true, [worst.read])] * expected


def test_row_percentages_toggle(panel, qtbot):
    matrix = panel.results.matrix.matrix
    qtbot.mouseClick(panel.results.percent_box, LEFT)
    assert panel.results.matrix.percent
    assert panel.results.matrix.text(0, 0) == f"{100 * matrix[0, 0] / matrix[0].sum():.1f}"
    qtbot.mouseClick(panel.results.percent_box, LEFT)
    assert panel.results.matrix.text(0, 0) == f"{matrix[0, 0]:,}"


def test_double_clicking_a_gallery_image_draws_it_and_every_model_reads_it(window, panel,
                                                                           qtbot):
    worst = panel.evaluation.confused_pairs()[0]
    click(qtbot, panel.results.matrix, panel.results.matrix.cell_rect(worst.true, worst.read))
    index = panel.results.gallery_model.index(0)
    image = panel.evaluation.images[panel.results.gallery_model.item(0)[1]]
    assert window.canvas.is_blank()
    qtbot.waitUntil(lambda: panel.results.gallery.visualRect(index).isValid())
    # a real double-click: press and release, then the double-click event
    where = panel.results.gallery.visualRect(index).center()
    qtbot.mouseClick(panel.results.gallery.viewport(), LEFT, pos=where)
    qtbot.mouseDClick(panel.results.gallery.viewport(), LEFT, pos=where)
    assert window.tabs.currentIndex() == 0
    assert not window.canvas.is_blank()
    assert window.state.pixels is not None
    # the picture is read from its own pixels, as `mnistpad classify` reads an image file
    np.testing.assert_allclose(window.state.pixels, normalize_digit(image))
    assert np.corrcoef(window.state.pixels.ravel(), image.ravel())[0, 1] > 0.8
    digit, _ = window.state.active_classifier().predict(window.state.pixels)
    assert window.draw.reading.prediction.text() == str(digit)
    qtbot.waitUntil(lambda: window.draw.reading.comparison.item(0, 1) is not None
                    and window.draw.reading.comparison.item(0, 1).text().isdigit())
    table = window.draw.reading.comparison
    reads = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    softmax_digit, _ = window.state.classifier(
        next(m for m in window.state.models() if m.path == SOFTMAX)).predict(window.state.pixels)
    assert reads["softmax"] == str(softmax_digit)


def test_revisit_comes_from_the_cache_without_a_run(panel, qtbot):
    with qtbot.waitSignal(panel.evaluated, timeout=60_000):
        panel.choose(XAVIER)
    assert panel.evaluation.model == "xavier"
    with qtbot.waitSignal(panel.evaluated, timeout=1_000):
        panel.choose(SOFTMAX)
    assert panel.run is None and panel.evaluation.model == "softmax"


def test_cancel_leaves_the_tab_usable(panel, qtbot):
    gate = threading.Event()

    def gated_mnist(data_dir):
        gate.wait(30)
        return SOURCES[0].load(data_dir)

    panel.sources = [DataSource("gated", "MNIST test, held back", gated_mnist)]
    panel.refresh_choices()
    panel.choose(SOFTMAX, "gated")
    assert panel.is_running()
    cancel = panel.findChild(QPushButton, "evalCancel")
    assert cancel.isEnabled()
    with qtbot.waitSignal(panel.runEnded, timeout=30_000) as ended:
        qtbot.mouseClick(cancel, LEFT)
        gate.set()
    assert ended.args == ["cancelled"]
    assert not panel.is_running() and not cancel.isEnabled()
    assert "cancelled" in panel.summary.text()
    button = panel.findChild(QPushButton, "evalButton")
    assert button.isEnabled()
    with qtbot.waitSignal(panel.evaluated, timeout=60_000):
        qtbot.mouseClick(button, LEFT)
    assert panel.results.matrix.matrix.sum() == 500
    click(qtbot, panel.results.matrix, panel.results.matrix.cell_rect(0, 0))
    assert panel.results.gallery_model.rowCount() == panel.results.matrix.matrix[0, 0]


def test_a_failing_data_set_is_one_line_and_the_tab_stays_usable(panel, qtbot):
    def broken(data_dir):
        raise EvaluationCancelled("the files are truncated")  # a MnistpadError, no cancel

    panel.sources = [DataSource("broken", "Broken set", broken), *SOURCES]
    panel.refresh_choices()
    with qtbot.waitSignal(panel.runEnded, timeout=30_000) as ended:
        panel.choose(SOFTMAX, "broken")
    assert ended.args == ["failed"]
    assert panel.summary.text() == "Cannot evaluate: the files are truncated"
    with qtbot.waitSignal(panel.evaluated, timeout=60_000):
        panel.choose(SOFTMAX, "mnist-test")
    assert panel.results.matrix.matrix.sum() == 500


def test_missing_data_sets_are_greyed_out_with_the_reason(panel, qtbot, tmp_path):
    box = panel.data_box
    model = box.model()
    texts = [box.itemText(i) for i in range(box.count())]
    assert texts[0] == "MNIST test" and texts[1] == "Drawn digits of writers 25-30"
    assert model.item(0).isEnabled() and model.item(1).isEnabled()
    # no samples labelled yet in this test's user folder
    assert not model.item(2).isEnabled() and "no samples yet" in texts[2]
    panel.state.data_dir = tmp_path
    panel.refresh_choices()
    assert not model.item(0).isEnabled()
    assert "t10k-images-idx3-ubyte" in model.item(0).toolTip()
    # without MNIST, the development writers' drawn digits can still be evaluated
    assert model.item(1).isEnabled()
    with qtbot.waitSignal(panel.evaluated, timeout=120_000):
        panel.request()
    assert panel.results.matrix.matrix.sum() == 1_498


def test_evaluating_while_a_training_runs(window, panel, qtbot):
    from PySide6.QtWidgets import QComboBox, QSpinBox

    training = window.training
    training.state.data_dir = MNIST_FIXTURE
    combo = window.findChild(QComboBox, "trainVariant")
    combo.setCurrentIndex(combo.findData("xavier"))
    window.findChild(QSpinBox, "trainEpochs").setValue(50)
    assert training.start()
    seen_running = []
    panel.evaluated.connect(lambda: seen_running.append(training.is_running()))
    with qtbot.waitSignal(panel.evaluated, timeout=60_000):
        panel.choose(XAVIER)
    assert seen_running == [True]
    assert panel.evaluation.model == "xavier" and panel.results.matrix.matrix.sum() == 500
    with qtbot.waitSignal(training.runEnded, timeout=60_000) as ended:
        training.cancel()
    assert ended.args[0] == "cancelled"


def test_comparing_two_models_shows_where_they_disagree(panel, qtbot, fixture_test):
    with qtbot.waitSignal(panel.evaluated, timeout=60_000):
        panel.choose(XAVIER, compare=SOFTMAX)
    labels = fixture_test.labels.numpy()
    xavier = predictions(XAVIER, fixture_test.images)
    softmax = predictions(SOFTMAX, fixture_test.images)
    only_xavier = (xavier == labels) & (softmax != labels)
    assert panel.results.side_box.isVisible()
    shown = panel.results.matrix.matrix
    assert shown.sum() == only_xavier.sum() > 0
    pair = panel.results.view().pairs()[0]
    click(qtbot, panel.results.matrix, panel.results.matrix.cell_rect(pair.true, pair.read))
    expected = int((only_xavier & (labels == pair.true) & (softmax == pair.read)).sum())
    assert gallery_items(panel) == [(pair.true, [pair.true, pair.read])] * expected
    panel.results.side_box.setCurrentIndex(1)
    only_softmax = (softmax == labels) & (xavier != labels)
    assert panel.results.matrix.matrix.sum() == only_softmax.sum()


def test_eval_confusion_json_agrees_with_the_tab(panel, capsys):
    assert main(["eval", str(SOFTMAX), "--confusion", "--json", "--data",
                 str(MNIST_FIXTURE)]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["confusion"] == panel.results.matrix.matrix.tolist()
    pairs_shown = [panel.results.pairs.item(i).text() for i in range(panel.results.pairs.count())]
    assert pairs_shown == [f"{p['true']} read as {p['read']}: {p['count']}"
                           for p in row["confused_pairs"]]
    assert f"({row['correct']:,} / {row['samples']:,})" in panel.summary.text()
    assert f"<b>{row['confident_errors']}</b>" in panel.summary.text()
