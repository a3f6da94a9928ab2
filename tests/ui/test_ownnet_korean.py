"""The network editor, the leaderboard and the code dialog in Korean: built alone with the
Korean catalog compiled from the .ts, they show no English but the kept terms, and switch
live."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

import mnistpad.ui
from mnistpad.core.models.layers import Layer
from mnistpad.core.models.registry import scan
from mnistpad.core.models.specs import designed, lab_spec
from mnistpad.ui.lessons.leaderboard import Leaderboard
from mnistpad.ui.lessons.net_editor import NetEditor
from mnistpad.ui.shell.code_dialog import CodeDialog
from mnistpad.ui.state.jobs import JobRunner

from .test_korean import KEPT, _english_words, _names, visible_texts

TS = Path(mnistpad.ui.__file__).parent / "i18n" / "mnistpad_ko.ts"
# Names of the lecture's activations and TensorFlow's paddings, and of the code's languages.
ALSO_KEPT = {"sigmoid", "tanh", "same", "valid", "pytorch", "python", "torch", "py"}


@pytest.fixture
def korean(korean_from_ts):
    return korean_from_ts()


def _english_left(widget) -> list[tuple[str, str]]:
    names = _names() | {w.lower() for w in KEPT} | ALSO_KEPT | {"mine"}
    return [(where, text) for where, text in visible_texts(widget)
            if _english_words(text, names)]


def _views(qtbot, tmp_path):
    from mnistpad.core.files.modelfile import build_metadata, save_model
    from mnistpad.core.models.variants import build_model

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


def test_the_views_switch_language_live(qtbot, tmp_path, korean_from_ts):
    editor, board, _ = _views(qtbot, tmp_path)
    assert editor.train.text() == "Train this design"
    translator = korean_from_ts()
    try:
        qtbot.waitUntil(lambda: editor.train.text() == "이 설계로 학습", timeout=5000)
        qtbot.waitUntil(lambda: board.code.text() == "PyTorch 코드로 보기", timeout=5000)
        assert editor.parameters.text().startswith("파라미터")
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: editor.train.text() == "Train this design", timeout=5000)
