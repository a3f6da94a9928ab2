"""Teaching mnistpad your handwriting in the window: labels, the drill, the Samples tab,
and personalizing in the background."""

from __future__ import annotations

import collections

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mnistpad.core.data.samples import list_samples
from mnistpad.core.models.registry import scan


def by_label(stroke_samples) -> dict[int, list[dict]]:
    groups = collections.defaultdict(list)
    for sample in stroke_samples:
        groups[sample["label"]].append(sample)
    return groups


def test_a_digit_key_saves_the_drawing_and_clears_the_canvas(window, qtbot, stroke_samples,
                                                             draw_strokes, mnistpad_home):
    seven = by_label(stroke_samples)[7][0]
    draw_strokes(window.canvas, seven["strokes"])
    read = window.draw.reading.prediction.text()
    assert read != "" and window.canvas.hasFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    [sample] = list_samples()
    assert sample.path.parent == mnistpad_home / "samples" / "7"
    assert sample.read_as == int(read) and sample.model == window.state.active_classifier().name
    assert window.canvas.is_blank() and window.draw.reading.prediction.text() == ""
    assert "7: 1" in window.samples.counts_label.text()
    assert window.samples.gallery.count() == 1


def test_labelling_a_misreading_marks_a_correction(window, qtbot, stroke_samples,
                                                   draw_strokes):
    seven = by_label(stroke_samples)[7][0]
    draw_strokes(window.canvas, seven["strokes"])
    read = int(window.draw.reading.prediction.text())
    other = (read + 1) % 10
    window.draw.label_row.buttons[other].click()
    [sample] = list_samples()
    assert sample.label == other and sample.corrected and sample.read_as == read
    assert "correction" in window.statusBar().currentMessage()
    assert window.samples.gallery.item(0).text() == f"{other} (read {read})"


def test_nothing_drawn_saves_nothing(window, qtbot):
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_3)
    assert list_samples() == []
    assert "Draw a digit first" in window.statusBar().currentMessage()


def test_delete_and_undo_in_the_samples_tab(window, qtbot, stroke_samples, draw_strokes):
    groups = by_label(stroke_samples)
    for digit in (1, 2):
        draw_strokes(window.canvas, groups[digit][0]["strokes"])
        window.teacher.label(digit)
    panel = window.samples
    window.tabs.setCurrentWidget(panel)
    assert panel.gallery.count() == 2
    panel.gallery.item(0).setSelected(True)
    panel.delete_button.click()
    assert [s.label for s in list_samples()] == [2] and panel.gallery.count() == 1
    panel.undo_button.click()
    assert sorted(s.label for s in list_samples()) == [1, 2] and panel.gallery.count() == 2
    panel.filter.setCurrentIndex(panel.filter.findData(2))
    assert panel.gallery.count() == 1 and panel.gallery.item(0).text() == "2"


def test_the_drill_asks_for_each_digit_k_times(window, qtbot, stroke_samples, draw_strokes,
                                               monkeypatch):
    asked_to_personalize = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked_to_personalize.append(a) or QMessageBox.No)
    groups = by_label(stroke_samples)
    window.teacher.start_drill(per_digit=2, seed=4)
    assert window.draw.drill_banner.isVisible()
    asked = []
    while window.teacher.drilling:
        digit = window.teacher.asked
        asked.append(digit)
        nth = asked.count(digit)
        article = "an" if digit == 8 else "a"
        assert window.draw.drill_banner.prompt.text().startswith(
            f"Draw {article} {digit}  ({nth} of 2)")
        draw_strokes(window.canvas, groups[digit][nth]["strokes"])
        qtbot.keyClick(window.canvas, Qt.Key.Key_Return)
    assert collections.Counter(asked) == {d: 2 for d in range(10)}
    assert collections.Counter(s.label for s in list_samples()) == {d: 2 for d in range(10)}
    assert not window.draw.drill_banner.isVisible()
    assert len(asked_to_personalize) == 1  # and it offered to personalize at the end


def test_the_drill_refuses_another_digit_and_can_stop(window, qtbot, stroke_samples,
                                                      draw_strokes):
    window.teacher.start_drill(per_digit=1, seed=1)
    asked = window.teacher.asked
    other = (asked + 1) % 10
    draw_strokes(window.canvas, by_label(stroke_samples)[asked][0]["strokes"])
    qtbot.keyClick(window.canvas, getattr(Qt.Key, f"Key_{other}"))
    assert list_samples() == [] and not window.canvas.is_blank()
    window.draw.drill_banner.skip_button.click()
    assert window.canvas.is_blank() and window.teacher.asked != asked  # one of each digit
    window.draw.drill_banner.stop_button.click()
    assert not window.teacher.drilling and not window.draw.drill_banner.isVisible()


def _label_some(window, stroke_samples, draw_strokes, per_digit: int) -> None:
    groups = by_label(stroke_samples)
    for digit in range(10):
        for sample in groups[digit][:per_digit]:
            draw_strokes(window.canvas, sample["strokes"])
            window.teacher.label(digit)


@pytest.mark.slow
def test_personalize_in_the_background_saves_and_activates(window, qtbot, stroke_samples,
                                                          draw_strokes, mnistpad_home):
    window.activate(scan().find("softmax"))
    _label_some(window, stroke_samples, draw_strokes, 3)
    panel = window.samples
    assert panel.personalize_button.isEnabled() and "softmax" in panel.personalize_button.text()
    with qtbot.waitSignal(panel.personalModelSaved, timeout=300_000):
        panel.personalize_button.click()
        assert not panel.progress.isHidden() and not panel.cancel_button.isHidden()
    saved = mnistpad_home / "models" / "softmax-personal.safetensors"
    assert saved.is_file()
    assert window.state.active_classifier().name == "softmax-personal"
    assert "held-out digits before" in panel.result_label.text()
    assert panel.progress.isHidden()


def test_cancelled_personalizing_writes_nothing(window, qtbot, stroke_samples, draw_strokes,
                                                mnistpad_home):
    window.activate(scan().find("softmax"))
    _label_some(window, stroke_samples, draw_strokes, 1)
    panel = window.samples
    with qtbot.waitSignal(panel.runningChanged, timeout=300_000,
                          check_params_cb=lambda running: not running):
        panel.start_personalizing()
        panel.cancel_button.click()
    assert "cancelled" in panel.result_label.text()
    assert not (mnistpad_home / "models").exists() or not list(
        (mnistpad_home / "models").iterdir())
    assert window.state.active_classifier().name == "softmax"


def test_closing_while_personalizing_asks_and_either_answer_holds(window, qtbot, stroke_samples,
                                                                  draw_strokes, mnistpad_home):
    from .test_training_panel import answer_boxes

    window.activate(scan().find("drawn"))  # an ensemble: fine-tuning takes long enough
    _label_some(window, stroke_samples, draw_strokes, 1)
    panel = window.samples
    panel.start_personalizing()
    asked = answer_boxes(["Keep Personalizing"])
    assert not window.close()
    assert asked and "saves nothing" in asked[0] and panel.is_running()
    asked = answer_boxes(["Stop and Quit"])
    assert window.close()
    assert len(asked) == 1 and not panel.is_running()
    assert not (mnistpad_home / "models").exists() or not list(
        (mnistpad_home / "models").iterdir())
