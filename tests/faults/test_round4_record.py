"""Round four, ``eval --record``: figures are recorded only on the bytes that were measured,
and never into a shipped model file.

The measuring of the drawn digits is replaced by a fixed figure (the renderer takes seconds
and is not what is tested); the hostile step (a file replaced while eval runs) is done inside
it, deterministically."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from mnistpad.core.files import figures, measure
from mnistpad.core.files.modelfile import build_metadata, read_info
from mnistpad.core.models.variants import build_model, lab_spec

from .conftest import one_line_error

DRAWN = figures.Figure.of(0.5, 1498, figures.DRAWN_WRITERS)


def model_file(path: Path, variant: str, seed: int = 0) -> Path:
    """A real (untrained) model file of ``variant`` named after the file."""
    spec = lab_spec(variant)
    torch.manual_seed(seed)
    state = build_model(spec).state_dict()
    save_file({k: v.contiguous() for k, v in state.items()}, path,
              metadata=build_metadata(path.stem, spec))
    return path


def replaced_by(path: Path, source: Path) -> None:
    """What a user's ``cp other.safetensors path`` (a new file renamed over it) does."""
    staged = path.with_name(".staged")
    shutil.copyfile(source, staged)
    os.replace(staged, path)


@pytest.fixture
def drawn_replacing(monkeypatch):
    """``drawn_replacing(path, source)``: the drawn figure's measuring replaces ``path`` with
    a copy of ``source`` (in place when ``in_place``) and returns a fixed figure."""

    def install(path: Path, source: Path, in_place: bool = False) -> None:
        def drawn_figure(model, spec, should_stop=None):
            if in_place:
                path.write_bytes(source.read_bytes())
            else:
                replaced_by(path, source)
            return DRAWN

        monkeypatch.setattr(measure, "drawn_figure", drawn_figure)

    return install


@pytest.mark.parametrize("in_place", [False, True], ids=["renamed-over", "rewritten-in-place"])
def test_a_file_replaced_while_eval_runs_does_not_get_the_measured_figures(
        mnistpad_main, mnist_dir, tmp_path, drawn_replacing, in_place):
    softmax = model_file(tmp_path / "soft.safetensors", "softmax")
    xavier = model_file(tmp_path / "xav.safetensors", "xavier", seed=1)
    xavier_bytes = xavier.read_bytes()
    drawn_replacing(softmax, xavier, in_place)
    proc = mnistpad_main("eval", softmax, "--data", mnist_dir, "--record", "--json")
    one_line_error(proc, str(softmax), "changed while it was measured", "not recorded")
    assert softmax.read_bytes() == xavier_bytes  # xavier's file, without softmax's figures


def test_a_replacement_between_the_check_and_the_write_cannot_slip_through(
        mnistpad_main, mnist_dir, tmp_path, monkeypatch):
    """The content check passes; the file is replaced just after it, before the new file is
    renamed into place: refused, and the replacement is kept as it is."""
    softmax = model_file(tmp_path / "soft.safetensors", "softmax")
    xavier = model_file(tmp_path / "xav.safetensors", "xavier", seed=1)
    xavier_bytes = xavier.read_bytes()
    monkeypatch.setattr(measure, "drawn_figure", lambda model, spec, should_stop=None: DRAWN)
    real = getattr(measure, "same_model", None)

    def same_then_replaced(*args):
        same = real(*args)
        replaced_by(softmax, xavier)
        return same

    monkeypatch.setattr(measure, "same_model", same_then_replaced, raising=False)
    proc = mnistpad_main("eval", softmax, "--data", mnist_dir, "--record", "--json")
    one_line_error(proc, "changed while it was measured")
    assert softmax.read_bytes() == xavier_bytes


def test_eval_record_records_the_measured_figures_on_an_unchanged_file(
        mnistpad_main, mnist_dir, tmp_path, monkeypatch):
    softmax = model_file(tmp_path / "soft.safetensors", "softmax")
    before = read_info(softmax)
    monkeypatch.setattr(measure, "drawn_figure", lambda model, spec, should_stop=None: DRAWN)
    proc = mnistpad_main("eval", softmax, "--data", mnist_dir, "--record", "--json")
    assert proc.returncode == 0, proc.stderr
    after = read_info(softmax)
    assert after.measurement.drawn == DRAWN and after.measurement.mnist.count == 500
    recorded = set(after.measurement.metadata())  # the measurement and its bare figures
    assert {k: v for k, v in after.metadata.items() if k not in recorded} == {
        k: v for k, v in before.metadata.items() if k not in recorded}


@pytest.fixture
def shipped(tmp_path, monkeypatch) -> Path:
    """A shipped models folder holding a copy of the real shipped softmax (the real folder is
    never at risk, whatever the code under test does)."""
    from mnistpad.core.platform.paths import shipped_models_dir

    real = shipped_models_dir() / "softmax.safetensors"
    folder = tmp_path / "shipped"
    folder.mkdir()
    if real.is_file():
        shutil.copyfile(real, folder / "softmax.safetensors")
    else:
        model_file(folder / "softmax.safetensors", "softmax")
    monkeypatch.setenv("MNISTPAD_SHIPPED_MODELS", str(folder))
    monkeypatch.setattr(measure, "drawn_figure", lambda model, spec, should_stop=None: DRAWN)
    return folder


@pytest.mark.parametrize("by", ["name", "path"])
def test_eval_record_never_rewrites_a_shipped_model(mnistpad_main, mnist_dir, shipped, by):
    file = shipped / "softmax.safetensors"
    original = file.read_bytes()
    proc = mnistpad_main("eval", "softmax" if by == "name" else file, "--data", mnist_dir,
                         "--record")
    one_line_error(proc, "shipped", "never")
    assert proc.stdout == ""  # refused before anything was measured
    assert file.read_bytes() == original


def test_eval_all_record_measures_the_shipped_models_but_records_only_the_users(
        mnistpad_main, mnist_dir, shipped):
    from mnistpad.core.platform.paths import user_models_dir

    file = shipped / "softmax.safetensors"
    original = file.read_bytes()
    user_models_dir().mkdir(parents=True, exist_ok=True)
    own = model_file(user_models_dir() / "mine.safetensors", "softmax", seed=2)
    proc = mnistpad_main("eval", "--all", "--data", mnist_dir, "--record", "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("\n") == 2  # both measured
    assert "shipped" in proc.stderr and "Traceback" not in proc.stderr
    assert file.read_bytes() == original
    assert read_info(own).measurement.drawn == DRAWN


def test_recording_refuses_a_shipped_file_even_when_asked_directly(shipped):
    from mnistpad.core.files.modelfile import load_model
    from mnistpad.core.platform.errors import MnistpadError

    file = shipped / "softmax.safetensors"
    original = file.read_bytes()
    measured = load_model(file)
    with pytest.raises(MnistpadError, match="shipped"):
        measure.record(measured, figures.Measurement(None, DRAWN, figures.BY_EVAL))
    assert file.read_bytes() == original
