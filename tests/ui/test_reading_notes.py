"""Notes under the Draw tab's verdict: a gallery picture's true label (until the drawing
changes) and a word when the ink looks like two digits side by side."""

from __future__ import annotations

import numpy as np

from .test_evaluate_panel import LEFT, click, panel  # noqa: F401  (the panel fixture)


def test_a_gallery_picture_shows_its_true_label(window, panel, qtbot, draw_strokes):  # noqa: F811
    worst = panel.evaluation.confused_pairs()[0]
    click(qtbot, panel.results.matrix, panel.results.matrix.cell_rect(worst.true, worst.read))
    index = panel.results.gallery_model.index(0)
    qtbot.waitUntil(lambda: panel.results.gallery.visualRect(index).isValid())
    where = panel.results.gallery.visualRect(index).center()
    qtbot.mouseClick(panel.results.gallery.viewport(), LEFT, pos=where)
    qtbot.mouseDClick(panel.results.gallery.viewport(), LEFT, pos=where)
    verdict = window.draw.reading.verdict
    qtbot.waitUntil(lambda: f"True label: {worst.true}" in verdict.text())
    draw_strokes(window.canvas, [[[20, 20], [60, 60]]])  # the drawing changes: no longer true
    qtbot.waitUntil(lambda: "True label" not in verdict.text())


def test_two_digits_side_by_side_get_a_word(window, qtbot):
    ink = np.zeros((100, 200), np.float32)
    ink[20:80, 40:46] = 1.0  # a 1
    ink[20:26, 120:170] = 1.0  # a 7's bar
    for row in range(26, 80):  # and its stem
        col = 170 - (row - 26) // 2
        ink[row, col - 3:col + 3] = 1.0
    window.canvas.set_picture(ink)
    qtbot.waitUntil(lambda: "One digit is expected" in window.draw.reading.verdict.text())
    window.canvas.clear()
    qtbot.waitUntil(lambda: "One digit is expected" not in window.draw.reading.verdict.text())


def test_a_long_status_message_is_not_cut_by_the_model_line(window):
    """Qt cuts a temporary message where the permanent corner starts; a long one takes the
    whole bar while it shows, a short one leaves the model line where it is."""
    bar, line = window.statusBar(), window.model_status
    bar.showMessage("short")
    assert line.isVisible()
    long_message = "The font for Korean is missing: install fonts-nanum, then View > Language " * 3
    bar.showMessage(long_message)
    assert not line.isVisible()
    room = bar.width() - 30
    assert bar.fontMetrics().horizontalAdvance(long_message) > room - line.sizeHint().width()
    bar.clearMessage()
    assert line.isVisible()


def test_a_stray_mark_is_left_out_and_the_reading_says_so(window, qtbot, draw_strokes):
    angle = np.linspace(0, 2 * np.pi, 30)
    zero = np.stack([140 + 40 * np.sin(angle), 90 - 55 * np.cos(angle)], axis=1).tolist()
    draw_strokes(window.canvas, [zero])
    verdict = window.draw.reading.verdict
    qtbot.waitUntil(lambda: window.state.pixels is not None)
    alone = window.state.pixels.copy()
    assert "left out of the reading" not in verdict.text()
    draw_strokes(window.canvas, [[[150, 250], [152, 254]]])  # a click far below the 0
    qtbot.waitUntil(lambda: "left out of the reading" in verdict.text())
    assert np.array_equal(window.state.pixels, alone)
    window.canvas.undo()
    qtbot.waitUntil(lambda: "left out of the reading" not in verdict.text())
