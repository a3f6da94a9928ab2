"""Faults 10-13 and seeded runs: every training knob is checked against a range that trains,
a cost that explodes stops the run, Ctrl+C is answered from the start, and a seed gives the
same run whatever another thread does meanwhile."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest
import torch

from mnistpad.cli import main
from mnistpad.core.models.variants import build_model, lab_spec
from mnistpad.core.platform.errors import TrainingDiverged
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.classify import Classifier
from mnistpad.core.training.train import train

from .conftest import PROJECT_ROOT, child_env


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        status = main([str(a) for a in argv])
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def user_files(home) -> list[str]:
    folder = home / "models"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


# ----------------------------------------------------------------- 10, 11: knobs and explosions


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [("--lr", "1e6", "learning rate must be at most 10"),
     ("--lr", "inf", "learning rate must be a positive number"),
     ("--keep-prob", "1e-300", "keep_prob must be from 0.05 to 1"),
     ("--keep-prob", "nan", "keep_prob must be from 0.05 to 1"),
     ("--keep-prob", "1.5", "keep_prob must be from 0.05 to 1"),
     ("--epochs", "0", "epochs must be from 1 to 1000"),
     ("--epochs", "10000000", "epochs must be from 1 to 1000"),
     ("--batch-size", "0", "batch size must be from 1 to 10,000"),
     ("--batch-size", "1000000000", "batch size must be from 1 to 10,000")],
)
def test_10_11_every_knob_is_checked_before_anything_runs(flag, value, message, capsys,
                                                          mnist_dir, mnistpad_home):
    status, out, err = run(capsys, "train", "dropout", "--data", mnist_dir, f"{flag}={value}")
    assert status == 1 and out == ""
    assert err.strip() == f"mnistpad: error: {message}"
    assert user_files(mnistpad_home) == []


@pytest.mark.parametrize("optimizer", ["adam", "rmsprop", "momentum"])
def test_10_a_cost_that_explodes_is_divergence_even_while_finite(optimizer, mnist):
    spec = lab_spec("xavier").with_overrides(learning_rate=10.0, optimizer=optimizer)
    costs = []
    with pytest.raises(TrainingDiverged) as info:
        train(spec, mnist, on_progress=lambda r: costs.append(r.cost), evaluate=False)
    message = str(info.value)
    assert "\n" not in message and "nothing was saved" in message
    assert "smaller learning rate than 10" in message and "0.001" in message
    assert costs[-1] < 1000 * costs[0]  # stopped at the first batch past the bound


def test_10_the_window_offers_learning_rates_that_train(window):
    field = window.training.learning_rate
    assert field.maximum() == 10.0 and field.minimum() > 0
    field.setValue(1e6)
    assert field.value() == 10.0
    keep = window.training.keep_prob
    keep.setValue(1e-300)
    assert keep.value() == 0.05


# ----------------------------------------------------------------- 12: the seed


@pytest.mark.parametrize("seed", ["99999999999999999999999", "-1", "7.5", "many"])
def test_12_a_seed_out_of_range_names_the_flag(seed, capsys, mnistpad_home):
    status, out, err = run(capsys, "train", "softmax", f"--seed={seed}")
    assert status == 2 and out == ""
    assert err.startswith("mnistpad train: error: argument --seed: must be a whole number "
                          "from 0 to 9223372036854775807")
    assert user_files(mnistpad_home) == []


def test_12_the_largest_seed_trains(mnist, subset):
    result = train(lab_spec("softmax").with_overrides(epochs=1), subset(mnist, 200),
                   seed=2**63 - 1, evaluate=False)
    assert len(result.cost_history) == 1


# ----------------------------------------------------------------- 13: Ctrl+C from the start


@pytest.mark.parametrize("after", [0.5, 1.5])
def test_13_ctrl_c_early_in_train_is_a_one_line_exit(after, mnist_dir, mnistpad_home):
    """SIGINT while the command is still importing torch (or, on a fast machine, training)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "mnistpad", "train", "xavier", "--data", str(mnist_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT,
        env=child_env(mnistpad_home))
    time.sleep(after)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines() == ["mnistpad: interrupted; nothing was saved."]
    assert user_files(mnistpad_home) == []


# ----------------------------------------------------------------- seeded runs


def _batch_costs(spec, data, seed=777) -> list[float]:
    records = []
    train(spec, data, seed=seed, evaluate=False, on_progress=records.append)
    return [r.cost for r in records if r.kind == "batch"]


def test_the_same_seed_gives_the_same_costs_while_another_thread_loads_and_runs_models(
        mnist, subset):
    """Initialization, shuffling, augmentation and dropout masks all come from the run's own
    generator: a thread that builds models, loads files, classifies and draws from torch's
    global generator meanwhile (as the window does when the user switches models) changes
    nothing."""
    spec = lab_spec("dropout").with_overrides(epochs=2, augment=True)
    data = subset(mnist, 300)
    clean = _batch_costs(spec, data)
    stop = threading.Event()
    busy = []
    files = sorted(shipped_models_dir().glob("*.safetensors"))[:3]
    digits = mnist.test.images[:5].view(-1, 28, 28).numpy()

    def click_around() -> None:
        while not stop.is_set():
            build_model(lab_spec("xavier"))
            torch.rand(1000)
            for path in files:
                Classifier.from_file(path).probabilities(digits)
            busy.append(1)

    other = threading.Thread(target=click_around)
    other.start()
    try:
        disturbed = _batch_costs(spec, data)
    finally:
        stop.set()
        other.join()
    assert busy, "the other thread never ran"
    assert disturbed == clean
    assert _batch_costs(spec, data, seed=1) != clean


def test_the_core_never_changes_the_thread_count(mnist, subset):
    before = torch.get_num_threads()
    train(lab_spec("softmax").with_overrides(epochs=1), subset(mnist, 100), evaluate=False)
    assert torch.get_num_threads() == before
