"""Fixtures shared by every test: an isolated user folder, the committed MNIST fixture
(2,000 train / 500 test real digits in IDX format), and small helpers to train on it fast."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from mnistpad.core.data.mnist import Mnist, Split

# One thread: the suite's batches are tiny, and on a busy two-core machine OpenMP threads
# that spin-wait for each other made a one-epoch run up to 60 times slower than one thread.
torch.set_num_threads(1)

TESTS_DIR = Path(__file__).resolve().parent
MNIST_DIR = TESTS_DIR / "data" / "mnist"


@pytest.fixture(autouse=True)
def one_gui_thread(monkeypatch):
    """The window's GUI thread keeps one torch thread in the suite too, even with no job
    running (the app gives it two then): the suite's own thread stays on one."""
    from mnistpad.ui.shell import runtime

    monkeypatch.setattr(runtime, "IDLE_GUI_THREADS", 1)


@pytest.fixture(autouse=True)
def mnistpad_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own empty user folder; none touches the real one or a data
    folder set in the developer's environment."""
    home = tmp_path_factory.mktemp("mnistpad-home")
    monkeypatch.setenv("MNISTPAD_HOME", str(home))
    monkeypatch.delenv("MNISTPAD_DATA", raising=False)
    return home


@pytest.fixture
def detached_log():
    """The logger is process-wide: leave no handler on a test's folder behind (for the tests
    that set the log up)."""
    import logging

    yield
    logger = logging.getLogger("mnistpad")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The committed fixture folder (holds MNIST/raw/), cut by tests/data/cut_mnist_fixture.py."""
    return MNIST_DIR


@pytest.fixture(scope="session")
def mnist(mnist_dir) -> Mnist:
    """The fixture loaded once through mnistpad's real loading path."""
    from mnistpad.core.data.mnist import load_mnist

    return load_mnist(mnist_dir)


def _subset(data: Mnist, train: int, test: int | None = None) -> Mnist:
    test = len(data.test) if test is None else test
    return Mnist(
        Split(data.train.images[:train], data.train.labels[:train]),
        Split(data.test.images[:test], data.test.labels[:test]),
        data.root,
    )


@pytest.fixture(scope="session")
def subset():
    """``subset(data, train, test=None)``: the first ``train`` training and ``test`` test
    digits of ``data``, for fast runs (the fixture's order is shuffled, so every prefix
    holds all ten digits)."""
    return _subset


@pytest.fixture(scope="session")
def trained_xavier(mnist, tmp_path_factory):
    """A xavier model trained on the whole fixture for a few epochs and saved once:
    (TrainResult, path of its model file)."""
    from mnistpad.core.files.modelfile import save_result
    from mnistpad.core.models.variants import lab_spec
    from mnistpad.core.training.train import train

    result = train(lab_spec("xavier").with_overrides(epochs=4), mnist, device="cpu")
    path = tmp_path_factory.mktemp("trained") / "fixture-xavier.safetensors"
    save_result(path, result)
    return result, path


@pytest.fixture
def cli(capsys):
    """``cli(*argv)``: ``mnistpad ARGV`` run in-process, as (exit status, stdout, stderr);
    argparse's own exits included, and a traceback on stderr fails the test."""
    from mnistpad.cli import main

    def run(*argv) -> tuple[int, str, str]:
        try:
            status = main([str(a) for a in argv])
        except SystemExit as exc:
            status = exc.code
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return status, out, err

    return run


@pytest.fixture(scope="session")
def small_reader(tmp_path_factory):
    """A stroke reader trained for one epoch on two writers, saved and loaded back."""
    import dataclasses

    from mnistpad.core.data.pendigits import by_writers
    from mnistpad.core.files.modelfile import save_result
    from mnistpad.core.models.specs import STROKE_VARIANTS
    from mnistpad.core.strokes.reader import StrokeReader
    from mnistpad.core.strokes.training import train_stroke_reader

    spec = dataclasses.replace(STROKE_VARIANTS["strokes"], epochs=1)
    result = train_stroke_reader(spec, by_writers([1, 2]), seed=1, measure=by_writers([25]))
    # seeded: 52% of writer 25's digits; chance is 10%: it learned from the strokes
    assert result.drawn_accuracy > 0.3
    path = tmp_path_factory.mktemp("strokes") / "strokes.safetensors"
    save_result(path, result, name="strokes")
    return StrokeReader.from_file(path)
