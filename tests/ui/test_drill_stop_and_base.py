"""The drill says up front how many drawings make a useful personal model and, stopped early,
shows what it kept and offers to personalize; personalizing never starts from a personal model
(its base instead) and shows the time left."""

from __future__ import annotations

import dataclasses
import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mnistpad.core.models.registry import scan
from mnistpad.ui.samples import panel as samples_panel
from mnistpad.ui.samples.base import base_name, personalize_from

from .test_teach import by_label


def test_the_drill_says_up_front_how_many_drawings_help(window):
    told = []
    window.teacher.message.connect(told.append)
    window.teacher.start_drill(per_digit=5, seed=2)
    assert told and "5 drawings per digit make a useful personal model" in told[0]
    window.teacher.stop_drill()


def test_stop_shows_what_was_kept_and_offers_to_personalize(window, qtbot, stroke_samples,
                                                           draw_strokes, monkeypatch,
                                                           mnistpad_home):
    offered = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: offered.append(a[2]) or QMessageBox.StandardButton.No)
    window.activate(scan().find("softmax"))
    window.teacher.start_drill(per_digit=1, seed=5)
    groups = by_label(stroke_samples)
    kept = []
    for _ in range(2):
        digit = window.teacher.asked
        draw_strokes(window.canvas, groups[digit][0]["strokes"])
        qtbot.keyClick(window.canvas, Qt.Key.Key_Return)
        kept.append(digit)
    window.draw.drill_banner.stop_button.click()
    assert not window.teacher.drilling
    assert len(offered) == 1 and offered[0].startswith("You drew 2 digits (")
    for digit in kept:
        assert f"{digit}: 1" in offered[0]
    assert "Personalize softmax" in offered[0]


def test_stop_with_nothing_kept_asks_nothing(window, monkeypatch):
    offered = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: offered.append(a))
    window.teacher.start_drill(per_digit=1, seed=5)
    window.draw.drill_banner.stop_button.click()
    assert not offered and "no drawings" in window.statusBar().currentMessage()


def _personal_copy(info, base: str):
    return dataclasses.replace(info, name=f"{base}-personal", metadata={
        **info.metadata, "personal": json.dumps({"base": base, "samples_per_digit": [1] * 10})})


def test_a_personal_model_personalizes_its_base(window):
    catalog = scan()
    softmax = catalog.find("softmax")
    personal = _personal_copy(softmax, "softmax")
    assert base_name(personal) == "softmax" and base_name(softmax) is None
    assert personalize_from(personal, catalog.find) is softmax
    assert personalize_from(softmax, catalog.find) is softmax
    window.samples.set_model(personal)
    button = window.samples.personalize_button
    assert button.text() == "Personalize softmax"
    assert "softmax-personal is a personal model: its base, softmax" in button.toolTip()
    assert "softmax-personal-personal" not in button.toolTip()


def test_personalizing_shows_the_time_left(window, monkeypatch):
    panel = window.samples
    clock = iter([0.0, 1.0, 2.0, 3.0, 4.0])
    monkeypatch.setattr(samples_panel.time, "monotonic", lambda: next(clock))
    panel._started = 0.0
    panel._time_left = samples_panel.TimeLeft(window_s=5.0, settle_s=1.0)
    for fraction in (0.1, 0.2, 0.3, 0.4):
        panel._on_progress(fraction)
    # 0.1 per second with 0.6 to go: about 6 s
    assert panel.progress.format() == "%p% · about 6s left"
