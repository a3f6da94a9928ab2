"""The network editor, built alone and driven through real clicks, keys and signals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from mnistpad.core.files.modelfile import build_metadata, read_info, save_model
from mnistpad.core.models.layers import ConvStage, Layer
from mnistpad.core.models.specs import VARIANTS, lab_spec
from mnistpad.ui.lessons.net_editor import NetEditor
from mnistpad.ui.state.jobs import JobRunner


@pytest.fixture
def editor(qtbot):
    widget = NetEditor(JobRunner(), lab_spec("xavier"), probe_delay_ms=None)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type_number(qtbot, spin, value: int) -> None:
    """Select the spin box's text, type ``value`` and press Enter, as a person does."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, str(value))
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def _count(editor) -> int:
    return int("".join(ch for ch in editor.parameters.text() if ch.isdigit()))


def test_the_editors_count_is_the_saved_models(qtbot, editor, tmp_path):
    """Design 784-128-64-10 with sigmoid by hand, save the model built from what the editor
    hands on, and reopen the file's spec in a new editor: the counts agree everywhere."""
    from mnistpad.core.models.variants import build_model

    _type_number(qtbot, editor.layers.cell(0, "width"), 128)
    _type_number(qtbot, editor.layers.cell(1, "width"), 64)
    for row in (0, 1):
        box = editor.layers.cell(row, "activation")
        box.setCurrentIndex(box.findData("sigmoid"))
    with qtbot.waitSignal(editor.trainingRequested, timeout=1000) as signal:
        _click(qtbot, editor.train)
    spec = signal.args[0]
    assert spec.layers == (Layer(128, "sigmoid"), Layer(64, "sigmoid"))
    assert _count(editor) == editor.parameter_count() == 109_386
    path = save_model(tmp_path / "mine.safetensors", build_model(spec),
                      build_metadata("mine", spec))
    info = read_info(path)
    assert info.parameters == _count(editor)
    reopened = NetEditor(JobRunner(), info.spec, probe_delay_ms=None)
    qtbot.addWidget(reopened)
    assert reopened.layers.rows() == list(spec.layers) and _count(reopened) == 109_386
    assert reopened.spec() == spec


def test_an_edit_redraws_the_count_in_the_same_event(qtbot, editor):
    before = editor.parameters.text()
    editor.layers.cell(0, "width").setValue(100)  # no event loop turn in between
    assert editor.parameters.text() != before and _count(editor) == (
        784 * 100 + 100 + 100 * 256 + 256 + 2570)
    editor.layers.cell(0, "batch_norm").click()
    assert _count(editor) == 784 * 100 + 100 + 200 + 100 * 256 + 256 + 2570
    assert "784 → 100 → 256 → 10" in editor.shapes.text()


def test_add_remove_and_reorder_layers(qtbot, editor):
    _type_number(qtbot, editor.layers.cell(1, "width"), 32)
    _click(qtbot, editor.layers.add)  # after the current row (the one just edited)
    assert [r.width for r in editor.layers.rows()] == [256, 32, 32]
    editor.layers.cell(0, "width").setFocus()
    _click(qtbot, editor.layers.down)
    assert [r.width for r in editor.layers.rows()] == [32, 256, 32]
    _click(qtbot, editor.layers.remove)
    assert [r.width for r in editor.layers.rows()] == [32, 32]
    assert _count(editor) == 784 * 32 + 32 + 32 * 32 + 32 + 330
    assert editor.spec().hidden == (32, 32)


def test_a_design_past_the_limits_says_why_and_cannot_be_trained(qtbot, editor):
    spy = []
    editor.trainingRequested.connect(spy.append)
    _type_number(qtbot, editor.layers.cell(0, "width"), 5000)
    assert editor.problem.isVisible() and "\n" not in editor.problem.text()
    assert "5" in editor.problem.text() and "4" in editor.problem.text()
    assert not editor.train.isEnabled() and not editor.measure.isEnabled()
    _click(qtbot, editor.train)
    assert spy == []
    _type_number(qtbot, editor.layers.cell(0, "width"), 4096)
    assert editor.problem.isHidden() and editor.train.isEnabled()


