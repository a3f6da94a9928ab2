"""The leaderboard and the "Show as PyTorch code" dialog, built alone, driven by clicks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from mnistpad.core.files.modelfile import build_metadata, read_info, save_model
from mnistpad.core.lessons.codegen import script_for_file
from mnistpad.core.models.layers import Layer
from mnistpad.core.models.registry import scan
from mnistpad.core.models.specs import designed, lab_spec
from mnistpad.ui.lessons.leaderboard import Leaderboard
from mnistpad.ui.shell.code_dialog import CodeDialog, open_code_dialog


@pytest.fixture(autouse=True)
def english_numbers():
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def runs(tmp_path):
    """Three runs of the user's: a design past 98%, a lab model short of it, one unscored."""
    from mnistpad.core.models.variants import build_model

    sigmoid = designed(lab_spec("xavier"), (Layer(128, "sigmoid"), Layer(64, "sigmoid")))
    made = [("mine", sigmoid, "0.981200"), ("my-nn", lab_spec("nn"), "0.951000"),
            ("fresh", lab_spec("softmax"), "")]
    return [save_model(tmp_path / f"{name}.safetensors", build_model(spec),
                       build_metadata(name, spec, test_accuracy=acc, epochs_trained=3))
            for name, spec, acc in made]


@pytest.fixture
def board(qtbot, runs):
    catalog = scan()  # the shipped models (the user folder is empty in tests)
    widget = Leaderboard(lambda: [read_info(p) for p in runs] + catalog.models,
                         lambda: catalog.shipped)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    return widget


def _column(board, column: int) -> list[str]:
    return [board.table.item(r, column).text() for r in range(board.table.rowCount())]


def test_the_users_runs_ranked_against_the_lectures_marks(board):
    assert _column(board, 1) == ["mine", "my-nn", "fresh"]
    assert _column(board, 2) == ["784-128-64-10 (sigmoid)", "nn: 784-256-256-10", "softmax: 784-10"]
    assert _column(board, 3) == ["109,386", "269,322", "7,850"]
    assert _column(board, 5) == ["98.12%", "95.10%", ""]
    assert _column(board, 6) == ["past 98%: 98% (lab 10-5, dropout)", "94.5% (lab 10-2, nn)",
                                 "not scored"]
    assert board.summary.text() == "Runs past 98%: 1. The exercise is done."
    assert "90%, nn 94.5%, xavier 97.8%, dropout 98%, cnn 99%" in board.intro.text()


def _tick(qtbot, box) -> None:
    """A click on the check box's indicator (its centre may lie past the text)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_the_shipped_models_join_on_request(qtbot, board):
    _tick(qtbot, board.show_shipped)
    names = _column(board, 1)
    assert len(names) == 3 + 10 and names[0] == "cnn-ensemble (shipped)"
    assert names.index("mine") < names.index("xavier (shipped)") < names.index("my-nn")
    _tick(qtbot, board.show_shipped)
    assert _column(board, 1) == ["mine", "my-nn", "fresh"]


def test_with_the_app_state_the_board_follows_its_catalog(qtbot, runs, tmp_path):
    """Built with the app state, the board lists the state's models and adds a run the
    state lists later, told by the state alone."""
    from PySide6.QtCore import QSettings

    from mnistpad.ui.state.app_state import AppState
    from mnistpad.ui.state.jobs import JobRunner

    state = AppState(JobRunner(), QSettings(str(tmp_path / "s.ini"),
                                            QSettings.Format.IniFormat))
    state.add_file(runs[1])
    board = Leaderboard(state=state)
    qtbot.addWidget(board)
    assert _column(board, 1) == ["my-nn"]  # the shipped ones hidden
    state.add_file(runs[0])
    assert _column(board, 1) == ["mine", "my-nn"]
    board.show_shipped.setChecked(True)
    assert len(_column(board, 1)) == 2 + len(state.catalog.models)


def test_no_run_past_the_mark_yet(qtbot, runs):
    board = Leaderboard(lambda: [read_info(runs[1])])
    qtbot.addWidget(board)
    assert board.summary.text() == "No run past 98% yet; the best is my-nn at 95.10%."
    empty = Leaderboard(lambda: [])
    qtbot.addWidget(empty)
    assert empty.table.rowCount() == 0 and not empty.code.isEnabled()


def _click_row(qtbot, board, row: int) -> None:
    rect = board.table.visualItemRect(board.table.item(row, 1))
    qtbot.mouseClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_runs_code_shows_copies_and_saves(qtbot, board, runs, tmp_path, monkeypatch):
    assert not board.code.isEnabled()
    with qtbot.waitSignal(board.runSelected) as selected:
        _click_row(qtbot, board, 0)
    assert selected.args == [str(runs[0])]
    qtbot.mouseClick(board.code, Qt.MouseButton.LeftButton)
    dialog = board._dialogs[-1]
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.text.toPlainText() == script_for_file(runs[0])
    qtbot.mouseClick(dialog.copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == script_for_file(runs[0])
    target = tmp_path / "scripts" / "mine.py"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    assert target.read_text() == script_for_file(runs[0])
    board.refresh()  # the catalog changed: the selection stays on the same run
    assert board.selected_path() == runs[0]


def test_a_file_that_is_not_a_model_has_no_code(qtbot, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"not a model")
    assert open_code_dialog(bad) is None
    assert len(said) == 1 and str(bad) in said[0] and "\n" not in said[0]


def test_a_save_that_fails_says_so(qtbot, runs, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))
    dialog = CodeDialog(runs[0])
    qtbot.addWidget(dialog)
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert not dialog.save_to(blocker / "x.py")  # a folder that is a file
    assert len(said) == 1 and "x.py" in said[0]
