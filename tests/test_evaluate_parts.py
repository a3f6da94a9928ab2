"""The default model evaluated as the app reads a drawing: the picture and the strokes
combined (mnistpad.core.evaluation.parts through the EvaluationCache), checked against
read_drawing drawing by drawing, with the cache keyed by the stroke model's content."""

from __future__ import annotations

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

from mnistpad.core.data import pendigits
from mnistpad.core.evaluation.evaluate import DataSet, EvaluationCache, find_source, load_data_set
from mnistpad.core.evaluation.parts import combined
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.classify import Classifier
from mnistpad.core.strokes.combination import Combination, read_drawing
from mnistpad.core.strokes.reader import StrokeReader, shipped_stroke_model

XAVIER = shipped_models_dir() / "xavier.safetensors"

pytestmark = pytest.mark.skipif(not shipped_stroke_model().is_file(),
                                reason="no shipped stroke model")


@pytest.fixture(scope="module")
def writers_slice() -> DataSet:
    """The first 80 digits of writer 25, their pictures and their strokes, as the writers'
    data set draws them."""
    digits = pendigits.by_writers([25])[:80]
    images, labels = pendigits.render_set(digits)
    strokes = [pendigits.to_canvas(d) for d in digits]
    return DataSet.of("writers-slice", images, labels, strokes=strokes)


def stroke_model_with(tmp_path, combination: Combination):
    """A copy of the shipped stroke model whose file records another combination."""
    path = tmp_path / f"strokes-{combination.rule}-{combination.image_weight}.safetensors"
    with safe_open(shipped_stroke_model(), "np") as handle:
        metadata = dict(handle.metadata())
    metadata["combination"] = combination.to_json()
    save_file(load_file(shipped_stroke_model()), path, metadata=metadata)
    return StrokeReader.from_file(path)


def test_each_drawing_is_combined_as_read_drawing_combines_it(writers_slice, tmp_path):
    reader = StrokeReader.from_file()
    cache = EvaluationCache(tmp_path / "cache")
    ev = cache.evaluation(XAVIER, writers_slice, Classifier.from_file, stroke_reader=reader)
    parts = ev.parts
    assert parts is not None and parts.picture.parts is None
    assert parts.combination == Combination.from_metadata(
        reader.info.metadata["combination"])
    for i in range(len(writers_slice)):
        expected = read_drawing(writers_slice.strokes[i], parts.picture.probabilities[i],
                                reader)
        assert np.abs(ev.probabilities[i] - expected.combined).max() < 1e-6
        assert np.abs(parts.strokes[i] - expected.strokes).max() < 1e-6
    labels = writers_slice.labels
    assert parts.picture_accuracy == (parts.picture.predictions == labels).mean()
    assert parts.strokes_accuracy == (parts.strokes.argmax(1) == labels).mean()
    assert ev.accuracy == (ev.probabilities.argmax(1) == labels).mean()


def test_a_drawing_without_a_trajectory_is_read_by_its_picture_alone():
    picture = np.full((2, 10), 0.05)
    picture[:, 3] = 0.55
    strokes = np.full((2, 10), np.nan)
    strokes[0] = np.eye(10)[7]
    out = combined(picture, strokes, Combination("mean", 0.4))
    assert out[0].argmax() == 7 and np.allclose(out[1], picture[1])


def test_the_cache_keys_a_combined_evaluation_by_the_stroke_model_too(writers_slice,
                                                                     tmp_path):
    cache = EvaluationCache(tmp_path / "cache")
    mostly_strokes = stroke_model_with(tmp_path, Combination("mean", 0.1))
    mostly_picture = stroke_model_with(tmp_path, Combination("mean", 0.9))
    first = cache.evaluation(XAVIER, writers_slice, Classifier.from_file,
                             stroke_reader=mostly_strokes)
    second = cache.evaluation(XAVIER, writers_slice, Classifier.from_file,
                              stroke_reader=mostly_picture)
    assert first is not second
    assert first.parts.combination.image_weight == 0.1
    assert second.parts.combination.image_weight == 0.9
    assert not np.array_equal(first.probabilities, second.probabilities)
    assert cache.peek(XAVIER, writers_slice, mostly_strokes) is first
    assert cache.peek(XAVIER, writers_slice, mostly_picture) is second
    # the picture alone is its own entry: the image model's, shared by both
    assert cache.peek(XAVIER, writers_slice) is first.parts.picture is second.parts.picture
    # the stroke model's file rewritten with other content: its old entry is not served
    with safe_open(mostly_strokes.info.path, "np") as handle:
        metadata = dict(handle.metadata())
    metadata["combination"] = Combination("log", 0.5).to_json()
    save_file(load_file(mostly_strokes.info.path), mostly_strokes.info.path, metadata=metadata)
    assert cache.peek(XAVIER, writers_slice, mostly_strokes) is None