def test_conv_stages_that_shrink_the_image_away(qtbot, editor):
    editor.start_from(lab_spec("cnn"))
    assert [s.channels for s in editor.convs.rows()] == [32, 64]
    for row in (0, 1):
        editor.convs.cell(row, "kernel").setCurrentIndex(3)  # 7x7
        editor.convs.cell(row, "padding").setCurrentIndex(1)  # valid
    _click(qtbot, editor.convs.add)
    editor.convs.cell(2, "kernel").setCurrentIndex(3)
    editor.convs.cell(2, "padding").setCurrentIndex(1)
    assert editor.spec() is None and not editor.train.isEnabled()
    assert "3" in editor.problem.text() and editor.parameters.text().endswith("—")
    _click(qtbot, editor.convs.remove)
    assert editor.spec() is not None and editor.spec().convs == (
        ConvStage(32, 7, padding="valid"), ConvStage(64, 7, padding="valid"))
    assert "28x28 → 32x11x11 → 64x3x3 → 10" in editor.shapes.text()


def test_it_starts_from_a_lab_variant_the_active_model_or_an_ensembles_member(qtbot):
    active = VARIANTS["cnn-ensemble"]
    editor = NetEditor(JobRunner(), active_spec=lambda: active, probe_delay_ms=None)
    qtbot.addWidget(editor)
    editor.start.setFocus()
    qtbot.keyClick(editor.start, Qt.Key.Key_End)  # the last lab variant: deepcnn
    assert editor.start.currentData() == "deepcnn" and len(editor.convs.rows()) == 3
    editor.start_from(lab_spec("softmax"))
    assert editor.layers.rows() == [] and _count(editor) == 7850
    _click(qtbot, editor.from_active)
    assert _count(editor) == 1_379_557 and editor.spec().keep_prob == 0.7
    assert editor.spec().augment  # the recipe comes along with the layers


@pytest.mark.slow  # several seconds: the worker's first training step imports and warms torch
def test_the_epoch_time_is_measured_in_the_background(qtbot, editor):
    editor.start_from(lab_spec("softmax"))
    with qtbot.waitSignal(editor.estimated, timeout=120_000) as signal:
        _click(qtbot, editor.measure)
        assert editor.is_measuring()
    estimate = signal.args[0]
    assert estimate.spec == editor.spec() and estimate.epoch_seconds > 0
    assert estimate.epoch_seconds == pytest.approx(estimate.batch_seconds * 600)
    assert "s" in editor.estimate.text() and not editor.is_measuring()
    editor.layers.add.click()  # an edit: the figure is of another design now
    assert editor.estimate.text() == ""


@pytest.mark.slow  # about 20 s on a busy two-core machine: most of it the drawn-digit check
def test_the_exercise_net_trains_one_epoch_from_the_window(qtbot, window):
    """784-128-64-10 sigmoid designed on the Your Net tab, one epoch on the fixture, trained by
    the Train tab through the same job as the lab variants."""
    from .conftest import MNIST_FIXTURE

    editor, panel = window.design.editor, window.training
    window.state.data_dir = MNIST_FIXTURE
    editor.start_from(lab_spec("nn"))
    _type_number(qtbot, editor.layers.cell(0, "width"), 128)
    _type_number(qtbot, editor.layers.cell(1, "width"), 64)
    for row in (0, 1):
        editor.layers.cell(row, "activation").setCurrentIndex(1)  # sigmoid
    panel.variant.setCurrentIndex(panel.variant.findData("nn"))  # the design's own lab
    panel.epochs.setValue(1)  # the Train tab's recipe knobs apply to designs too
    with qtbot.waitSignal(panel.runEnded, timeout=300_000) as done:
        _click(qtbot, editor.train)
    outcome, path = done.args
    assert outcome == "finished", path
    info = read_info(path)
    assert [layer.activation for layer in info.spec.layers] == ["sigmoid", "sigmoid"]
    assert info.parameters == editor.parameter_count() == 109_386
    assert len(info.cost_history) == 1 and info.test_accuracy is not None
    assert info.name.startswith("nn-net")


@pytest.mark.slow  # a measurement in the background: several seconds under load
def test_edits_measure_by_themselves_unless_turned_off(qtbot):
    editor = NetEditor(JobRunner(), lab_spec("softmax"), probe_delay_ms=10)
    qtbot.addWidget(editor, before_close_func=lambda widget: widget.shutdown())
    estimates = []
    editor.estimated.connect(estimates.append)
    assert "Adam, learning rate 0.001, batch size 100, 15 epochs" in editor.recipe.text()
    editor.set_auto_measure(False)
    editor.layers.add.click()
    qtbot.wait(100)
    assert not editor.is_measuring()
    editor.set_auto_measure(True)
    editor.layers.remove.click()
    qtbot.waitUntil(editor.is_measuring, timeout=2000)
    qtbot.waitUntil(lambda: bool(estimates), timeout=120_000)
    assert [e.spec for e in estimates] == [lab_spec("softmax")] == [editor.spec()]
    qtbot.waitUntil(lambda: not editor.is_measuring(), timeout=5000)
