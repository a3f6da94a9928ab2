"""The committed pen-drawn digits, the writer split, and the drawn variant's training data."""

from __future__ import annotations

import collections
import dataclasses

import numpy as np
import pytest

import mnistpad.core.data.pendigits as pendigits
from mnistpad.core.files.modelfile import read_info, save_result
from mnistpad.core.models.variants import lab_spec
from mnistpad.core.platform.errors import DataError
from mnistpad.core.training.train import train, training_split

# Digits per writer in the committed file (the data set's documentation: 7,494 digits of
# 30 writers, about 250 each).
SHORT_WRITERS = {1: 249, 17: 247, 27: 249, 30: 249}


def test_the_file_parses_into_the_stated_counts_per_writer():
    digits = pendigits.load_pendigits()
    assert len(digits) == 7_494
    per_writer = collections.Counter(d.writer for d in digits)
    assert per_writer == {w: SHORT_WRITERS.get(w, 250) for w in range(1, 31)}
    assert collections.Counter(d.label for d in digits).keys() == set(range(10))
    for digit in digits[:50]:
        assert digit.strokes and all(s.ndim == 2 and s.shape[1] == 2 for s in digit.strokes)


def test_the_split_is_by_writer():
    assert set(pendigits.TRAINING_WRITERS) == set(range(1, 25))
    assert set(pendigits.DEVELOPMENT_WRITERS) == set(range(25, 31))
    training = pendigits.by_writers(pendigits.TRAINING_WRITERS)
    development = pendigits.by_writers(pendigits.DEVELOPMENT_WRITERS)
    assert len(training) == 5_996 and len(development) == 1_498
    assert {d.writer for d in training}.isdisjoint({d.writer for d in development})


def test_no_development_writer_reaches_a_training_set(monkeypatch, mnist):
    """Every pen digit that the drawn variant trains on is drawn from a training writer,
    and all of the training writers' digits are used."""
    seen = []

    def recording(digits, copies, seed):
        digits = list(digits)
        seen.extend(digits)
        return (np.zeros((len(digits) * copies, 28, 28), np.float32),
                np.zeros(len(digits) * copies, np.int64))

    monkeypatch.setattr(pendigits, "augmented_copies", recording)
    split, described = training_split(lab_spec("drawn"), mnist, seed=1)
    assert {d.writer for d in seen} == set(pendigits.TRAINING_WRITERS)
    assert len(seen) == 5_996
    assert len(split) == len(mnist.train) + 5_996 * lab_spec("drawn").pen_copies
    assert "writers 1-24" in described
    # the lecture's variants train on MNIST alone
    alone, words = training_split(lab_spec("xavier"), mnist, seed=1)
    assert alone is mnist.train and "pen" not in words


def test_rendered_digits_look_like_mnist_digits():
    digits = pendigits.by_writers([25])[:40]
    images, labels = pendigits.render_set(digits)
    assert images.shape == (40, 28, 28) and list(labels) == [d.label for d in digits]
    assert 0.08 < images.mean() < 0.2  # MNIST's mean ink is 0.13
    copies, copy_labels = pendigits.augmented_copies(digits[:5], 3, seed=0)
    assert copies.shape == (15, 28, 28) and list(copy_labels) == [
        d.label for d in digits[:5] for _ in range(3)]
    assert not np.allclose(copies[0], copies[1])  # each copy drawn its own way
    again, _ = pendigits.augmented_copies(digits[:5], 3, seed=0)
    np.testing.assert_array_equal(copies, again)  # and reproducibly from the seed


def test_the_three_sizes_read_alike():
    digit = pendigits.by_writers([26])[0]
    full = pendigits.render(digit, pendigits.SIZES["full"])
    third = pendigits.render(digit, pendigits.SIZES["third"])
    assert np.abs(full - third).mean() < 0.01


@pytest.mark.parametrize(("text", "problem"), [
    (".SEGMENT DIGIT 0 ? \"1\"\n.COMMENT 1 3 1\n.PEN_DOWN\n 10 x\n.PEN_UP\n", "line 4"),
    (".SEGMENT DIGIT 0 ? \"1\"\n.COMMENT 1 31 1\n", "out of range"),
    (".SEGMENT DIGIT 0 ? \"1\"\n.COMMENT 1 3 1\n", "without strokes"),
])
def test_a_damaged_file_is_refused_with_the_line(text, problem):
    with pytest.raises(DataError, match=problem):
        pendigits.parse_unipen(text, "pen.unipen")


@pytest.fixture
def small_pen_set(monkeypatch):
    """A slice of the pen digits (two training writers, one development writer), so that
    training on them takes seconds."""
    digits = [d for w in (1, 2, 25) for d in pendigits.by_writers([w])[:60]]
    monkeypatch.setattr(pendigits, "load_pendigits", lambda *a: tuple(digits))
    pendigits.development_split.cache_clear()
    yield digits
    pendigits.development_split.cache_clear()


@pytest.mark.slow
def test_the_drawn_variant_trains_and_names_its_training_data(small_pen_set, mnist, subset,
                                                               tmp_path):
    data = subset(mnist, 400, 200)
    spec = dataclasses.replace(lab_spec("drawn"), epochs=1)
    result = train(spec, data, seed=3, device="cpu")
    assert len(result.cost_history) == 1 and np.isfinite(result.cost_history[0])
    assert result.drawn_accuracy is not None and 0 <= result.drawn_accuracy <= 1
    assert result.training_data == (
        "MNIST training set (400 digits) + pen-drawn digits of writers 1-24 (120 digits, "
        "each drawn 4 times on the canvas)")
    path = save_result(tmp_path / "drawn.safetensors", result)
    info = read_info(path)
    assert info.training_data == result.training_data
    assert info.drawn_accuracy == pytest.approx(result.drawn_accuracy, abs=1e-6)
    assert info.spec.pen_copies == 4
