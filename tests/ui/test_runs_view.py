"""The Train tab's runs view on its own: the CSV export is written whole or not at all, so a
write that fails (a full disk, a pulled stick) or a run that cannot be written never leaves a
half-written file in place of the one the user had."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QSaveFile
from PySide6.QtWidgets import QFileDialog, QMessageBox

from mnistpad.core.models.specs import lab_spec
from mnistpad.ui.train.runs import RunsView
from mnistpad.ui.widgets.run_chart import RunHistory

OLD_CSV = "run,kind,x,cost,test_acc\nearlier,epoch,1,0.5,0.9\n"


class _NoSavedModels:
    """The app state as the runs view uses it: the saved models, none here."""

    def models(self) -> list:
        return []


@pytest.fixture
def view(qtbot) -> RunsView:
    view = RunsView(_NoSavedModels())
    qtbot.addWidget(view)
    for name, epochs in (("one", 3), ("two", 4)):
        view.add_run(RunHistory(
            name, lab_spec("softmax"), batch_x=[i / 10 for i in range(10 * epochs)],
            batch_cost=[1 / (i + 1) for i in range(10 * epochs)],
            epoch_cost=[0.5 / (e + 1) for e in range(epochs)],
            epoch_acc=[0.9 + e / 100 for e in range(epochs)], outcome="saved"))
    return view


@pytest.fixture
def fail_second_write(monkeypatch) -> list[int]:
    """Every QSaveFile write after the first fails, as on a disk that fills mid-export;
    returns the sizes of the writes tried."""
    tried: list[int] = []
    real_write = QSaveFile.write

    def write(target, data) -> int:
        tried.append(len(data))
        return real_write(target, data) if len(tried) == 1 else -1

    monkeypatch.setattr(QSaveFile, "write", write)
    return tried


def test_the_export_writes_every_run(view, tmp_path):
    path = tmp_path / "runs.csv"
    path.write_text(OLD_CSV)
    view.export_csv(path)
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["run"] for r in rows if r["kind"] == "epoch"] == ["one"] * 3 + ["two"] * 4
    assert sum(r["kind"] == "batch" for r in rows) == 70
    assert "earlier" not in path.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.csv"]


def test_a_write_failing_midway_leaves_the_existing_csv_intact(view, tmp_path,
                                                              fail_second_write):
    path = tmp_path / "runs.csv"
    path.write_text(OLD_CSV)
    with pytest.raises(OSError):
        view.export_csv(path)
    assert len(fail_second_write) >= 2  # part of the export was written before the failure
    assert path.read_text() == OLD_CSV
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.csv"]  # no temporary left


def test_a_failed_export_from_the_button_warns_and_keeps_the_file(view, tmp_path, monkeypatch,
                                                                  fail_second_write):
    path = tmp_path / "runs.csv"
    path.write_text(OLD_CSV)
    warned = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(path), "CSV"))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    view.export_csv_button.click()
    assert len(warned) == 1 and warned[0].startswith(f"{path}: ")
    assert path.read_text() == OLD_CSV


def test_a_run_that_cannot_be_written_leaves_no_new_file(view, tmp_path):
    figure = view.history[1].epoch_cost[2]
    view.history[1].epoch_cost[2] = None  # no figure: formatting it fails mid-export
    path = tmp_path / "runs.csv"
    try:
        with pytest.raises(TypeError):
            view.export_csv(path)
    finally:  # the closed view lives on until collected, and redraws on a language change
        view.history[1].epoch_cost[2] = figure
    assert list(tmp_path.iterdir()) == []