def test_a_data_set_of_pictures_alone_is_evaluated_from_the_pictures(tmp_path, mnist_dir):
    cache = EvaluationCache(tmp_path / "cache")
    data = load_data_set(find_source("mnist-test"), mnist_dir)
    assert data.strokes is None
    ev = cache.evaluation(XAVIER, data, Classifier.from_file,
                          stroke_reader=StrokeReader.from_file())
    assert ev.parts is None and cache.peek(XAVIER, data) is ev


def test_the_writers_data_set_carries_the_strokes_its_pictures_were_drawn_from(tmp_path):
    data = load_data_set(find_source("writers"), tmp_path)
    assert data.strokes is not None and len(data.strokes) == len(data) == 1_498
    digits = pendigits.by_writers(pendigits.DEVELOPMENT_WRITERS)
    for i in (0, 700, 1_497):
        assert np.array_equal(pendigits.render(digits[i]), data.images[i])
        assert all(np.array_equal(a, b) for a, b in zip(
            data.strokes[i], pendigits.to_canvas(digits[i]), strict=True))


def test_strokes_that_do_not_line_up_with_the_pictures_are_not_read(tmp_path):
    from dataclasses import replace

    source = find_source("writers")
    shifted = replace(source, strokes=lambda d: (lambda s, labels: (s[1:] + s[:1], np.roll(
        labels, -1)))(*source.strokes(d)))
    assert load_data_set(shifted, tmp_path).strokes is None


def test_a_data_set_hashed_by_its_arrays_is_hashed_with_its_strokes(writers_slice):
    images, labels = writers_slice.images, writers_slice.labels
    strokes = list(writers_slice.strokes)
    same = DataSet.of("x", images, labels, strokes=strokes)
    moved = DataSet.of("x", images, labels, strokes=[[s + 1 for s in d] for d in strokes])
    alone = DataSet.of("x", images, labels)
    assert same.digest == DataSet.of("x", images, labels, strokes=strokes).digest
    assert len({same.digest, moved.digest, alone.digest}) == 3


def test_own_samples_bring_their_strokes_and_an_erased_one_brings_none(tmp_path):
    from mnistpad.core.data.samples import save_sample
    from mnistpad.core.strokes.renderer import PenStroke, render_strokes

    line = [PenStroke.of([[140, 40], [140, 240]], 18.0)]
    erased = [*line, PenStroke.of([[140, 40], [140, 90]], 30.0, erase=True)]
    save_sample(1, render_strokes(line), line)
    save_sample(7, render_strokes(erased), erased)
    save_sample(4, render_strokes(line))  # a sample saved without its strokes
    data = load_data_set(find_source("my-samples"), tmp_path)
    by_label = dict(zip(data.labels.tolist(), data.strokes, strict=True))
    assert [len(by_label[d]) for d in (1, 4, 7)] == [1, 0, 0]
    assert np.array_equal(by_label[1][0], line[0].points)


def test_mnistpad_eval_gives_the_default_its_reading_with_the_strokes(cli, mnist_dir,
                                                                        monkeypatch, tmp_path):
    """`mnistpad eval` on a model that reads strokes says its combined figure on the writers,
    the same as the Evaluate tab's path computes; a lab model gets none."""
    import json

    from mnistpad.core.strokes import files as stroke_files

    status, out, _ = cli("eval", XAVIER, "--json", "--data", mnist_dir)
    assert status == 0 and "drawn_with_strokes_acc" not in json.loads(out)
    monkeypatch.setattr(stroke_files, "reads_strokes", lambda info: info is not None)
    status, out, _ = cli("eval", XAVIER, "--json", "--data", mnist_dir)
    row = json.loads(out)
    reader = StrokeReader.from_file()
    ev = EvaluationCache(tmp_path / "cache").evaluation(
        XAVIER, load_data_set(find_source("writers"), tmp_path), Classifier.from_file,
        stroke_reader=reader)
    assert status == 0 and row["stroke_model"] == reader.info.path.name
    assert row["drawn_with_strokes_acc"] == pytest.approx(ev.accuracy)
    assert row["drawn_strokes_alone_acc"] == pytest.approx(ev.parts.strokes_accuracy)
    assert row["drawn_picture_acc"] == pytest.approx(ev.parts.picture_accuracy)
    assert row["drawn_acc"] == pytest.approx(ev.accuracy)  # the headline: as the app reads
