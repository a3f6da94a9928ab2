"""The Draw tab for a newcomer: small windows, the every-model table, greyed actions,
undo after opening an image, the status line, and Help > Keyboard Shortcuts."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor

from mnistpad.core.data.preprocess import load_image
from mnistpad.core.models.registry import scan
from mnistpad.ui.draw.reading import DISAGREES
from mnistpad.ui.shell.help_dialogs import shortcut_rows

SEVEN = [[[70, 60], [210, 60], [150, 150], [110, 230]]]


def dense(stroke, step=4.0):
    out = [stroke[0]]
    for a, b in zip(stroke, stroke[1:], strict=False):
        n = max(1, int(np.hypot(b[0] - a[0], b[1] - a[1]) / step))
        out += [[a[0] + (b[0] - a[0]) * t / n, a[1] + (b[1] - a[1]) * t / n]
                for t in range(1, n + 1)]
    return out


def rect_in(widget, ancestor) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("size", [(800, 600), (1024, 768)])
def test_small_windows_fit_without_overlap(window, qtbot, size, draw_strokes):
    window.menus.dropout.setChecked(True)
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    draw_strokes(window.canvas, [dense(s) for s in SEVEN])
    panel = window.draw.reading.widget()
    preview, bars = rect_in(window.draw.reading.preview, panel), rect_in(window.draw.reading.bars, panel)
    readings = rect_in(window.draw.reading.dropout_readings, panel)
    assert not preview.intersects(bars) and not bars.intersects(readings)
    table = window.draw.reading.comparison
    rows = table.rowCount()
    assert rows == len(scan().models)
    # every row is there to see: the table is as tall as its rows, and the panel scrolls
    assert table.height() >= table.horizontalHeader().height() + rows * table.rowHeight(0)
    assert window.canvas.width() >= 200


def test_clicking_a_row_activates_that_model_and_red_means_against_the_majority(
        window, qtbot, draw_strokes):
    draw_strokes(window.canvas, [dense(s) for s in SEVEN])
    qtbot.waitUntil(lambda: window.draw.reading.comparison.item(0, 1) is not None
                    and window.draw.reading.comparison.item(0, 1).text() != "")
    table = window.draw.reading.comparison
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    row = names.index("xavier")
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(row, 0)).center())
    assert window.state.active_classifier().name == "xavier"
    qtbot.waitUntil(lambda: table.item(row, 0).font().bold())
    reads = [table.item(r, 1).text() for r in range(table.rowCount())]
    majority = max(set(reads), key=reads.count)
    for r, digit in enumerate(reads):
        red = table.item(r, 1).foreground().color() == QColor(DISAGREES)
        assert red == (digit != majority), (names[r], digit, majority)


def test_edit_actions_are_greyed_when_they_would_do_nothing(window, draw_strokes):
    assert not window.menus.undo.isEnabled() and not window.menus.redo.isEnabled()
    assert not window.menus.clear.isEnabled()
    draw_strokes(window.canvas, [dense(s) for s in SEVEN])
    assert window.menus.undo.isEnabled() and window.menus.clear.isEnabled()
    window.menus.undo.trigger()
    assert window.menus.redo.isEnabled() and not window.menus.undo.isEnabled()
    assert not window.menus.clear.isEnabled()


def test_undo_after_opening_an_image_brings_the_drawing_back(window, draw_strokes, mnist,
                                                             tmp_path):
    draw_strokes(window.canvas, [dense(s) for s in SEVEN])
    drawn = window.canvas.ink().copy()
    seven_reading = window.draw.reading.prediction.text()
    pixels = (mnist.test.images[0].view(28, 28).numpy() * 255).astype(np.uint8)
    path = tmp_path / "digit.png"
    Image.fromarray(255 - pixels).resize((140, 140)).save(path)  # dark on light paper
    assert window.files.open_image(path)
    # the same pixels and the same answer as `mnistpad classify digit.png`
    np.testing.assert_allclose(window.state.pixels, load_image(path))
    window.menus.undo.trigger()
    np.testing.assert_array_equal(window.canvas.ink(), drawn)
    assert window.draw.reading.prediction.text() == seven_reading


def test_the_model_line_stays_in_the_status_bar(window):
    line = window.model_status.text()
    assert line.startswith(window.state.active_classifier().name) and "parameters" in line
    window.statusBar().showMessage("a tool tip's status text")
    assert window.model_status.isVisible() and window.model_status.text() == line


def test_drawing_tools_show_on_the_draw_tab_only(window):
    assert all(tool.isVisible() for tool in window.menus.drawing_tools)
    window.tabs.setCurrentWidget(window.training)
    assert not any(tool.isVisible() for tool in window.menus.drawing_tools)
    window.tabs.setCurrentWidget(window.draw)
    assert all(tool.isVisible() for tool in window.menus.drawing_tools)


def test_keyboard_shortcuts_list_the_menus_and_the_keys_of_no_menu(window):
    from PySide6.QtWidgets import QMenu

    rows = dict(shortcut_rows([a for m in window.menuBar().findChildren(QMenu)
                               for a in m.actions()]))
    assert rows["Undo"].startswith("Ctrl+Z") and rows["Clear"] == "Esc / Del"
    assert "0 - 9" in rows.values() and "Ctrl+T / Ctrl+." in rows.values()
    titles = [a.text() for a in window.menuBar().actions()]
    assert "T&raining" in titles and "Hand&writing" in titles
    assert "Drawing Toolbar" in [a.text() for a in window.menus.view_menu.actions()]


def test_the_model_list_says_where_a_model_comes_from_without_repeating_its_name(window):
    import dataclasses

    from mnistpad.ui.state.model_text import describe

    catalog = scan()
    drawn, xavier = catalog.find("drawn"), catalog.find("xavier")
    assert describe(drawn) == "drawn  (MNIST 99.58%, drawn 99.73% (picture 98.80%, strokes 97.80%))"
    assert describe(xavier).startswith("xavier  (lab 10-3, MNIST 98.06%, drawn ")
    personal = dataclasses.replace(drawn, name="drawn-personal")
    assert describe(personal).startswith("drawn-personal  (drawn, MNIST ")
    assert window.picker.currentText() == describe(window.state.active_classifier().info)
