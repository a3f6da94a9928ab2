"""One figure per model, never stale: a drawn figure says the renderer version and pen digits
it was measured with; one that no longer matches is shown as stale wherever figures are shown
(``mnistpad models``, the model list's line and tooltip), and ``models --json`` lists exactly
what ``eval --json`` measured for a model recorded by ``eval --record``."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from mnistpad.core.files import figures
from mnistpad.core.files.modelfile import read_info, update_metadata

TOOL = Path(__file__).resolve().parents[1] / "tools" / "record_shipped.py"


def _user_copy(trained_xavier, home: Path, name: str) -> Path:
    folder = home / "models"
    folder.mkdir(exist_ok=True)
    copy = folder / f"{name}.safetensors"
    copy.write_bytes(trained_xavier[1].read_bytes())
    return copy


def _row(cli, path: Path) -> dict:
    status, out, err = cli("models", "--json")
    assert status == 0, err
    [row] = [r for r in json.loads(out) if Path(r["file"]) == path]
    return row


def _drawn_measured_with(version: int) -> str:
    drawn = {"accuracy": 0.75, "correct": 3, "count": 4, "measured_on": figures.DRAWN_WRITERS,
             "renderer": figures.DRAWN_RENDERER, "size": "full",
             "renderer_version": version, "data": figures.current_drawn_data()}
    return json.dumps({"drawn": drawn, "by": figures.BY_EVAL, "when": ""})


def test_the_pen_digits_hashed_are_the_ones_the_drawn_digits_are_drawn_from():
    from mnistpad.core.data.pendigits import DATA_FILE

    assert figures.PEN_DIGITS_FILE == DATA_FILE
    assert figures.current_drawn_data().startswith("sha256:")


def test_a_figure_of_an_older_renderer_is_stale_in_models_json_and_the_model_list(
        cli, trained_xavier, mnistpad_home):
    from mnistpad.ui.state.model_text import describe, explain

    copy = _user_copy(trained_xavier, mnistpad_home, "old-renderer")
    update_metadata(copy, measurement=_drawn_measured_with(figures.current_renderer_version()))
    current = _row(cli, copy)
    assert current["drawn_stale"] is False and current["drawn_acc"] == 0.75
    assert "(stale" not in describe(read_info(copy)) + explain(read_info(copy))

    update_metadata(copy, measurement=_drawn_measured_with(
        figures.current_renderer_version() - 1))
    stale = _row(cli, copy)
    assert stale["drawn_stale"] is True and stale["drawn_acc"] is None  # never as current
    assert stale["drawn_stale_acc"] == 0.75
    assert "renderer version 1" in stale["drawn_stale_reason"]
    assert stale["drawn_picture_acc"] is None
    info = read_info(copy)
    assert describe(info).endswith("drawn 75.00% (stale))")
    assert "75.00% (stale: measured with an older stroke renderer" in explain(info)
    status, out, _ = cli("models")
    [line] = [line for line in out.splitlines() if line.endswith(str(copy))]
    assert status == 0 and " stale " in line


def test_a_figure_recorded_before_renderer_versions_is_stale(trained_xavier, tmp_path):
    copy = tmp_path / "before.safetensors"
    copy.write_bytes(trained_xavier[1].read_bytes())
    body = json.loads(_drawn_measured_with(2))
    del body["drawn"]["renderer_version"], body["drawn"]["data"]
    update_metadata(copy, measurement=json.dumps(body))
    info = read_info(copy)
    assert info.measurement.drawn.renderer_version is None
    assert "before the renderer's version" in figures.stale_reason(info.measurement.drawn)
    body["drawn"].update(renderer_version=2, data="sha256:" + "0" * 16)  # other pen digits
    update_metadata(copy, measurement=json.dumps(body))
    assert "other pen digits" in figures.stale_reason(read_info(copy).measurement.drawn)


@pytest.mark.parametrize("with_strokes", [False, True], ids=["picture", "picture+strokes"])
def test_models_json_lists_what_eval_json_measured_and_recorded(
        cli, mnist_dir, trained_xavier, mnistpad_home, monkeypatch, with_strokes):
    from mnistpad.core.strokes import files as stroke_files
    from mnistpad.ui.state.model_text import describe, explain

    if with_strokes:  # read as the default is: picture and strokes together
        monkeypatch.setattr(stroke_files, "reads_strokes", lambda info: info is not None)
    copy = _user_copy(trained_xavier, mnistpad_home, "measured")
    status, out, err = cli("eval", copy, "--data", mnist_dir, "--record", "--json")
    assert status == 0, err
    measured, listed = json.loads(out), _row(cli, copy)
    for key in ("test_acc", "test_measured_on", "drawn_acc", "drawn_measured_on",
                "drawn_picture_acc", "drawn_read_with", "drawn_renderer_version"):
        assert listed[key] == measured[key], key
    assert (listed["test_count"], listed["drawn_count"]) == (measured["samples"],
                                                              measured["drawn_samples"])
    assert listed["drawn_stale"] is False
    assert listed["drawn_renderer_version"] == figures.current_renderer_version()
    info = read_info(copy)
    if not with_strokes:
        assert listed["drawn_read_with"] == figures.READ_PICTURE
        assert listed["drawn_picture_acc"] == listed["drawn_acc"]
        assert listed["drawn_strokes_acc"] is None
        return
    assert listed["drawn_read_with"] == figures.READ_BOTH
    assert listed["drawn_acc"] == measured["drawn_with_strokes_acc"]
    assert listed["drawn_strokes_acc"] == pytest.approx(measured["drawn_strokes_alone_acc"])
    assert listed["drawn_picture_acc"] != listed["drawn_acc"]
    pct = [f"{100 * listed[k]:.2f}%" for k in
           ("drawn_acc", "drawn_picture_acc", "drawn_strokes_acc")]
    assert describe(info).endswith(f"drawn {pct[0]} (picture {pct[1]}, strokes {pct[2]}))")
    assert f"{pct[0]}, read with the strokes" in explain(info)


def test_the_shipped_tool_records_through_evals_path_keeping_the_weights(
        mnist_dir, trained_xavier, tmp_path, monkeypatch):
    from mnistpad.core.data.mnist import load_test_split
    from mnistpad.core.files.measure import record
    from mnistpad.core.files.modelfile import load_model
    from mnistpad.core.platform.errors import MnistpadError

    shipped = tmp_path / "shipped"
    shipped.mkdir()
    path = shipped / "xavier.safetensors"
    path.write_bytes(trained_xavier[1].read_bytes())
    monkeypatch.setenv("MNISTPAD_SHIPPED_MODELS", str(shipped))
    with pytest.raises(MnistpadError, match="a shipped model"):  # eval --record's refusal
        record(load_model(path), figures.Measurement(by=figures.BY_EVAL))
    spec = importlib.util.spec_from_file_location("record_shipped", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    before = tool.tensor_bytes(path)
    row = tool.record_one(path, load_test_split(mnist_dir), dry_run=False)
    assert row["weights_identical"] and tool.tensor_bytes(path) == before
    recorded = read_info(path).measurement
    assert recorded.by == figures.BY_EVAL and recorded.mnist.accuracy == row["test_acc"]
    assert recorded.drawn.accuracy == row["drawn_acc"]
    assert figures.stale_reason(recorded.drawn) is None
