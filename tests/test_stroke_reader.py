"""The stroke reader: trajectories from strokes, bad strokes, the model file, the combination
with the image model, and ``mnistpad train strokes``'s bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from mnistpad.core.data.pendigits import by_writers
from mnistpad.core.models.specs import spec_from_metadata
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.strokes.combination import (
    BOTH,
    ERASED,
    IMAGE_ALONE,
    NO_STROKES,
    NO_TRAJECTORY,
    Combination,
    choose,
    read_drawing,
)
from mnistpad.core.strokes.features import CHANNELS, MAX_POINTS, POINTS, augment, trajectory
from mnistpad.core.strokes.reader import StrokeReader, shipped_stroke_model
from mnistpad.core.strokes.renderer import PenStroke

STROKES_JSON = Path(__file__).resolve().parent / "data" / "strokes.json"


def circle(points: int, radius: float = 80.0, centre=(140.0, 140.0)) -> np.ndarray:
    t = np.linspace(0, 2 * math.pi, points)
    return np.stack([centre[0] + radius * np.cos(t), centre[1] + radius * np.sin(t)], 1)


# ----------------------------------------------------------------------------- trajectory


def test_trajectory_is_fixed_length_centred_and_scaled():
    features = trajectory([PenStroke.of(circle(200, 50, (60, 200)))])
    assert features.shape == (CHANNELS, POINTS) and features.dtype == np.float32
    x, y = features[0], features[1]
    assert max(x.max(), y.max()) == pytest.approx(1.0, abs=0.02)
    assert min(x.min(), y.min()) == pytest.approx(-1.0, abs=0.02)
    assert np.hypot(features[2], features[3]) == pytest.approx(np.ones(POINTS), abs=1e-5)
    assert not features[4].any()  # one stroke: the pen never lifts


def test_sparse_tablet_points_and_dense_mouse_points_give_the_same_trajectory():
    """Arc-length spacing: 20 points or 2,000 along the same circle read alike, where the
    raw points differ a hundredfold in density."""
    sparse = trajectory([circle(20)])
    dense = trajectory([circle(2000)])
    assert np.abs(sparse[:2] - dense[:2]).max() < 0.05


def test_pen_up_marks_the_jump_between_strokes():
    four = [np.array([[100, 20], [60, 150], [180, 150]]), np.array([[150, 60], [150, 260]])]
    features = trajectory(four)
    up = features[4].astype(bool)
    assert up.any() and not up.all()
    rows = np.flatnonzero(up)
    assert (np.diff(rows) == 1).all()  # one jump: one run of pen-up points


@pytest.mark.parametrize("strokes", [
    [],
    [PenStroke.of([(10, 10)])],
    [PenStroke.of([(10, 10)] * 50)],
    [np.full((5, 2), np.nan)],
    [np.array([[0.0, 0.0], [1e300, 1e300]])],
    [PenStroke.of(circle(30), erase=True)],
    [np.empty((0, 2))],
    ["not points"],
], ids=["empty", "one point", "one spot", "all nan", "enormous", "only eraser", "no points",
        "junk"])
def test_nothing_to_read_is_none(strokes):
    assert trajectory(strokes) is None


def test_non_finite_points_are_dropped_and_huge_drawings_thinned():
    with_nan = np.vstack([circle(40)[:20], [[np.nan, 3.0]], [[np.inf, 0]], circle(40)[20:]])
    assert np.allclose(trajectory([with_nan]), trajectory([circle(40)]), atol=1e-5)
    many = [np.array([[x, y], [x + 3, y + 1]]) for x in range(0, 280, 4)
            for y in range(0, 280, 4)]  # 4,900 short strokes
    huge = [circle(5 * MAX_POINTS)]
    for strokes in (many, huge):
        features = trajectory(strokes)
        assert features.shape == (CHANNELS, POINTS) and np.isfinite(features).all()


def test_augment_keeps_strokes_finite_and_varies_them():
    digit = by_writers([1])[0]
    strokes = [s.astype(float) for s in digit.strokes]
    rng = np.random.default_rng(0)
    variants = [augment(strokes, rng) for _ in range(20)]
    assert all(len(v) == len(strokes) for v in variants)
    assert all(np.isfinite(np.concatenate(v)).all() for v in variants)
    shapes = [trajectory(v)[:2] for v in variants]
    assert np.std([s.ravel() for s in shapes], axis=0).mean() > 0.01


# ----------------------------------------------------------------------------- model file


def test_the_reader_reads_every_drawing_the_canvas_can_produce(small_reader):
    rng = np.random.default_rng(3)
    drawings = {
        "dot": [PenStroke.of([(140, 140)])],
        "two dots": [PenStroke.of([(40, 40)]), PenStroke.of([(200, 220)])],
        "scribble": [PenStroke.of(rng.uniform(0, 280, (3000, 2)))],
        "500 strokes": [PenStroke.of(rng.uniform(0, 280, (int(rng.integers(1, 6)), 2)))
                        for _ in range(500)],
        "erased": [PenStroke.of(circle(60)), PenStroke.of(circle(60), 60, erase=True)],
        "off the canvas": [PenStroke.of([(-500, -500), (900, 900)])],
    }
    image = np.full(10, 0.1)
    for name, strokes in drawings.items():
        probs = small_reader.probabilities(strokes)
        if probs is not None:
            assert probs.shape == (10,) and probs.sum() == pytest.approx(1.0), name
        reading = read_drawing(strokes, image, small_reader)
        assert reading.combined is not None and reading.combined.sum() == pytest.approx(1.0)
    assert read_drawing(drawings["erased"], image, small_reader).reason == ERASED
    assert read_drawing(drawings["dot"], image, small_reader).reason == NO_TRAJECTORY
    assert read_drawing(drawings["scribble"], image, small_reader).source == BOTH


def test_an_image_has_no_strokes_and_is_read_by_the_image_model_alone(small_reader):
    image = np.eye(10)[7]
    for strokes in (None, []):
        reading = read_drawing(strokes, image, small_reader)
        assert reading.source == IMAGE_ALONE and reading.reason == NO_STROKES
        assert reading.strokes is None and reading.digit == 7
    assert read_drawing([PenStroke.of(circle(50))], None, small_reader).combined is None


def test_reading_many_drawings_matches_reading_one(small_reader):
    drawings = [[PenStroke.of(circle(40, r))] for r in (30, 60, 90)] + [[]]
    many = small_reader.probabilities_of_drawings(drawings)
    assert np.isnan(many[-1]).all()
    for row, strokes in zip(many[:-1], drawings[:-1], strict=True):
        assert np.allclose(row, small_reader.probabilities(strokes))


def test_a_stroke_model_is_no_image_model_and_the_other_way_round(small_reader, tmp_path):
    spec = small_reader.info.spec.to_dict()
    with pytest.raises(ModelFileError, match="wrong arch"):
        spec_from_metadata({**spec, "arch": "mlp"}, "f.safetensors")
    with pytest.raises(ModelFileError, match="wrong arch"):
        spec_from_metadata({**spec, "variant": "xavier"}, "f.safetensors")
    image_model = Path(__file__).resolve().parents[1] / "models" / "softmax.safetensors"
    if image_model.is_file():
        with pytest.raises(ModelFileError, match="not a stroke model"):
            StrokeReader.from_file(image_model)


def test_the_image_catalog_never_lists_stroke_models():
    from mnistpad.core.models.registry import scan

    catalog = scan()
    assert all(m.spec.arch != "strokes" for m in catalog.models)
    assert not any("strokes" in problem for problem in catalog.problems)


# ----------------------------------------------------------------------------- combination


def test_combinations_are_probabilities_and_weights_mean_what_they_say():
    rng = np.random.default_rng(0)
    image, strokes = rng.dirichlet(np.ones(10), 50), rng.dirichlet(np.ones(10), 50)
    for rule in ("mean", "log"):
        assert np.allclose(Combination(rule, 0.3).apply(image, strokes).sum(1), 1.0)
        assert np.allclose(Combination(rule, 1.0).apply(image, strokes).argmax(1),
                           image.argmax(1))
        assert np.allclose(Combination(rule, 0.0).apply(image, strokes).argmax(1),
                           strokes.argmax(1))
    with pytest.raises(ValueError):
        Combination("max", 0.5)
    with pytest.raises(ValueError):
        Combination("mean", float("nan"))


def test_the_chosen_combination_is_the_one_with_fewest_errors():
    """Strokes right on the first half, image right on the second; the image unsure when
    wrong: leaning on the image but hearing the strokes reads all."""
    labels = np.arange(40) % 10
    image = np.full((40, 10), 0.01)
    strokes = np.full((40, 10), 0.01)
    image[np.arange(20), (labels[:20] + 1) % 10] = 0.4  # wrong, unsure
    image[np.arange(20), labels[:20]] = 0.3
    image[np.arange(20, 40), labels[20:]] = 0.95  # right, sure
    strokes[np.arange(40), labels] = 0.9
    strokes[np.arange(20, 40), labels[20:]] = 0.2
    strokes[np.arange(20, 40), (labels[20:] + 2) % 10] = 0.7  # wrong
    chosen = choose(image / image.sum(1, keepdims=True), strokes / strokes.sum(1, keepdims=True),
                    labels)
    assert chosen.errors == 0


def test_a_bad_recorded_combination_falls_back_to_the_average():
    for text in (None, "", "[]", '{"rule": "max", "image_weight": 0.5}',
                 '{"rule": "log", "image_weight": 7}', "{" * 10_000):
        assert Combination.from_metadata(text) == Combination()
    recorded = Combination("log", 0.6)
    assert Combination.from_metadata(recorded.to_json()) == recorded


# ----------------------------------------------------------------------------- shipped model


@pytest.mark.skipif(not shipped_stroke_model().is_file(), reason="no shipped stroke model")
def test_the_shipped_reader_reads_the_recorded_mouse_drawings():
    """120 drawings made like a mouse's (dense points, 12 writers' sizes and slants), which
    it never trained on, where it was trained on pen digits sampled every 100 ms."""
    reader = StrokeReader.from_file()
    samples = json.loads(STROKES_JSON.read_text())["samples"]
    probs = reader.probabilities_of_drawings([s["strokes"] for s in samples])
    labels = np.array([int(s["label"]) for s in samples])
    assert (probs.argmax(1) == labels).mean() >= 0.9
    assert Combination.from_metadata(reader.info.metadata.get("combination")) is not None
    assert "combination" in reader.info.metadata


def test_train_strokes_refuses_bad_settings_in_one_line(capsys):
    from mnistpad.cli import main

    assert main(["train", "strokes", "--keep-prob", "0"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "keep_prob" in err


# ----------------------------------------------------------------------------- personalizing


def test_personalizing_learns_a_writers_own_strokes_from_their_samples(small_reader, tmp_path):
    """A writer whose 7 is a loop: the base reader reads a loop as 0; fine-tuned on their
    samples (kept as PNGs with their strokes, as the app keeps them) it reads the held-out
    loop as 7."""
    from mnistpad.core.data.pendigits import to_canvas
    from mnistpad.core.data.samples import list_samples, sample_strokes, save_sample
    from mnistpad.core.personal.strokes import personalize_strokes, save_personal_strokes

    ink = np.zeros((280, 280), np.float32)
    for i in range(8):
        loop = circle(40, 50 + 8 * i, (140 + 3 * i, 140))
        save_sample(7, ink, [PenStroke.of(loop)], root=tmp_path)
    for digit in by_writers([26])[:30]:
        save_sample(digit.label, ink, [PenStroke.of(s) for s in to_canvas(digit)], root=tmp_path)
    save_sample(3, ink, None, root=tmp_path)  # from an image file: no strokes, left out
    samples = list_samples(tmp_path)
    drawings = [sample_strokes(s.path) for s in samples]
    assert drawings.count(None) == 1
    result = personalize_strokes(small_reader, drawings, [s.label for s in samples], steps=40)
    assert sum(result.per_digit) == len(samples) - 1
    assert result.held_out >= 2 and 0 <= result.before <= result.held_out
    loop = [PenStroke.of(circle(40, 70, (150, 140)))]
    assert small_reader.probabilities(loop).argmax() != 7
    saved = save_personal_strokes(result, tmp_path / "strokes-personal.safetensors")
    personal = StrokeReader.from_file(saved)
    assert personal.probabilities(loop).argmax() == 7
    recorded = json.loads(personal.info.metadata["personal"])
    assert recorded["held_out_after"] == result.after and 0 <= result.pen_after <= 1
    assert personal.info.metadata.get("combination") == small_reader.info.metadata.get(
        "combination")


def test_personalizing_without_strokes_says_so(small_reader):
    from mnistpad.core.personal.strokes import personalize_strokes
    from mnistpad.core.platform.errors import MnistpadError

    with pytest.raises(MnistpadError, match="no samples with strokes"):
        personalize_strokes(small_reader, [None, [], [PenStroke.of([(3, 3)])]], [1, 2, 3])


def test_the_cross_validation_summary_is_strict_json():
    from mnistpad.core.strokes.combination import Candidate
    from mnistpad.core.strokes.training import CrossValidation, writer_folds

    folds = writer_folds(range(1, 25), 4)
    assert all(type(w) is int for fold in folds for w in fold)
    labels = np.arange(10)
    cv = CrossValidation(labels, np.eye(10), np.eye(10), folds,
                         Candidate(Combination("log", 0.6), 0, 0.1))
    summary = json.loads(json.dumps(cv.summary(), allow_nan=False))
    assert summary["chosen"] == {"rule": "log", "image_weight": 0.6}
    assert summary["folds"][0] == [1, 2, 3, 4, 5, 6]


def test_train_strokes_saves_a_stroke_model_the_app_reads(capsys, monkeypatch, tmp_path):
    """One epoch, without an image model to choose the combination with (the recorded
    default then says it was not cross-validated); every output line is strict JSON."""
    from mnistpad.cli import main
    from mnistpad.cli import strokes as cli_strokes

    monkeypatch.setattr(cli_strokes, "_image_classifier", lambda: None)
    out_path = tmp_path / "mine"
    assert main(["train", "strokes", "--epochs", "1", "--json", "--out", str(out_path)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["epoch"] == 1 and lines[-1]["saved"].endswith("mine.safetensors")
    reader = StrokeReader.from_file(lines[-1]["saved"])
    assert reader.info.metadata["combination"] == Combination().to_json()
    assert "not cross-validated" in reader.info.metadata["combination_chosen_by"]
    assert 0.5 < float(reader.info.metadata["drawn_accuracy"]) <= 1.0
    assert reader.probabilities([circle(40)]).shape == (10,)


def test_personalizing_the_strokes_twice_gives_the_same_reader(small_reader):
    """Every random draw of a fine-tune comes from its seed, the dropout masks too, and the
    caller's torch generator is left as it was."""
    import copy

    import torch

    from mnistpad.core.data.pendigits import to_canvas
    from mnistpad.core.personal.strokes import Drawings, StrokeTuning
    from mnistpad.core.personal.tuning import fine_tune

    digits = by_writers([26])[:20]
    # point arrays, as personalize_strokes gives; the same digits as the replay
    samples = Drawings([to_canvas(d) for d in digits], np.asarray([d.label for d in digits]))
    tuning = StrokeTuning(samples)
    torch.manual_seed(5)
    expected_next = torch.rand(3)
    torch.manual_seed(5)
    runs = [fine_tune(copy.deepcopy(small_reader.model), tuning, samples, steps=4, seed=3)
            for _ in range(2)]
    assert torch.equal(torch.rand(3), expected_next)
    for a, b in zip(runs[0].state_dict().values(), runs[1].state_dict().values(), strict=True):
        assert torch.equal(a, b)
    other = fine_tune(copy.deepcopy(small_reader.model), tuning, samples, steps=4, seed=4)
    assert any(not torch.equal(a, b) for a, b in zip(
        runs[0].state_dict().values(), other.state_dict().values(), strict=True))
