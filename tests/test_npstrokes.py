"""The torch-free stroke reader gives torch's probabilities for the shipped stroke model, so a
reading does not change when torch's reader takes over; it refuses what is no stroke model,
and reads without importing torch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

from mnistpad.core.data.pendigits import by_writers, to_canvas
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.npreader import NumpyReader, NumpyStrokeReader, stroke_reader_early
from mnistpad.core.strokes.combination import read_drawing
from mnistpad.core.strokes.features import CHANNELS, POINTS
from mnistpad.core.strokes.reader import (
    StrokeReader,
    default_stroke_model,
    shipped_stroke_model,
    user_stroke_models_dir,
)
from mnistpad.core.strokes.renderer import PenStroke

ROOT = Path(__file__).resolve().parents[1]
STROKES = ROOT / "tests" / "data" / "strokes.json"
NOTHING = {
    "empty": [],
    "dot": [PenStroke.of([(140, 140)])],
    "one spot": [PenStroke.of([(60, 60)] * 30)],
    "only eraser": [PenStroke.of([(40, 40), (200, 220)], erase=True)],
}


@pytest.fixture(scope="module")
def fixture_drawings() -> list[list[PenStroke]]:
    """The 120 fixture drawings' strokes, as the canvas records them."""
    samples = json.loads(STROKES.read_text())["samples"]
    drawings = [[PenStroke.of(points) for points in s["strokes"]] for s in samples]
    assert len(drawings) == 120
    return drawings


@pytest.fixture(scope="module")
def pen_drawings() -> list[list[np.ndarray]]:
    """The measuring writers' pen digits placed on the canvas (writers 25 and 30)."""
    drawings = [to_canvas(d) for d in by_writers([25, 30])]
    assert len(drawings) > 300
    return drawings


@pytest.fixture(scope="module")
def readers() -> tuple[NumpyStrokeReader, StrokeReader]:
    return NumpyStrokeReader.from_file(shipped_stroke_model()), StrokeReader.from_file(
        shipped_stroke_model())


def test_same_probabilities_as_torch_on_many_drawings(readers, fixture_drawings, pen_drawings):
    numpy_reader, torch_reader = readers
    drawings = fixture_drawings + pen_drawings
    numpy_probs = numpy_reader.probabilities_of_drawings(drawings)
    torch_probs = torch_reader.probabilities_of_drawings(drawings)
    assert numpy_probs.shape == (len(drawings), 10) and numpy_probs.dtype == np.float64
    assert np.isfinite(numpy_probs).all()  # every one of them has a trajectory
    assert np.abs(numpy_probs - torch_probs).max() < 1e-5
    assert np.allclose(numpy_probs.sum(axis=1), 1.0)
    assert (numpy_probs.argmax(axis=1) == torch_probs.argmax(axis=1)).all()
    # the readings differ: not one answer for every drawing
    assert len(set(numpy_probs.argmax(axis=1).tolist())) == 10


def test_one_drawing_reads_as_torch_and_as_many(readers, fixture_drawings):
    numpy_reader, torch_reader = readers
    many = numpy_reader.probabilities_of_drawings(fixture_drawings[:12])
    for row, strokes in zip(many, fixture_drawings[:12], strict=True):
        one = numpy_reader.probabilities(strokes)
        assert one.shape == (10,) and one.dtype == np.float64
        assert np.abs(one - torch_reader.probabilities(strokes)).max() < 1e-5
        assert np.abs(one - row).max() < 1e-12


def test_the_reading_the_user_sees_is_the_same(readers, fixture_drawings):
    """Combined with the image model's probabilities as the window does, by the file's
    combination: the same digit and the same figures with either reader."""
    numpy_reader, torch_reader = readers
    rng = np.random.default_rng(5)
    for strokes in fixture_drawings[::6]:
        image = rng.dirichlet(np.ones(10))
        early, late = (read_drawing(strokes, image, r) for r in (numpy_reader, torch_reader))
        assert early.source == late.source and early.digit == late.digit
        assert np.abs(early.combined - late.combined).max() < 1e-5


@pytest.mark.parametrize("name", NOTHING)
def test_nothing_to_read_is_none(readers, name):
    numpy_reader, torch_reader = readers
    assert numpy_reader.probabilities(NOTHING[name]) is None
    assert torch_reader.probabilities(NOTHING[name]) is None


