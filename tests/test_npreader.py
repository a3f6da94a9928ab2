"""The torch-free reader gives torch's probabilities for every shipped model, and reads
without importing torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.npreader import NumpyReader
from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes

ROOT = Path(__file__).resolve().parents[1]
STROKES = ROOT / "tests" / "data" / "strokes.json"
SHIPPED = sorted(shipped_models_dir().glob("*.safetensors"))


@pytest.fixture(scope="module")
def drawings() -> np.ndarray:
    """The 120 fixture drawings, drawn and normalized as the canvas's strokes are."""
    samples = json.loads(STROKES.read_text())["samples"]
    images = [digit_from_strokes([PenStroke.of(points) for points in s["strokes"]])
              for s in samples]
    assert len(images) == 120 and all(image is not None for image in images)
    return np.stack(images)


def test_every_variant_is_shipped():
    assert {p.stem for p in SHIPPED} >= {"softmax", "nn", "xavier", "deep", "dropout",
                                         "batchnorm", "cnn", "deepcnn", "cnn-ensemble", "drawn"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_same_probabilities_as_torch(path, drawings):
    from mnistpad.core.reading.classify import Classifier

    torch_probs = Classifier.from_file(path).probabilities(drawings)
    reader = NumpyReader.from_file(path)
    numpy_probs = reader.probabilities(drawings)
    assert numpy_probs.shape == (120, 10) and numpy_probs.dtype == np.float64
    assert np.abs(numpy_probs - torch_probs).max() < 1e-5
    digit, probs = reader.predict(drawings[7])
    assert digit == int(torch_probs[7].argmax())
    assert np.abs(probs - torch_probs[7]).max() < 1e-5


def test_a_file_whose_weights_do_not_match_its_spec_is_refused(tmp_path):
    source = shipped_models_dir() / "dropout.safetensors"
    from safetensors import safe_open

    with safe_open(str(source), framework="np") as fh:
        metadata = fh.metadata()
    tensors = load_file(str(source))
    # as many parameters as the spec (the header check passes), under the wrong names
    renamed = {k.replace("12.", "11."): v for k, v in tensors.items()}
    save_file(renamed, str(tmp_path / "renamed.safetensors"), metadata=metadata)
    with pytest.raises(ModelFileError, match="missing '12.weight'"):
        NumpyReader.from_file(tmp_path / "renamed.safetensors")
    # statistics the header's parameter count leaves out, for a layer the spec has not
    extra = dict(tensors, **{"12.running_mean": np.zeros(10, np.float32)})
    save_file(extra, str(tmp_path / "extra.safetensors"), metadata=metadata)
    with pytest.raises(ModelFileError, match="unexpected 12.running_mean"):
        NumpyReader.from_file(tmp_path / "extra.safetensors")


def test_bad_image_shapes_are_refused():
    reader = NumpyReader.from_file(shipped_models_dir() / "softmax.safetensors")
    with pytest.raises(ValueError, match="28x28"):
        reader.probabilities(np.zeros((2, 27, 28)))


def test_reading_imports_no_torch():
    """As the window's loader uses it before torch is imported."""
    code = ("import sys, json\n"
            "from mnistpad.core.reading.npreader import NumpyReader\n"
            "from mnistpad.core.platform.paths import shipped_models_dir\n"
            "from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes\n"
            f"s = json.load(open({str(STROKES)!r}))['samples'][0]\n"
            "image = digit_from_strokes([PenStroke.of(p) for p in s['strokes']])\n"
            "for path in sorted(shipped_models_dir().glob('*.safetensors')):\n"
            "    NumpyReader.from_file(path).predict(image)\n"
            "print('torch' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
