"""Personalizing the default model teaches both its parts: the image model from the samples'
pictures and the stroke reader from their strokes, saved side by side, read together, with the
held-out figure of the two together; nothing is written when it is cancelled."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mnistpad.core import personal
from mnistpad.core.data.pendigits import by_writers, render, to_canvas
from mnistpad.core.data.samples import save_sample
from mnistpad.core.files.modelfile import read_info
from mnistpad.core.personal import pair as personal_pair
from mnistpad.core.platform.errors import TrainingCancelled
from mnistpad.core.strokes import readers as stroke_readers
from mnistpad.core.strokes.files import personal_stroke_path, stroke_model_for
from mnistpad.core.strokes.reader import StrokeReader
from mnistpad.core.strokes.renderer import PenStroke


@pytest.fixture
def reads_both(monkeypatch):
    """The fixture model (a small xavier net) stands in for the default model: it reads
    the strokes too, as the default does."""
    for module in (personal_pair, stroke_readers):
        monkeypatch.setattr(module, "reads_strokes", lambda info: info is not None)


def writer_samples(writer: int = 26, per_digit: int = 3, without_strokes: int | None = None):
    """A writer's first drawings of each digit as samples are kept: (images, labels,
    drawings); the sample at ``without_strokes`` came from an image file (no strokes)."""
    digits = [d for label in range(10)
              for d in [d for d in by_writers([writer]) if d.label == label][:per_digit]]
    images = np.stack([render(d) for d in digits]).astype(np.float32)
    labels = np.asarray([d.label for d in digits], dtype=np.int64)
    drawings = [[PenStroke.of(s) for s in to_canvas(d)] for d in digits]
    if without_strokes is not None:
        drawings[without_strokes] = None
    return images, labels, drawings


def test_both_parts_learn_and_the_held_out_figure_is_theirs_together(
        reads_both, trained_xavier, small_reader, tmp_path):
    from mnistpad.core.personal.checks import load_base

    images, labels, drawings = writer_samples()
    base = load_base(trained_xavier[1])
    pair = personal.personalize(base, personal.Samples(images, labels, drawings), steps=4,
                                stroke_base=small_reader)
    assert pair.strokes is not None and sum(pair.strokes.per_digit) == len(labels)
    facts = personal.summary(pair)
    combined = facts["strokes"]["combined"]
    assert combined["count"] == facts["held_out"]["count"] == 10
    # "after": the trial fine-tunes' readings of the held-out samples, combined by the stroke
    # reader's own rule (and "before" is checked against the app's reading below)
    from mnistpad.core.strokes.combination import Combination

    rule = Combination.from_metadata(small_reader.info.metadata.get("combination"))
    after = rule.apply(pair.image.held_probs_after, pair.strokes.held_probs_after).argmax(1)
    assert combined["after"] == int((after == labels[pair.image.held_rows]).sum())
    assert not np.array_equal(pair.image.held_probs_after, pair.image.held_probs_before)
    # the same held-out samples, read by each part and combined as the app combines them
    assert np.array_equal(pair.image.held_rows, pair.strokes.held_rows)
    # "before" is what the app reads now: each held-out drawing read as the app reads it
    from mnistpad.core.reading.classify import Classifier
    from mnistpad.core.strokes.combination import read_drawing

    classifier = Classifier.from_file(trained_xavier[1])
    read_now = [read_drawing(drawings[row], classifier.predict(images[row])[1],
                             small_reader).digit for row in pair.image.held_rows]
    assert combined["before"] == int((np.asarray(read_now) == labels[pair.image.held_rows]).sum())

    saved = personal.save(pair, tmp_path / "fixture-xavier-personal.safetensors")
    beside = personal_stroke_path(saved)
    assert beside == tmp_path / "strokes" / saved.name and beside.is_file()
    assert stroke_model_for(read_info(saved)) == beside
    recorded = json.loads(StrokeReader.from_file(beside).info.metadata["personal"])
    assert recorded["image_model"] == saved.name and recorded["base"] == small_reader.name


def test_samples_without_strokes_leave_the_held_out_figure_to_the_picture(
        reads_both, trained_xavier, small_reader, tmp_path):
    from mnistpad.core.personal.checks import load_base

    images, labels, drawings = writer_samples(without_strokes=2)  # the newest 0: held out
    base = load_base(trained_xavier[1])
    pair = personal.personalize(base, personal.Samples(images, labels, drawings), steps=2,
                                stroke_base=small_reader)
    facts = personal.summary(pair)
    assert sum(pair.strokes.per_digit) == len(labels) - 1
    assert facts["strokes"]["combined"] is None  # the parts held out different samples
    assert facts["held_out"]["status"] == "measured"

    none = personal.personalize(base, personal.Samples(images, labels, [None] * len(labels)),
                                steps=2, stroke_base=small_reader)
    assert none.strokes is None and none.strokes_skipped == personal_pair.NO_STROKES
    # an earlier personal stroke reader of the same name never reads with the new model
    out = tmp_path / "fixture-xavier-personal.safetensors"
    personal.save(pair, out)
    assert personal_stroke_path(out).is_file()
    personal.save(none, out)
    assert out.is_file() and not personal_stroke_path(out).exists()
    assert stroke_model_for(read_info(out)) != personal_stroke_path(out)


def test_a_lab_model_is_personalized_from_its_pictures_alone(trained_xavier, tmp_path):
    from mnistpad.core.personal.checks import load_base

    images, labels, drawings = writer_samples(per_digit=2)
    pair = personal.personalize(load_base(trained_xavier[1]),
                                personal.Samples(images, labels, drawings), steps=2)
    assert pair.strokes is None and pair.strokes_skipped == ""
    assert "strokes" not in personal.summary(pair)


def test_cancelling_during_the_strokes_part_writes_nothing(reads_both, trained_xavier,
                                                          small_reader, monkeypatch):
    """The app's job: the image part finishes, the stroke part is cancelled; neither file is
    written, and the stroke reader saved with the earlier personal model stays as it was."""
    from mnistpad.core.platform.paths import user_models_dir
    from mnistpad.ui.samples.panel import personalize_job

    monkeypatch.setattr(StrokeReader, "from_file", classmethod(lambda cls, path=None:
                                                               small_reader))
    images, labels, drawings = writer_samples()
    for image, label, strokes in zip(images, labels, drawings, strict=True):
        save_sample(int(label), np.kron(image, np.ones((10, 10))), strokes)
    out = user_models_dir() / "fixture-xavier-personal.safetensors"
    earlier = personal_stroke_path(out)
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"the earlier personal stroke reader")
    progress = []
    job = personalize_job(trained_xavier[1], out)
    with pytest.raises(TrainingCancelled):
        job(progress.append, lambda: bool(progress) and progress[-1] > 0.7)
    assert progress[-1] > personal_pair.IMAGE_SHARE  # the stroke part had begun
    assert not out.exists()
    assert earlier.read_bytes() == b"the earlier personal stroke reader"


def test_the_app_reads_with_the_personal_stroke_reader_saved_with_the_model(
        reads_both, trained_xavier, small_reader, tmp_path):
    """Personal model -> its own stroke reader; rewritten -> the new one; broken -> the
    default stands in; any other model -> the default."""
    from mnistpad.core.personal.checks import load_base
    from mnistpad.core.strokes.files import default_stroke_model

    images, labels, drawings = writer_samples(per_digit=2)
    base = load_base(trained_xavier[1])
    pair = personal.personalize(base, personal.Samples(images, labels, drawings), steps=2,
                                stroke_base=small_reader)
    saved = personal.save(pair, tmp_path / "fixture-xavier-personal.safetensors")
    readers = stroke_readers.StrokeReaders()
    own = readers.for_model(read_info(saved))
    assert own.info.path == personal_stroke_path(saved)
    assert readers.for_model(base.info).info.path == default_stroke_model()
    assert readers.for_model(read_info(saved)) is own  # loaded once

    again = personal.personalize(base, personal.Samples(images, labels, drawings), steps=3,
                                 stroke_base=small_reader)
    personal.save(again, saved)
    renewed = readers.for_model(read_info(saved))
    assert renewed is not own and json.loads(
        renewed.info.metadata["personal"])["steps"] == 3

    personal_stroke_path(saved).write_bytes(b"not a model")
    assert readers.for_model(read_info(saved)).info.path == default_stroke_model()
    assert readers.for_model(None) is None
    assert readers.for_model(read_info(saved), may_load=False) is not None  # known, fell back


def test_adapt_teaches_both_parts_and_says_so(reads_both, trained_xavier, small_reader,
                                              monkeypatch, tmp_path, cli):
    monkeypatch.setattr(personal, "reads_strokes", lambda info: info is not None)
    monkeypatch.setattr(StrokeReader, "from_file", classmethod(lambda cls, path=None:
                                                               small_reader))
    images, labels, drawings = writer_samples()
    for image, label, strokes in zip(images, labels, drawings, strict=True):
        save_sample(int(label), np.kron(image, np.ones((10, 10))), strokes, root=tmp_path)
    status, out, _ = cli("adapt", trained_xavier[1], "--samples", tmp_path, "--steps", 3,
                         "--json")
    row = json.loads(out)
    assert status == 0 and row["strokes"]["samples"] == len(labels)
    assert row["strokes"]["combined"]["count"] == row["held_out"] == 10
    assert personal_stroke_path(row["saved"]) == Path(row["stroke_reader_saved"])
    assert Path(row["stroke_reader_saved"]).is_file()
    status, out, _ = cli("adapt", trained_xavier[1], "--samples", tmp_path, "--steps", 2,
                         "--replace")
    assert status == 0 and "from the picture and the strokes together" in out
    assert "the stroke reader learned from 30 drawings" in out
