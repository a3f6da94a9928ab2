"""Round four, fault 6: a stroke reader taken for an image model. A stroke reader's file put
among the image models was listed, then every command failed on it with a shape error, and
File > Open Model made it active. A file says what it is (its spec's arch); reading one kind
where the other is expected is refused in one line naming the file, so the catalog skips it
and every command refuses it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from PIL import Image
from safetensors.torch import save_file

from mnistpad.core.files.modelfile import (
    IMAGE,
    STROKES,
    build_metadata,
    load_model,
    read_info,
    update_metadata,
)
from mnistpad.core.models.registry import scan
from mnistpad.core.models.specs import STROKE_VARIANTS
from mnistpad.core.models.variants import build_model
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.platform.paths import shipped_models_dir

from .conftest import one_line_error
from .hostile import softmax_model

NOT_IMAGE = "not an image model"
NOT_STROKES = "not a stroke model"


def stroke_model(path: Path, state_change=None, **meta_changes: str) -> Path:
    """A real stroke reader file (its network untrained), with metadata replaced and its
    weights changed by ``state_change(state)``."""
    spec = STROKE_VARIANTS["strokes"]
    torch.manual_seed(0)
    meta = build_metadata(path.stem, spec, combination='{"rule": "log", "image_weight": 0.6}')
    meta.update(meta_changes)
    state = {k: v.contiguous() for k, v in build_model(spec).state_dict().items()}
    if state_change is not None:
        state_change(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(state, path, metadata=meta)
    return path


def refused_as(path: Path, kind: str, fragment: str) -> None:
    for reader in (read_info, load_model):
        with pytest.raises(ModelFileError) as caught:
            reader(path, kind=kind)
        message = str(caught.value)
        assert message.startswith(f"{path}: ") and "\n" not in message, message
        assert fragment in message, message


def digit_png(path: Path) -> Path:
    image = Image.new("L", (56, 56), 0)
    image.paste(255, (26, 8, 30, 48))
    image.save(path)
    return path


def test_6_a_file_is_read_only_as_the_kind_it_says_it_is(tmp_path):
    strokes = stroke_model(tmp_path / "strokes.safetensors")
    image = softmax_model(tmp_path / "softmax.safetensors")
    assert read_info(strokes, kind=STROKES).spec.arch == "strokes"
    assert read_info(image).spec.arch == "mlp" and read_info(image, kind=IMAGE).name == "softmax"
    assert load_model(strokes, kind=STROKES).info.variant == "strokes"
    refused_as(strokes, IMAGE, NOT_IMAGE)
    refused_as(image, STROKES, NOT_STROKES)
    with pytest.raises(ModelFileError, match=NOT_IMAGE):
        read_info(strokes)  # an image model is what a plain read expects


def test_6_every_image_model_reader_refuses_a_stroke_reader(tmp_path):
    from mnistpad.core.reading.classify import Classifier
    from mnistpad.core.reading.npreader import NumpyReader

    strokes = stroke_model(tmp_path / "strokes.safetensors")
    for load in (Classifier.from_file, NumpyReader.from_file, load_model, read_info):
        with pytest.raises(ModelFileError, match=f"^{strokes}: {NOT_IMAGE}"):
            load(strokes)


def test_6_metadata_of_a_stroke_reader_can_still_be_rewritten(tmp_path):
    """``mnistpad train strokes`` records the combination after saving."""
    strokes = stroke_model(tmp_path / "strokes.safetensors")
    update_metadata(strokes, combination='{"rule": "mean", "image_weight": 0.3}')
    info = read_info(strokes, kind=STROKES)
    assert json.loads(info.metadata["combination"]) == {"rule": "mean", "image_weight": 0.3}


def test_6_the_catalog_skips_a_stroke_reader_among_the_image_models(tmp_path):
    folder = tmp_path / "models"
    stroke_model(folder / "strokes.safetensors")
    softmax_model(folder / "fine.safetensors")
    catalog = scan([folder])
    assert [m.name for m in catalog.models] == ["fine"]
    assert len(catalog.problems) == 1
    assert catalog.problems[0].startswith(f"{folder / 'strokes.safetensors'}: {NOT_IMAGE}")


def test_6_the_models_command_leaves_a_stroke_reader_out(mnistpad_home, mnistpad_cli):
    folder = mnistpad_home / "models"
    path = stroke_model(folder / "strokes.safetensors")
    softmax_model(folder / "fine.safetensors")
    proc = mnistpad_cli("models", "--json", timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    names = {row["name"] for row in json.loads(proc.stdout)}
    assert "fine" in names and "strokes" not in names
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and str(path) in warnings[0] and NOT_IMAGE in warnings[0]


@pytest.mark.parametrize("command", ["classify", "inspect", "eval", "activations", "code",
                                     "adapt"])
def test_6_every_command_refuses_a_stroke_reader_in_one_line(command, tmp_path, mnistpad_main,
                                                             mnist_dir):
    path = stroke_model(tmp_path / "strokes.safetensors")
    digit = digit_png(tmp_path / "digit.png")
    samples = tmp_path / "mine" / "1"
    samples.mkdir(parents=True)
    shutil.copy(digit, samples / "a.png")
    argv = {"classify": [digit, "--model", path],
            "inspect": [path, digit, "--out", tmp_path / "out"],
            "eval": [path, "--data", mnist_dir],
            "activations": [path, "--data", mnist_dir],
            "code": [path, "--out", tmp_path / "gen.py"],
            "adapt": [path, "--samples", tmp_path / "mine", "--steps", "1",
                      "--out", tmp_path / "p.safetensors"]}[command]
    one_line_error(mnistpad_main(command, *argv), str(path), NOT_IMAGE)
    assert not (tmp_path / "gen.py").exists() and not (tmp_path / "p.safetensors").exists()


@pytest.mark.skipif(not (shipped_models_dir() / "xavier.safetensors").is_file(),
                    reason="no shipped models in models/")
def test_6_open_model_refuses_a_stroke_reader(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    active = window.state.active
    path = stroke_model(tmp_path / "strokes.safetensors")
    assert not window.files.open_model(path)
    assert len(shown) == 1 and str(path) in shown[0] and NOT_IMAGE in shown[0]
    assert window.picker.findData(str(path)) < 0 and window.state.active == active
