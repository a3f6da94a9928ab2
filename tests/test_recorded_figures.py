"""One number, one source: each model's figures are recorded once in its file, say what they
were measured on, and are what ``mnistpad models --json`` and the README show."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mnistpad.core.files import figures
from mnistpad.core.files.modelfile import read_info, update_metadata
from mnistpad.core.platform.errors import ModelFileError

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_model_table() -> dict[str, dict[str, str]]:
    """The README's model table: {model: {column: cell without bold}}."""
    lines = README.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("| model | lab |"))
    header = [c.strip() for c in lines[first].strip("|").split("|")]
    rows = {}
    for line in lines[first + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.replace("**", "").strip() for c in line.strip("|").split("|")]
        rows[cells[0].replace("(default)", "").strip()] = dict(zip(header, cells, strict=True))
    return rows


def test_the_readme_table_is_what_models_json_says(cli):
    status, out, _ = cli("models", "--json")
    assert status == 0
    listed = {row["name"]: row for row in json.loads(out) if row["shipped"]}
    table = readme_model_table()
    assert set(table) == set(listed)
    for name, row in listed.items():
        assert table[name]["MNIST test"] == f"{100 * row['test_acc']:.2f}%", name
        drawn = f"{100 * row['drawn_acc']:.2f}%"
        if row["drawn_read_with"] == figures.READ_BOTH:  # the default: its parts beside it
            drawn += (f" (picture {100 * row['drawn_picture_acc']:.2f}%, strokes "
                      f"{100 * row['drawn_strokes_acc']:.2f}%)")
        assert table[name]["drawn digits"] == drawn, name
        assert table[name]["params"] == f"{row['parameters']:,}", name
        # the README says what they were measured on: MNIST's full test set, the drawn
        # digits of writers 25-30
        assert row["test_measured_on"] == figures.MNIST_TEST and row["test_count"] == 10_000
        assert row["drawn_measured_on"] == figures.DRAWN_WRITERS
        assert row["measured_by"] == figures.BY_EVAL
        # measured with today's renderer and pen digits: no shipped figure is stale
        assert row["drawn_stale"] is False, (name, row["drawn_stale_reason"])
        assert row["drawn_renderer_version"] == figures.current_renderer_version()
    # the default's headline is the reading the app gives a drawing: picture and strokes
    assert listed["drawn"]["drawn_read_with"] == figures.READ_BOTH
    assert listed["drawn"]["drawn_acc"] > listed["drawn"]["drawn_picture_acc"]


def test_eval_record_writes_one_measurement_that_says_what_it_was_measured_on(
        cli, mnist_dir, trained_xavier, tmp_path):
    copy = tmp_path / "scored.safetensors"
    copy.write_bytes(trained_xavier[1].read_bytes())
    status, out, err = cli("eval", copy, "--data", mnist_dir, "--record", "--json")
    assert status == 0, err
    score = json.loads(out)
    info = read_info(copy)
    mnist, drawn = info.measurement.mnist, info.measurement.drawn
    assert (mnist.measured_on, mnist.count) == (figures.MNIST_PART, 500)  # the fixture
    assert mnist.accuracy == score["test_acc"] == mnist.correct / 500
    assert (drawn.measured_on, drawn.count) == (figures.DRAWN_WRITERS, 1498)
    assert drawn.accuracy == score["drawn_acc"] == info.drawn_accuracy
    assert info.measurement.by == "mnistpad eval --record"
    assert json.loads(info.metadata["measurement"])["drawn"]["renderer"] == (
        "mnistpad.core.strokes")
    assert drawn.renderer_version == score["drawn_renderer_version"] == (
        figures.current_renderer_version())
    assert drawn.data == figures.current_drawn_data() and drawn.read_with == figures.READ_PICTURE



def test_a_trained_model_records_its_figures_the_same_way(cli, mnist_dir, tmp_path):
    status, out, err = cli("train", "softmax", "--epochs", "1", "--data", mnist_dir,
                           "--out", tmp_path / "s", "--json")
    assert status == 0, err
    final = json.loads(out.splitlines()[-1])
    info = read_info(final["saved"])
    assert info.test_measured_on == figures.MNIST_PART and info.measurement.mnist.count == 500
    assert info.test_accuracy == pytest.approx(final["test_acc"], abs=1e-6)
    assert info.drawn_measured_on == figures.DRAWN_WRITERS
    assert info.measurement.by == figures.BY_TRAINING
    status, out, _ = cli("models")
    assert re.search(r"^softmax .*MNIST test set", out, re.M)  # the shipped one: full set


@pytest.mark.parametrize("bad", [
    {"mnist": {"accuracy": 0.99, "correct": 5, "count": 10, "measured_on": "mnist-test"}},
    {"mnist": {"accuracy": 0.5, "correct": 5, "count": 10, "measured_on": "somewhere"}},
    {"drawn": {"accuracy": 1.5, "correct": 15, "count": 10, "measured_on": "mnist-test"}},
    {"mnist": "99%"},
    [1, 2],
    {"drawn": {"accuracy": 0.5, "correct": 5, "count": 10, "measured_on": "pen-writers-25-30",
               "renderer_version": 0, "data": "sha256:0123456789abcdef"}},
    {"drawn": {"accuracy": 0.5, "correct": 5, "count": 10, "measured_on": "pen-writers-25-30",
               "renderer_version": 2, "data": "the pen digits"}},
    {"drawn": {"accuracy": 0.5, "correct": 5, "count": 10, "measured_on": "pen-writers-25-30",
               "read_with": "picture and strokes",
               "parts": {"picture": {"accuracy": 0.4, "correct": 4}}}},
    {"drawn": {"accuracy": 0.5, "correct": 5, "count": 10, "measured_on": "pen-writers-25-30",
               "read_with": "picture and strokes",
               "parts": {"picture": {"accuracy": 0.4, "correct": 4},
                         "strokes": {"accuracy": 0.9, "correct": 4}}}},
    {"drawn": {"accuracy": 0.5, "correct": 5, "count": 10, "measured_on": "pen-writers-25-30",
               "read_with": "the picture", "parts": {}}},
])
def test_a_measurement_that_does_not_add_up_is_refused_naming_the_file(trained_xavier,
                                                                       tmp_path, bad):
    copy = tmp_path / "bad.safetensors"
    copy.write_bytes(trained_xavier[1].read_bytes())
    update_metadata(copy, measurement=json.dumps(bad))
    with pytest.raises(ModelFileError, match=r"bad\.safetensors: its metadata has no valid "
                                             r"'measurement'"):
        read_info(copy)