def test_drawings_without_a_trajectory_are_rows_of_nan(readers, fixture_drawings):
    numpy_reader, torch_reader = readers
    drawings = [NOTHING["dot"], fixture_drawings[0], NOTHING["empty"], fixture_drawings[1]]
    numpy_probs = numpy_reader.probabilities_of_drawings(drawings)
    assert np.isnan(numpy_probs[[0, 2]]).all() and np.isfinite(numpy_probs[[1, 3]]).all()
    assert np.array_equal(np.isnan(numpy_probs),
                          np.isnan(torch_reader.probabilities_of_drawings(drawings)))
    assert numpy_reader.probabilities_of_drawings([]).shape == (0, 10)


def test_the_header_is_the_models(readers):
    numpy_reader, torch_reader = readers
    assert numpy_reader.name == torch_reader.name == "strokes"
    assert numpy_reader.path == shipped_stroke_model()
    assert numpy_reader.info.spec == torch_reader.info.spec
    assert numpy_reader.info.metadata["combination"] == torch_reader.info.metadata["combination"]


def test_bad_trajectory_shapes_are_refused(readers):
    numpy_reader, _ = readers
    for shape in [(2, CHANNELS, POINTS - 1), (CHANNELS, POINTS), (1, CHANNELS + 1, POINTS)]:
        with pytest.raises(ValueError, match="trajectories"):
            numpy_reader.probabilities_of_features(np.zeros(shape))


def test_the_default_file_is_the_users_own_if_trained_else_the_shipped_one():
    assert stroke_reader_early().path == shipped_stroke_model()
    own = user_stroke_models_dir() / "strokes.safetensors"
    own.parent.mkdir(parents=True)
    shutil.copyfile(shipped_stroke_model(), own)
    assert default_stroke_model() == own
    assert stroke_reader_early().path == own == StrokeReader.from_file().info.path
    assert stroke_reader_early(shipped_stroke_model()).path == shipped_stroke_model()


def test_image_models_and_stroke_models_are_refused_by_the_other_reader():
    image_model = shipped_models_dir() / "cnn.safetensors"
    with pytest.raises(ModelFileError, match="not a stroke model"):
        stroke_reader_early(image_model)
    with pytest.raises(ModelFileError, match="not an image model"):
        NumpyReader.from_file(shipped_stroke_model())


def _rewritten(tmp_path: Path, name: str, change) -> Path:
    with safe_open(str(shipped_stroke_model()), framework="np") as fh:
        metadata = fh.metadata()
    tensors = change(load_file(str(shipped_stroke_model())))
    path = tmp_path / f"{name}.safetensors"
    save_file(tensors, str(path), metadata=metadata)
    return path


def test_a_file_whose_weights_do_not_match_the_network_is_refused(tmp_path):
    """As torch's strict loading: every weight used, under its name, in its shape (each file
    below has the spec's parameter count, so its header passes)."""
    renamed = _rewritten(tmp_path, "renamed", lambda t: {
        k.replace("head.2.", "head.1."): v for k, v in t.items()})
    with pytest.raises(ModelFileError, match=r"missing 'head\.2\.weight'"):
        stroke_reader_early(renamed)
    extra = _rewritten(tmp_path, "extra", lambda t: dict(
        t, **{"features.2.running_mean": np.zeros(64, np.float32)}))
    with pytest.raises(ModelFileError, match=r"unexpected features\.2\.running_mean"):
        stroke_reader_early(extra)
    reshaped = _rewritten(tmp_path, "reshaped", lambda t: dict(
        t, **{"features.0.weight": t["features.0.weight"].reshape(64, 25, 1)}))
    with pytest.raises(ModelFileError, match=r"features\.0\.weight is \(64, 25, 1\), not "
                                             r"\(64, 5, 5\)"):
        stroke_reader_early(reshaped)
    with pytest.raises(ModelFileError):
        StrokeReader.from_file(reshaped)  # torch refuses it too


def test_reading_imports_no_torch():
    """As the window's loader uses it, before torch is imported."""
    code = ("import sys, json\n"
            "from mnistpad.core.reading.npreader import stroke_reader_early\n"
            "from mnistpad.core.strokes.renderer import PenStroke\n"
            f"s = json.load(open({str(STROKES)!r}))['samples'][3]\n"
            "reader = stroke_reader_early()\n"
            "probs = reader.probabilities([PenStroke.of(p) for p in s['strokes']])\n"
            "print(probs.shape, round(float(probs.sum()), 6), 'torch' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "(10,) 1.0 False"
