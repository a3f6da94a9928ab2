"""The network editor, the leaderboard and the code dialog in Korean: built alone with the
Korean catalog compiled from the .ts, they show no English but the kept terms, and switch
live."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

import mnistpad.ui
from mnistpad.core.layers import Layer
from mnistpad.core.registry import scan
from mnistpad.core.specs import designed, lab_spec
from mnistpad.ui.jobs import JobRunner
from mnistpad.ui.code_dialog import CodeDialog
from mnistpad.ui.leaderboard import Leaderboard
from mnistpad.ui.net_editor import NetEditor

from .test_korean import KEPT, _english_words, _names, visible_texts

TS = Path(mnistpad.ui.__file__).parent / "i18n" / "mnistpad_ko.ts"
# Names of the lecture's activations and TensorFlow's paddings, and of the code's languages.
ALSO_KEPT = {"sigmoid", "tanh", "same", "valid", "pytorch", "python", "torch", "py"}


def _korean_translator(folder) -> QTranslator:
    """The Korean catalog compiled from the .ts as the lead's build does, loaded."""
    lrelease = shutil.which("pyside6-lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed")
    qm = folder / "ko.qm"
    subprocess.run([lrelease, str(TS), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    return translator


@pytest.fixture
def korean(tmp_path):
    translator = _korean_translator(tmp_path)
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def _english_left(widget) -> list[tuple[str, str]]:
    names = _names() | {w.lower() for w in KEPT} | ALSO_KEPT | {"mine"}
    return [(where, text) for where, text in visible_texts(widget)
            if _english_words(text, names)]


def _views(qtbot, tmp_path):
    from mnistpad.core.modelfile import build_metadata, save_model
    from mnistpad.core.variants import build_model

    spec = designed(lab_spec("xavier"), (Layer(5000, "sigmoid"),))  # past the limits
    path = save_model(tmp_path / "mine.safetensors", build_model(lab_spec("softmax")),
                      build_metadata("mine", lab_spec("softmax"), test_accuracy="0.9"))
    catalog = scan()
    editor = NetEditor(JobRunner(), spec, active_spec=lambda: spec, probe_delay_ms=None)
    board = Leaderboard(lambda: catalog.models, lambda: ())
    board.table.setCurrentCell(0, 0)
    dialog = CodeDialog(path)
    for view in (editor, board, dialog):
        qtbot.addWidget(view)
    return editor, board, dialog


def test_the_views_speak_korean(qtbot, korean, tmp_path):
    editor, board, dialog = _views(qtbot, tmp_path)
    assert editor.train.text() == "이 설계로 학습"
    assert "한도를 넘었으므로" in editor.problem.text()
    assert board.code.text() == "PyTorch 코드로 보기"
    for view in (editor, board, dialog):
        left = _english_left(view)
        assert not left, "\n".join(f"{where}: {text!r}" for where, text in left)


def test_the_views_switch_language_live(qtbot, tmp_path):
    editor, board, _ = _views(qtbot, tmp_path)
    assert editor.train.text() == "Train this design"
    translator = _korean_translator(tmp_path)
    QCoreApplication.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: editor.train.text() == "이 설계로 학습", timeout=5000)
        qtbot.waitUntil(lambda: board.code.text() == "PyTorch 코드로 보기", timeout=5000)
        assert editor.parameters.text().startswith("파라미터")
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: editor.train.text() == "Train this design", timeout=5000)
