"""The window on a small screen and a first start: the first window takes about 80% of the
screen and is remembered; at 800x600 the Evaluate tab needs no sideways scrolling to reach its
progress bar and "Put on Canvas"; a finished bar reads as text; the reject curve names its
curves; the Variant and Data set boxes show their whole text."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QScrollArea

from mnistpad.ui.shell.main_window import SCREEN_SHARE
from mnistpad.ui.widgets.probabilities import FINISHED_STYLE

from .test_evaluate_panel import panel  # noqa: F401  (the fixture)


def _scroll_of(window, page) -> QScrollArea:
    return window.tabs.widget(window.tabs.indexOf(page))


def _reachable(area: QScrollArea, widget) -> bool:
    right = widget.mapTo(area.widget(), widget.rect().topRight()).x()
    return right <= area.viewport().width()


def test_the_first_window_takes_most_of_the_screen_and_is_remembered(qtbot, tmp_path):
    from mnistpad.ui import MainWindow

    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = MainWindow(store=store)
    qtbot.addWidget(first)
    screen = first.screen().availableGeometry()
    assert first.width() == max(800, int(screen.width() * SCREEN_SHARE))
    assert first.height() == max(600, int(screen.height() * SCREEN_SHARE))
    first.resize(760, 560)
    first.close()
    again = MainWindow(store=store)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (760, 560)
    again.close()


def test_evaluate_fits_800x600(window, panel, qtbot):  # noqa: F811
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() == 800)
    area = _scroll_of(window, panel)
    qtbot.wait(50)
    assert not area.horizontalScrollBar().isVisible()
    for widget in (panel.progress, panel.results.canvas_button, panel.cancel_button,
                   panel.results.curve, panel.data_box):
        assert _reachable(area, widget), widget.objectName()


def test_a_finished_evaluation_reads_as_text_and_the_curve_has_a_legend(panel):  # noqa: F811
    assert panel.progress.styleSheet() == FINISHED_STYLE and panel.progress.text() == "Done"
    words = [w for _colour, w in panel.results.curve.legend_words()]
    assert words == ["answered", "right, of those answered"]


def test_variant_and_data_set_boxes_show_their_whole_text(window, panel):  # noqa: F811
    for box in (window.findChild(QComboBox, "trainVariant"), panel.data_box):
        shown = box.style().subControlRect(box.style().ComplexControl.CC_ComboBox, _option(box),
                                           box.style().SubControl.SC_ComboBoxEditField, box)
        for index in range(box.count()):
            assert box.fontMetrics().horizontalAdvance(box.itemText(index)) <= shown.width(), \
                box.itemText(index)
    assert window.training.form.variant_note.text()  # what the variant is, under the box


def _option(box):
    from PySide6.QtWidgets import QStyleOptionComboBox

    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    return option
