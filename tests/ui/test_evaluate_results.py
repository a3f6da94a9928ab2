"""The Evaluate tab's results browser on its own, without the window or a run: it shows the
evaluation it is given, the gallery follows what is clicked, the threshold reads the curve,
a comparison shows its two sides, and a gallery image goes out with its true label."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel

from mnistpad.core.data.mnist import load_test_split
from mnistpad.core.evaluation.evaluate import Comparison, DataSet, evaluate
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.classify import Classifier
from mnistpad.ui.evaluate.results import DEFAULT_THRESHOLD, ResultsBrowser

SOFTMAX = shipped_models_dir() / "softmax.safetensors"
XAVIER = shipped_models_dir() / "xavier.safetensors"
pytestmark = pytest.mark.skipif(not XAVIER.is_file(), reason="no shipped models in models/")


@pytest.fixture(scope="module")
def evaluations(mnist_dir):
    split = load_test_split(mnist_dir)
    data = DataSet.of("mnist-test", split.images[:300].numpy(), split.labels[:300].numpy())
    return [evaluate(Classifier.from_file(path), data) for path in (SOFTMAX, XAVIER)]


@pytest.fixture
def browser(qtbot):
    summary = QLabel("the panel's words")
    browser = ResultsBrowser(summary)
    qtbot.addWidget(browser)
    assert summary.parent() is not None  # laid out above the per-digit bars
    return browser


def test_it_shows_the_evaluation_it_is_given(browser, evaluations):
    ev = evaluations[0]
    assert browser.matrix.matrix is None and not browser.threshold_label.text()
    browser.show_evaluation(ev, None)
    assert np.array_equal(browser.matrix.matrix, ev.confusion())
    assert browser.side_box.isHidden() and browser.gallery_model.rowCount() == 0
    assert browser.pairs.count() == len(ev.pairs())
    coverage, _ = ev.reject_curve(np.array([DEFAULT_THRESHOLD / 100])).at(
        DEFAULT_THRESHOLD / 100)
    assert f"Answers {100 * coverage:.1f}% of the images" in browser.threshold_label.text()
    browser.threshold.setValue(0)  # below 0% confidence nothing is "not sure"
    assert "Answers 100.0% of the images" in browser.threshold_label.text()


def test_the_gallery_follows_a_cell_a_row_and_a_column(browser, evaluations):
    ev = evaluations[0]
    browser.show_evaluation(ev, None)
    worst = ev.confused_pairs()[0]
    browser.show_cell(worst.true, worst.read)
    assert browser.gallery_model.rowCount() == worst.count
    assert browser.gallery_caption.text().startswith(f"{worst.count} image")
    browser.show_row(worst.true)
    assert browser.gallery_model.rowCount() == len(ev.row(worst.true))
    browser.show_column(worst.read)
    assert browser.gallery_model.rowCount() == len(ev.column(worst.read))
    browser.pairs.setCurrentRow(0)
    assert browser.matrix.selected == ("cell", worst.true, worst.read)
    assert browser.gallery_model.rowCount() == worst.count


def test_a_comparison_shows_either_side(browser, evaluations):
    comparison = Comparison(*evaluations)
    browser.show_evaluation(evaluations[0], comparison)
    assert not browser.side_box.isHidden() and browser.side_box.count() == 2
    assert browser.matrix.matrix.sum() == comparison.side("a").count()
    browser.side_box.setCurrentIndex(1)
    assert browser.side() == "b"
    assert browser.matrix.matrix.sum() == comparison.side("b").count()
    pair = browser.view().pairs()[0]
    browser.show_cell(pair.true, pair.read)
    assert "upper line: softmax, lower line: xavier" in browser.gallery_caption.text()


def test_a_gallery_image_goes_out_with_its_true_label(browser, evaluations, qtbot):
    ev = evaluations[0]
    browser.show_evaluation(ev, None)
    worst = ev.confused_pairs()[0]
    browser.show_cell(worst.true, worst.read)
    shown = browser.gallery_model.item(0)[1]
    with qtbot.waitSignal(browser.drawingRequested) as drawn, \
            qtbot.waitSignal(browser.trueLabelSent) as labelled:
        browser.canvas_button.click()
    np.testing.assert_array_equal(drawn.args[0], ev.images[shown])
    assert labelled.args == [worst.true] == [int(ev.labels[shown])]
