"""The Samples tab, built with the app state alone: personalizing the personal model the
state makes active starts again from its base (looked up in the state's catalog), and the
summary it shows is worded from core's data (in Korean too)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, Qt, QTranslator

from mnistpad.core.data.samples import samples_dir
from mnistpad.core.files.modelfile import read_info
from mnistpad.ui.samples.panel import SamplesPanel
from mnistpad.ui.samples.text import summary_text
from mnistpad.ui.state.jobs import JobRunner

TS_FILE = "mnistpad/ui/i18n/mnistpad_ko.ts"


@pytest.fixture(autouse=True)
def english_numbers():
    """Numbers as the app's English says them (1,000), whatever ran before in this process:
    the window sets this locale with its language, and this tab is built here without one."""
    from PySide6.QtCore import QLocale

    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English))
    yield
    QLocale.setDefault(previous)


def write_samples(mnist, count: int) -> None:
    images = mnist.test.images[:count].view(-1, 28, 28).numpy()
    for i, (image, label) in enumerate(zip(images, mnist.test.labels[:count].numpy(),
                                           strict=True)):
        folder = samples_dir() / str(label)
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray((image * 255).astype(np.uint8)).save(folder / f"{i:03d}.png")


def personalize_with_a_click(qtbot, panel) -> tuple[str, str]:
    with qtbot.waitSignal(panel.personalModelSaved, timeout=300_000) as saved:
        qtbot.mouseClick(panel.personalize_button, Qt.MouseButton.LeftButton)
    return saved.args


def test_personalizing_the_personal_model_again_starts_from_its_base(qtbot, trained_xavier,
                                                                     mnist, mnistpad_home,
                                                                     monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from mnistpad.core.models.registry import Catalog
    from mnistpad.ui.state.app_state import AppState

    write_samples(mnist, 40)
    asked = []  # the second run replaces the first's file: the tab asks, the test says yes
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2])
                        or QMessageBox.StandardButton.Yes)
    runner = JobRunner()
    state = AppState(runner, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                     Catalog())
    panel = SamplesPanel(runner, state)
    qtbot.addWidget(panel)
    assert panel.base_name() == ""  # nothing active yet: nothing to personalize
    state.activate(state.add_file(trained_xavier[1]))
    assert panel.base_name() == "fixture-xavier"
    path, text = personalize_with_a_click(qtbot, panel)
    first = json.loads(read_info(path).metadata["personal"])
    assert text.startswith(f"read {first['held_out_before']} of 10 of your held-out digits "
                           f"before, {first['held_out_after']} of 10 now; MNIST ")
    assert "the 1,000 MNIST digits that ship with mnistpad" in text
    assert text in panel.result_label.text()

    state.activate(state.add_file(path))  # the personal model, as the window makes it active
    assert panel.base_name() == "fixture-xavier"
    again, _ = personalize_with_a_click(qtbot, panel)
    second = json.loads(read_info(again).metadata["personal"])
    assert len(asked) == 1 and Path(path).name in asked[0]
    assert again == path and second["base"] == first["base"] == "fixture-xavier"
    assert second["held_out_before"] == first["held_out_before"]


@pytest.fixture
def korean(qapp, compile_ts):
    """The Korean translations compiled from the .ts file as it is now."""
    qm = compile_ts(TS_FILE)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


FACTS = {
    "held_out": {"status": "too-few", "count": 0, "before": None, "after": None,
                 "digits_with_two": 1, "digits_needed": 3},
    "mnist": {"before": 0.9958, "after": 0.9941, "measured_on": "mnist-test", "count": 10000},
}


def test_too_few_samples_are_said_plainly():
    text = summary_text(FACTS)
    assert text.startswith("no held-out figure: that needs two samples or more of at least "
                           "3 digits (1 have them); MNIST 99.58% -> 99.41% (MNIST test set")
    assert "1 of 1" not in text


def test_the_summary_in_korean(korean):
    measured = {**FACTS, "held_out": {**FACTS["held_out"], "status": "measured", "count": 8,
                                      "before": 4, "after": 7}}
    for facts in (FACTS, measured):
        text = summary_text(facts)
        assert "MNIST" in text and not any(word in text for word in (
            "held-out", "digits", "samples", "test set", "before", "now"))
    assert "8개 중 전에는 4개, 지금은 7개" in summary_text(measured)


BOTH = {**FACTS,
        "held_out": {**FACTS["held_out"], "status": "measured", "count": 10, "before": 8,
                     "after": 9},
        "strokes": {"samples": 50, "held_out": 10, "before": 7, "after": 10,
                    "pen_before": 0.977, "pen_after": 0.975,
                    "combined": {"count": 10, "before": 9, "after": 10}}}


def test_the_default_models_summary_leads_with_both_parts_together():
    text = summary_text(BOTH)
    assert text.startswith("read 9 of 10 of your held-out digits before, 10 of 10 now, from "
                           "the picture and the strokes together; MNIST 99.58% -> 99.41%")
    assert text.endswith("the stroke reader learned from 50 drawings, read 7 of 10 of your "
                         "held-out digits from the strokes before, 10 of 10 now, other "
                         "people's pen digits 97.70% -> 97.50%")
    apart = {**BOTH, "strokes": {**BOTH["strokes"], "combined": None}}
    assert summary_text(apart).startswith("read 8 of 10 of your held-out digits before, 9 of "
                                          "10 now; MNIST")
    none = {**BOTH, "strokes": {"skipped": "no-strokes"}}
    assert summary_text(none).endswith("the stroke reader learned nothing: none of your "
                                       "samples has strokes (a picture from a file has none)")


def test_the_default_models_summary_in_korean(korean):
    for facts in (BOTH, {**BOTH, "strokes": {"skipped": "no-strokes"}}):
        text = summary_text(facts)
        assert "MNIST" in text and not any(word in text for word in (
            "held-out", "stroke", "drawings", "picture", "learned", "before", "now"))
    assert "그림과 획을 함께 보고 따로 떼어 둔 내 숫자 10개 중 전에는 9개, 지금은 10개" in \
        summary_text(BOTH)
