"""Round four, fault 7: a stroke reader whose weights hold NaN was used by the window's
torch-free reader ("Not sure: maybe 0 (nan%)", then an uncaught ValueError), where the
command (torch's loading) refuses it. The numpy readers refuse such a file at load, as torch's
loading does and in its words."""

from __future__ import annotations

import math

import pytest
import torch
from safetensors.torch import save_file

from mnistpad.core.files.modelfile import build_metadata
from mnistpad.core.models.variants import build_model, lab_spec
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.reading.npreader import NumpyReader, NumpyStrokeReader, stroke_reader_early
from mnistpad.core.strokes.reader import StrokeReader

from .test_file_kinds import stroke_model


def poisoned(key: str, value: float):
    def change(state):
        state[key] = state[key].clone()
        state[key].view(-1)[0] = value

    return change


@pytest.mark.parametrize(("key", "value"), [("features.0.weight", math.nan),
                                            ("head.2.bias", math.inf),
                                            ("features.1.running_var", -math.inf),
                                            ("features.1.running_var", -1.0)],
                         ids=["nan-weight", "inf-bias", "inf-running-var", "negative-variance"])
def test_7_a_stroke_reader_of_non_finite_weights_is_refused_by_both_readers(key, value,
                                                                            tmp_path):
    path = stroke_model(tmp_path / "strokes.safetensors", poisoned(key, value))
    with pytest.raises(ModelFileError) as by_torch:
        StrokeReader.from_file(path)
    for load in (stroke_reader_early, NumpyStrokeReader.from_file):
        with pytest.raises(ModelFileError) as by_numpy:
            load(path)
        assert str(by_numpy.value) == str(by_torch.value)
    assert str(by_torch.value).startswith(f"{path}: ") and f"'{key}'" in str(by_torch.value)


def test_7_an_image_model_of_non_finite_weights_is_refused_by_the_numpy_reader(tmp_path):
    from mnistpad.core.reading.classify import Classifier

    spec = lab_spec("softmax")
    state = {k: v.contiguous() for k, v in build_model(spec).state_dict().items()}
    poisoned("0.weight", math.nan)(state)
    path = tmp_path / "nan.safetensors"
    save_file(state, path, metadata=build_metadata("nan", spec))
    with pytest.raises(ModelFileError) as by_torch:
        Classifier.from_file(path)
    with pytest.raises(ModelFileError) as by_numpy:
        NumpyReader.from_file(path)
    assert str(by_numpy.value) == str(by_torch.value)


def test_7_a_finite_stroke_reader_still_reads_the_same_with_both(tmp_path):
    import numpy as np

    from mnistpad.core.strokes.renderer import PenStroke

    path = stroke_model(tmp_path / "strokes.safetensors")
    drawing = [PenStroke.of([[140, 60], [140, 220]], 24)]
    torch.manual_seed(0)
    expected = StrokeReader.from_file(path).probabilities(drawing)
    assert np.allclose(stroke_reader_early(path).probabilities(drawing), expected, atol=1e-5)
