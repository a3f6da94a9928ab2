"""Round four, the personal pair: the image model and the stroke reader personalized with it
are read together only when they were saved together, whatever crossed or cut their saving,
and two runs never both save under one name.

Two personalizations of the fixture model (both parts, 2 and 3 steps: their files say which)
are made once; the saves are real. A kill -9 is simulated by a rename that raises an
exception nothing catches; crossed saves by putting one run's image model back over the
other's."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import numpy as np
import pytest

from mnistpad.core import personal
from mnistpad.core.data.pendigits import by_writers, render, to_canvas
from mnistpad.core.files.modelfile import read_info
from mnistpad.core.personal import pair as personal_pair
from mnistpad.core.strokes import files as stroke_files
from mnistpad.core.strokes import readers as stroke_readers
from mnistpad.core.strokes.files import default_stroke_model, personal_stroke_path, stroke_model_for
from mnistpad.core.strokes.reader import StrokeReader
from mnistpad.core.strokes.renderer import PenStroke

from .conftest import one_line_error


class Killed(BaseException):
    """The process died here: nothing after it runs, nothing catches it."""


def writer_samples(writer: int = 26, per_digit: int = 2):
    digits = [d for label in range(10)
              for d in [d for d in by_writers([writer]) if d.label == label][:per_digit]]
    images = np.stack([render(d) for d in digits]).astype(np.float32)
    labels = np.asarray([d.label for d in digits], dtype=np.int64)
    return images, labels, [[PenStroke.of(s) for s in to_canvas(d)] for d in digits]


@pytest.fixture(scope="module")
def two_pairs(trained_xavier, small_reader, tmp_path_factory):
    """(A, B): the fixture model personalized twice, both parts (2 and 3 steps)."""
    from mnistpad.core.personal.checks import load_base

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MNISTPAD_HOME", str(tmp_path_factory.mktemp("pair-home")))
        mp.setattr(personal_pair, "reads_strokes", lambda info: info is not None)
        images, labels, drawings = writer_samples()
        base = load_base(trained_xavier[1])
        return tuple(personal.personalize(base, personal.Samples(images, labels, drawings),
                                          steps=steps, stroke_base=small_reader)
                     for steps in (2, 3))


@pytest.fixture
def reads_both(monkeypatch):
    """The fixture model stands in for the default model: it reads the strokes too."""
    monkeypatch.setattr(stroke_readers, "reads_strokes", lambda info: info is not None)


def steps_of(metadata: dict) -> int:
    return json.loads(metadata["personal"])["steps"]


def assert_read_together_only_if_saved_together(out: Path) -> Path:
    """The stroke reader the app reads ``out`` with is the one saved with it (the same run:
    the same steps), or the default one; returns it."""
    image = read_info(out)
    chosen = stroke_model_for(image)
    used = stroke_readers.StrokeReaders().for_model(image).info.path
    assert used == chosen
    if chosen != default_stroke_model():
        assert chosen == personal_stroke_path(out)
        assert steps_of(StrokeReader.from_file(chosen).info.metadata) == steps_of(image.metadata)
    return chosen


@pytest.mark.parametrize("dies_at", [1, 2, 3])
def test_a_save_killed_at_any_rename_never_reads_old_with_new(
        two_pairs, reads_both, tmp_path, dies_at):
    a, b = two_pairs
    out = tmp_path / "fixture-xavier-personal.safetensors"
    personal.save(a, out)
    assert assert_read_together_only_if_saved_together(out) == personal_stroke_path(out)
    real, renames = os.replace, []

    def replace(src, dst):
        renames.append(dst)
        if len(renames) == dies_at:
            raise Killed
        real(src, dst)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "replace", replace)
        with contextlib.suppress(Killed):
            personal.save(b, out)
    assert len(renames) >= dies_at or dies_at == 3  # it died where it was meant to
    assert_read_together_only_if_saved_together(out)


def test_crossed_saves_are_detected_and_the_stroke_reader_not_used(
        two_pairs, reads_both, tmp_path, monkeypatch):
    """Two runs into one folder, interleaved: A's image model renamed last, beside B's
    stroke reader (what two ``adapt drawn --replace`` could leave before this round)."""
    a, b = two_pairs
    out = tmp_path / "fixture-xavier-personal.safetensors"
    personal.save(a, out)
    image_a = out.read_bytes()
    personal.save(b, out)
    assert assert_read_together_only_if_saved_together(out) == personal_stroke_path(out)
    out.write_bytes(image_a)
    logged = []
    monkeypatch.setattr(stroke_files.log, "warning", lambda text, *args: logged.append(
        text % args))
    assert assert_read_together_only_if_saved_together(out) == default_stroke_model()
    message = stroke_files.pair_problem(read_info(out))
    assert logged == [message]  # said once, however often it is asked
    assert str(personal_stroke_path(out)) in message and "saved with" in message
    assert "\n" not in message


def test_a_personal_stroke_reader_left_beside_a_model_saved_without_one_is_not_used(
        two_pairs, reads_both, tmp_path):
    from mnistpad.core.personal.image import save_personal

    a, _ = two_pairs
    out = tmp_path / "fixture-xavier-personal.safetensors"
    personal.save(a, out)
    save_personal(a.image, out)  # the image model alone: it has no stroke reader of its own
    assert stroke_model_for(read_info(out)) == default_stroke_model()


def test_both_files_are_written_under_the_folders_lock(two_pairs, tmp_path, monkeypatch):
    import fcntl

    from mnistpad.core.personal import image as personal_image
    from mnistpad.core.personal import strokes as personal_strokes

    a, _ = two_pairs
    out = tmp_path / "fixture-xavier-personal.safetensors"
    held = []

    def lock_is_held() -> bool:
        fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)  # the folder is the lock
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    def checking(real):
        def save_model(*args, **kwargs):
            held.append(lock_is_held())
            return real(*args, **kwargs)

        return save_model

    for module in (personal_strokes, personal_image):  # the stroke reader's save, the image model's
        monkeypatch.setattr(module, "save_model", checking(module.save_model))
    personal.save(a, out)
    assert held == [True, True]
    assert not lock_is_held()


def test_saving_without_replace_refuses_a_file_that_appeared_meanwhile(two_pairs, tmp_path):
    from mnistpad.core.platform.errors import MnistpadError

    a, _ = two_pairs
    out = tmp_path / "fixture-xavier-personal.safetensors"
    out.write_bytes(b"the other run's model")
    with pytest.raises(MnistpadError, match="exists"):
        personal.save(a, out, replace=False)
    assert out.read_bytes() == b"the other run's model"
    assert not personal_stroke_path(out).exists()


def test_two_adapts_without_replace_do_not_both_say_saved(
        mnistpad_main, trained_xavier, tmp_path, monkeypatch):
    """The second run checked the name while it was free; the first saved while the second
    was fine-tuning: the second refuses in one line instead of writing over it."""
    from mnistpad.core.data.samples import save_sample

    images, labels, _ = writer_samples()
    for image, label in zip(images, labels, strict=True):
        save_sample(int(label), np.kron(image, np.ones((10, 10))), root=tmp_path / "samples")
    out = tmp_path / "mine.safetensors"
    real = personal.personalize

    def meanwhile(*args, **kwargs):
        pair = real(*args, **kwargs)
        out.write_bytes(b"the first run's model")  # the first run saved meanwhile
        return pair

    monkeypatch.setattr(personal, "personalize", meanwhile)  # the command's entry point
    proc = mnistpad_main("adapt", trained_xavier[1], "--samples", tmp_path / "samples",
                         "--steps", 2, "--out", out)
    one_line_error(proc, str(out), "exists", "--replace")
    assert "Saved" not in proc.stdout
    assert out.read_bytes() == b"the first run's model"


@pytest.mark.parametrize("replace", [False, True])
def test_the_windows_personalizing_replaces_only_what_the_user_agreed_to(
        two_pairs, trained_xavier, mnistpad_home, monkeypatch, replace):
    """The Samples tab asked nothing (no file yet), then another run saved under the name
    while this one fine-tuned: its job refuses instead of writing over it; with the user's
    yes to replacing, it replaces."""
    from mnistpad.core.data.samples import save_sample
    from mnistpad.core.platform.errors import MnistpadError
    from mnistpad.core.platform.paths import user_models_dir
    from mnistpad.ui.samples.panel import personalize_job

    images, labels, _ = writer_samples()  # the samples two_pairs was personalized on
    for image, label in zip(images, labels, strict=True):
        save_sample(int(label), np.kron(image, np.ones((10, 10))))
    out = user_models_dir() / "fixture-xavier-personal.safetensors"
    out.parent.mkdir(parents=True, exist_ok=True)

    def meanwhile(*args, **kwargs):
        out.write_bytes(b"the other run's model")
        return two_pairs[0]

    monkeypatch.setattr(personal, "personalize", meanwhile)  # the package's entry point
    job = personalize_job(trained_xavier[1], out, replace=replace)
    if replace:
        job(lambda _: None, lambda: False)
        assert steps_of(read_info(out).metadata) == 2  # the pair of this run, replacing
    else:
        with pytest.raises(MnistpadError, match="exists"):
            job(lambda _: None, lambda: False)
        assert out.read_bytes() == b"the other run's model"
