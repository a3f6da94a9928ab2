"""Screen readers: every control of the window has a name, the custom-painted views say
what they show, and their descriptions follow what they show."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from mnistpad.ui.widgets.accessibility import CONTROL_KINDS, is_custom_painted, unnamed_controls


def test_every_control_of_the_window_has_a_name(window):
    controls = [w for w in window.findChildren(QWidget)
                if isinstance(w, CONTROL_KINDS) or is_custom_painted(w)]
    assert len(controls) > 60  # the walk reaches every tab, the dock and the toolbar
    assert [(type(w).__name__, w.objectName()) for w in unnamed_controls(window)] == []
    assert window.canvas in controls and window.evaluate.results.matrix in controls


def test_a_layer_added_in_the_editor_gets_names_too(window, qtbot):
    editor = window.design.editor
    table = window.findChild(QWidget, "netLayersTable")
    before = table.rowCount()
    editor.findChild(QWidget, "netLayersAdd").click()
    qtbot.waitUntil(lambda: table.rowCount() == before + 1)
    qtbot.waitUntil(lambda: not unnamed_controls(table))
    names = {w.accessibleName() for w in table.findChildren(QWidget)
             if isinstance(w, CONTROL_KINDS) and w.parentWidget() is not table}
    assert f"Width, row {before + 1}" in names


def test_the_canvas_says_its_reading(window, stroke_samples, draw_strokes):
    assert window.canvas.accessibleDescription() == "Drawing area; nothing read yet"
    sample = stroke_samples[0]
    draw_strokes(window.canvas, sample["strokes"])
    digit = window.state.digit()
    sure = round(100 * float(window.state.probabilities[digit]))
    assert window.canvas.accessibleDescription() == (
        f"Drawing area; current reading: {digit}, {sure}% sure")
    window.canvas.clear()
    assert window.canvas.accessibleDescription() == "Drawing area; nothing read yet"


def test_the_confusion_matrix_says_the_selected_cell(window, qtbot):
    matrix = window.evaluate.results.matrix
    counts = np.arange(100).reshape(10, 10)
    matrix.set_matrix(counts)
    qtbot.mouseClick(matrix, Qt.MouseButton.LeftButton,
                     pos=matrix.cell_rect(4, 9).center().toPoint())
    assert matrix.accessibleDescription() == (
        "Confusion matrix; selected: true 4 read as 9, 49 digits")


def test_the_chart_says_the_last_cost_and_accuracy(window):
    from mnistpad.core.models.specs import VARIANTS
    from mnistpad.ui.widgets.run_chart import RunHistory

    chart = window.training.runs.run_chart
    run = RunHistory("xavier", VARIANTS["xavier"], epoch_cost=[0.5, 0.25],
                     epoch_acc=[0.9, 0.95], outcome="finished")
    chart.show_runs([run], ["#1f77b4"], full=True)
    assert chart.accessibleDescription() == (
        "Cost and accuracy chart; xavier: last cost 0.25, test accuracy 95.00%")
    chart.show_runs([], [], full=True)
    assert chart.accessibleDescription() == "Cost and accuracy chart; no runs shown"
