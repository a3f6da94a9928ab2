"""Faults 1-6 and the handled model-file faults, through the command (in a child process
with a memory limit where a file asks for a lot) and the library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mnistpad.core.files.modelfile import MAX_PARAMETERS, load_model, read_info
from mnistpad.core.models.registry import scan
from mnistpad.core.models.variants import (
    VARIANTS,
    build_model,
    parameter_count,
    spec_parameter_count,
)
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.platform.paths import shipped_models_dir

from .conftest import folder_state, one_line_error
from .hostile import absurd_ensemble, absurd_hidden, nested_json, pickle_model, softmax_model

needs_shipped = pytest.mark.skipif(not (shipped_models_dir() / "xavier.safetensors").is_file(),
                                   reason="no shipped models in models/")


def refused(path: Path, *fragments: str) -> str:
    """read_info and load_model both refuse ``path`` with one line naming it."""
    for reader in (read_info, load_model):
        with pytest.raises(ModelFileError) as info:
            reader(path)
        message = str(info.value)
        assert message.startswith(f"{path}: ") and "\n" not in message
        for fragment in fragments:
            assert fragment in message
    return message


@pytest.fixture
def digit_png(tmp_path, mnist):
    from PIL import Image

    path = tmp_path / "digit.png"
    pixels = (mnist.test.images[0].view(28, 28).numpy() * 255).astype("uint8")
    Image.fromarray(pixels).resize((140, 140)).save(path)
    return path


# ----------------------------------------------------------------- 1. absurd sizes


@pytest.mark.parametrize("make", [absurd_hidden, absurd_ensemble], ids=["hidden-1e9",
                                                                        "ensemble-1e6"])
def test_1_absurd_sizes_are_refused_before_anything_is_built(make, tmp_path, digit_png,
                                                             mnistpad_cli):
    path = make(tmp_path / "absurd.safetensors")
    refused(path, "parameters, more than the", f"{MAX_PARAMETERS:,}")
    before = folder_state(tmp_path)
    proc = mnistpad_cli("classify", digit_png, "--model", path)  # under the memory cap
    one_line_error(proc, str(path), "more than the")
    assert folder_state(tmp_path) == before


def test_1_a_spec_that_the_tensors_do_not_match_is_refused_from_the_header(tmp_path):
    path = softmax_model(tmp_path / "wider.safetensors", {"variant": "xavier", "hidden": [300]})
    refused(path, "do not match its 'xavier' spec", "7,850 parameters in the file")


@pytest.mark.parametrize("name", list(VARIANTS))
def test_1_the_parameter_count_from_the_spec_is_what_the_builder_builds(name):
    spec = VARIANTS[name]
    assert spec_parameter_count(spec) == parameter_count(build_model(spec))
    variant = spec.with_overrides(keep_prob=1.0, batch_norm=spec.arch == "mlp"
                                  and bool(spec.hidden))
    assert spec_parameter_count(variant) == parameter_count(build_model(variant))


# ----------------------------------------------------------------- 2, 3. metadata


def test_2_deeply_nested_json_in_the_metadata(tmp_path, mnistpad_main):
    for key in ("spec", "cost_history", "accuracy_history"):
        path = softmax_model(tmp_path / f"nested-{key}.safetensors", **{key: nested_json()})
        refused(path, f"no valid '{key}'")
    proc = mnistpad_main("eval", tmp_path / "nested-spec.safetensors")
    one_line_error(proc, "nested-spec.safetensors", "no valid 'spec'")


@pytest.mark.parametrize(
    ("key", "value"),
    [("test_accuracy", "ninety"), ("test_accuracy", "nan"), ("test_accuracy", "7"),
     ("format_version", "one"), ("format_version", "9" * 5000), ("cost_history", '{"a": 1}'),
     ("cost_history", '["1", 2]'), ("cost_history", "[NaN]"), ("accuracy_history", "[2.0]"),
     ("accuracy_history", "3"), ("spec", "[1, 2]"), ("spec", '"softmax"'), ("name", "a\nb")],
)
def test_3_metadata_of_the_wrong_type_names_the_file(key, value, tmp_path):
    path = softmax_model(tmp_path / "odd.safetensors", **{key: value})
    refused(path, f"no valid '{key}'" if key != "spec" else "not a model of a known variant")


@pytest.mark.parametrize(
    "changes",
    [{"keep_prob": True}, {"epochs": 1.5}, {"hidden": 5}, {"hidden": "256"}, {"members": "3"},
     {"batch_norm": "yes"}, {"keep_prob": 1e-300}, {"learning_rate": 1e6}, {"init": ["x"]},
     {"hidden": [1] * 1000}],
)
def test_3_spec_values_of_the_wrong_type_or_range(changes, tmp_path):
    refused(softmax_model(tmp_path / "odd.safetensors", changes), "not a model of a known variant")


def test_3_the_command_names_the_file_of_bad_metadata(tmp_path, digit_png, mnistpad_main):
    path = softmax_model(tmp_path / "ninety.safetensors", test_accuracy="ninety")
    proc = mnistpad_main("classify", digit_png, "--model", path)
    one_line_error(proc, str(path), "no valid 'test_accuracy'")


# ----------------------------------------------------------------- 4. one bad file in the folder


@needs_shipped
def test_4_a_bad_file_in_the_models_folder_is_skipped_with_a_warning(mnistpad_home, digit_png,
                                                                     mnistpad_main):
    folder = mnistpad_home / "models"
    folder.mkdir()
    bad = [softmax_model(folder / "ninety.safetensors", test_accuracy="ninety"),
           softmax_model(folder / "one.safetensors", format_version="one"),
           absurd_hidden(folder / "huge.safetensors"),
           softmax_model(folder / "nested.safetensors", spec=nested_json())]
    good = softmax_model(folder / "fine.safetensors")

    proc = mnistpad_main("models", "--json")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    names = {row["name"] for row in json.loads(proc.stdout)}
    assert "fine" in names and "xavier" in names and not names & {"ninety", "one", "huge"}
    warnings = proc.stderr.splitlines()
    assert len(warnings) == len(bad)
    for path in bad:
        assert sum(line.startswith("warning: ") and str(path) in line for line in warnings) == 1

    proc = mnistpad_main("classify", digit_png, "--model", good)
    assert proc.returncode == 0 and proc.stdout.startswith(f"{digit_png}: "), proc.stderr
    proc = mnistpad_main("classify", digit_png, "--model", "xavier")
    assert proc.returncode == 0 and "xavier" in proc.stdout, proc.stderr


def test_4_scan_keeps_going_past_every_kind_of_bad_file(mnistpad_home, tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    softmax_model(folder / "a.safetensors", test_accuracy="ninety")
    softmax_model(folder / "b.safetensors", cost_history='{"x": 1}')
    pickle_model(folder / "c.safetensors", tmp_path / "pwned")
    (folder / "d.safetensors").write_bytes(b"")
    softmax_model(folder / "e.safetensors")
    catalog = scan([folder])
    assert [m.name for m in catalog.models] == ["e"]
    assert len(catalog.problems) == 4
    assert not (tmp_path / "pwned").exists()


# ----------------------------------------------------------------- 5. histories


def test_5_a_cost_history_that_is_an_object_never_reaches_the_chart(tmp_path):
    path = softmax_model(tmp_path / "object.safetensors", cost_history='{"epoch": 1}')
    refused(path, "no valid 'cost_history'")
    assert scan([tmp_path]).models == []


def test_5_histories_are_lists_of_floats(tmp_path):
    info = read_info(softmax_model(tmp_path / "fine.safetensors", accuracy_history="[0, 0.5]"))
    assert info.cost_history == [5.9, 3.1] and info.accuracy_history == [0.0, 0.5]
    assert all(type(v) is float for v in info.accuracy_history)


# ----------------------------------------------------------------- pickles, via the command


@pytest.mark.parametrize("kind", ["torch.save", "pickle"])
def test_pickles_given_to_the_command_never_run(kind, tmp_path, digit_png, mnistpad_main,
                                                mnist_dir):
    marker = tmp_path / "pwned"
    path = pickle_model(tmp_path / "evil.safetensors", marker, kind)
    for argv in (["classify", digit_png, "--model", path], ["eval", path, "--data", mnist_dir]):
        one_line_error(mnistpad_main(*argv), str(path), "never unpickles")
    assert not marker.exists()
