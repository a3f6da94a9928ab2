"""The ``mnistpad`` command, run in-process through ``main`` (plus one real subprocess).

``mnistpad`` with no arguments opens the window, so it is not run here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import mnistpad.core.models.specs as core_specs
import mnistpad.core.training.train as core_train
from mnistpad.cli import main
from mnistpad.core.data.mnist import raw_folder
from mnistpad.core.data.preprocess import load_image
from mnistpad.core.files.modelfile import SUFFIX, read_info, save_result
from mnistpad.core.models.registry import scan
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.classify import Classifier

PROJECT_ROOT = Path(__file__).resolve().parents[1]

EPOCH_LINE = re.compile(r"^Epoch: 0001 cost = \d+\.\d{9}  \(test accuracy 0\.\d{4}, ", re.M)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """``mnistpad ARGV`` in-process: (exit status, stdout, stderr); argparse errors included."""
    try:
        status = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's own exits (usage errors, --help)
        status = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def json_lines(out: str) -> list[dict]:
    rows = [json.loads(line) for line in out.splitlines()]
    assert all(isinstance(row, dict) for row in rows)
    return rows


def user_model_files(home: Path) -> list[str]:
    folder = home / "models"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_help_in_a_subprocess(mnistpad_home):
    proc = subprocess.run(
        [sys.executable, "-m", "mnistpad", "--help"], capture_output=True, text=True,
        cwd=PROJECT_ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: mnistpad")
    for command in ("train", "models", "eval", "classify", "adapt"):
        assert command in proc.stdout
    assert proc.stderr == ""


def test_train_prints_the_lecture_lines_and_saves_a_listed_model(capsys, mnist_dir,
                                                                  mnistpad_home):
    status, out, err = run(capsys, "train", "xavier", "--epochs", "1", "--device", "cpu",
                           "--data", mnist_dir)
    assert status == 0, err
    assert EPOCH_LINE.search(out), out
    assert "Learning finished" in out
    accuracy = float(re.search(r"^Accuracy: (0\.\d{4})$", out, re.M).group(1))
    assert accuracy > 0.5
    drawn = float(re.search(r"^Drawn digits of unseen writers: (0\.\d{4})$", out, re.M).group(1))
    name, saved = re.search(r"^Saved (\S+) to (.+)$", out, re.M).groups()
    # a shipped "xavier" keeps its name; the user's run gets the next free one
    taken = {p.stem for p in shipped_models_dir().glob(f"*{SUFFIX}")}
    assert name == ("xavier-2" if "xavier" in taken else "xavier")
    assert Path(saved) == mnistpad_home / "models" / f"{name}{SUFFIX}"
    assert user_model_files(mnistpad_home) == [f"{name}{SUFFIX}"]

    status, out, _ = run(capsys, "models", "--json")
    assert status == 0
    rows = {row["name"]: row for row in json.loads(out)}
    row = rows[name]
    assert row["variant"] == "xavier" and row["lab"] == "10-3"
    assert row["parameters"] == 269_322 and row["shipped"] is False
    assert Path(row["file"]) == Path(saved)
    assert row["test_acc"] == pytest.approx(accuracy, abs=1e-4)
    assert row["drawn_acc"] == pytest.approx(drawn, abs=1e-4)
    assert row["trained_on"] == "MNIST training set (2,000 digits)"

    status, out, _ = run(capsys, "eval", name, "--data", mnist_dir, "--json")
    assert status == 0
    [score] = json_lines(out)
    assert score["name"] == name and score["samples"] == 500
    assert score["lecture_acc"] == 0.9783
    # the same 500 fixture test digits the trainer scored after its epoch, and the same
    # drawn digits of the development writers
    assert score["test_acc"] == pytest.approx(accuracy, abs=1e-4)
    assert score["drawn_acc"] == pytest.approx(drawn, abs=1e-4)

    status, out, _ = run(capsys, "models")
    assert status == 0 and re.search(rf"^{re.escape(name)}\s+xavier\s+10-3\s+269,322", out, re.M)


def test_eval_record_stores_the_accuracies_in_the_file(capsys, mnist_dir, trained_xavier,
                                                       tmp_path):
    result, original = trained_xavier
    copy = tmp_path / "scored.safetensors"
    copy.write_bytes(original.read_bytes())
    before = read_info(copy)
    status, out, _ = run(capsys, "eval", copy, "--data", mnist_dir, "--record", "--json")
    assert status == 0
    [score] = json_lines(out)
    after = read_info(copy)
    assert after.drawn_accuracy == pytest.approx(score["drawn_acc"], abs=1e-6)
    assert after.test_accuracy == pytest.approx(score["test_acc"], abs=1e-6)
    assert after.cost_history == before.cost_history == result.cost_history
    np.testing.assert_array_equal(
        Classifier.from_file(copy).probabilities(np.zeros((1, 28, 28)) + 0.5),
        Classifier.from_file(original).probabilities(np.zeros((1, 28, 28)) + 0.5))


def test_models_shows_mnist_and_drawn_accuracy(capsys):
    status, out, _ = run(capsys, "models")
    assert status == 0
    header = out.splitlines()[0].split()
    assert header[4:6] == ["MNIST", "drawn"]
    drawn_row = re.search(r"^drawn\s+drawn\s+beyond\s+4,138,671\s+(\S+)%\s+(\S+)%", out, re.M)
    assert drawn_row, out
    mnist_acc, drawn_acc = map(float, drawn_row.groups())
    assert mnist_acc >= 99.5 and drawn_acc >= 98.0


def test_train_json_is_one_object_per_line(capsys, mnist_dir, tmp_path):
    out_file = tmp_path / "custom"
    status, out, _ = run(capsys, "train", "softmax", "--epochs", "2", "--lr", "0.01",
                         "--data", mnist_dir, "--out", out_file, "--json")
    assert status == 0
    rows = json_lines(out)
    assert [row.get("epoch") for row in rows] == [1, 2, None]
    for row in rows[:2]:
        assert row["model"] == "custom" and row["cost"] > 0 and 0 <= row["test_acc"] <= 1
        assert row["samples_per_s"] > 0
    assert rows[2]["saved"] == str(tmp_path / "custom.safetensors")
    info = read_info(rows[2]["saved"])
    assert info.name == "custom" and info.spec.learning_rate == 0.01 and info.spec.epochs == 2


def test_cancelled_training_leaves_no_file(capsys, mnist_dir, mnistpad_home, monkeypatch):
    real_train = core_train.train

    def train_cancelled_after_three_batches(*args, on_progress=None, **kwargs):
        seen = []

        def progress(record):
            seen.append(record)
            on_progress(record)

        return real_train(*args, on_progress=progress, should_stop=lambda: len(seen) >= 3,
                          **kwargs)

    monkeypatch.setattr(core_train, "train", train_cancelled_after_three_batches)
    status, out, err = run(capsys, "train", "xavier", "--data", mnist_dir)
    assert status == 130
    assert "training cancelled; nothing was saved" in err
    assert "Saved" not in out
    assert user_model_files(mnistpad_home) == []


def test_a_failed_save_is_a_one_line_error_and_leaves_no_file(capsys, mnist_dir, mnistpad_home,
                                                              monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    status, _, err = run(capsys, "train", "softmax", "--epochs", "1", "--data", mnist_dir)
    assert status == 1
    folder = re.escape(str(mnistpad_home / "models"))
    assert re.fullmatch(rf"mnistpad: error: cannot save {folder}/softmax(-2)?\.safetensors: "
                        rf"No space left on device", err.strip()), err
    assert user_model_files(mnistpad_home) == []


@pytest.mark.parametrize(
    ("cli", "env", "used"),
    [("fixture", "bogus", "fixture"), (None, "fixture", "fixture"), (None, "bogus", "bogus"),
     (None, None, "home")],
)
def test_data_folder_order(cli, env, used, capsys, mnist_dir, mnistpad_home, tmp_path,
                           monkeypatch):
    folders = {"fixture": mnist_dir, "bogus": tmp_path / "bogus", "home": mnistpad_home / "mnist"}
    if env:
        monkeypatch.setenv("MNISTPAD_DATA", str(folders[env]))
    argv = ["train", "softmax", "--epochs", "1", "--json"]
    status, out, err = run(capsys, *argv, *(["--data", folders[cli]] if cli else []))
    if used == "fixture":
        assert status == 0 and "saved" in json_lines(out)[-1]
    else:
        assert status == 1 and str(raw_folder(folders[used])) in err


def test_train_all_never_hides_or_overwrites_models(capsys, mnist_dir, mnistpad_home,
                                                    trained_xavier, monkeypatch, tmp_path):
    """--all without --out saves into the user folder under free names, like one variant."""
    result, _ = trained_xavier
    shipped = tmp_path / "shipped"
    monkeypatch.setenv("MNISTPAD_SHIPPED_MODELS", str(shipped))
    save_result(shipped / "xavier.safetensors", result, name="xavier")
    own = save_result(mnistpad_home / "models" / "softmax.safetensors", result, name="softmax")
    own_bytes = own.read_bytes()
    small_table = {k: core_specs.VARIANTS[k] for k in ("softmax", "xavier")}
    monkeypatch.setattr(core_specs, "VARIANTS", small_table)

    status, out, err = run(capsys, "train", "--all", "--epochs", "1", "--data", mnist_dir,
                           "--json")
    assert status == 0, err
    saved = [row["model"] for row in json_lines(out) if "saved" in row]
    assert saved == ["softmax-2", "xavier-2"]
    assert own.read_bytes() == own_bytes
    catalog = scan()
    assert catalog.problems == []
    assert {"xavier", "softmax", "softmax-2", "xavier-2"} == catalog.names()

    status, out, _ = run(capsys, "train", "--all", "--epochs", "1", "--data", mnist_dir,
                         "--out", tmp_path / "regen", "--json")
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "regen").iterdir()) == [
        "softmax.safetensors", "xavier.safetensors"]


def digit_pngs(mnist, folder: Path, count: int) -> list[tuple[Path, Path, int]]:
    """Fixture test digits written as 280x280 PNGs in both polarities."""
    pngs = []
    for i in range(count):
        grey = (mnist.test.images[i].view(28, 28).numpy() * 255).round().astype(np.uint8)
        big = Image.fromarray(grey).resize((280, 280), Image.BICUBIC)
        light, dark = folder / f"digit{i}-light.png", folder / f"digit{i}-dark.png"
        big.save(light)
        Image.fromarray(255 - np.asarray(big)).save(dark)
        pngs.append((light, dark, int(mnist.test.labels[i])))
    return pngs


def test_classify_pngs_of_both_polarities(capsys, mnist, trained_xavier, tmp_path):
    model = trained_xavier[1]
    pngs = digit_pngs(mnist, tmp_path, 6)
    images = [p for light, dark, _ in pngs for p in (light, dark)]
    status, out, err = run(capsys, "classify", *images, "--model", model, "--json")
    assert status == 0, err
    rows = json_lines(out)
    assert [row["image"] for row in rows] == [str(p) for p in images]
    classifier = Classifier.from_file(model)
    for light, dark in zip(rows[::2], rows[1::2], strict=True):
        assert light["model"] == "fixture-xavier"
        assert light["digit"] == dark["digit"]
        np.testing.assert_allclose(light["probabilities"], dark["probabilities"], atol=1e-3)
        assert sum(light["probabilities"]) == pytest.approx(1.0, abs=1e-4)
        assert light["confidence"] == max(light["probabilities"])
        # exactly what the library reads from the same file
        digit, _ = classifier.predict(load_image(light["image"]))
        assert light["digit"] == digit

    status, out, _ = run(capsys, "classify", images[0], "--model", model)
    assert status == 0
    assert re.match(rf"{re.escape(str(images[0]))}: \d \(\d+\.\d%, fixture-xavier\)  0:0\.\d\d",
                    out)


def test_classify_with_a_shipped_model_reads_the_digits(capsys, mnist, tmp_path):
    if not (shipped_models_dir() / f"cnn{SUFFIX}").is_file():
        pytest.skip("cnn is not shipped")
    pngs = digit_pngs(mnist, tmp_path, 10)
    images = [p for light, dark, _ in pngs for p in (light, dark)]
    status, out, _ = run(capsys, "classify", *images, "--model", "cnn", "--json")
    assert status == 0
    digits = [row["digit"] for row in json_lines(out)]
    assert digits == [label for _, _, label in pngs for _ in (0, 1)]


def test_classify_a_blank_image(capsys, trained_xavier, tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("L", (280, 280), 255).save(blank)
    status, out, _ = run(capsys, "classify", blank, "--model", trained_xavier[1], "--json")
    assert status == 0
    assert json_lines(out) == [{"image": str(blank), "model": "fixture-xavier", "digit": None,
                                "probabilities": None}]
    status, out, _ = run(capsys, "classify", blank, "--model", trained_xavier[1])
    assert "no digit found" in out


# --------------------------------------------------------------------------- error exits


def test_unknown_variant(capsys):
    status, out, err = run(capsys, "train", "resnet")
    assert status == 2 and out == ""
    assert "invalid choice: 'resnet'" in err and "see 'mnistpad train --help'" in err


@pytest.mark.parametrize(
    ("value", "status", "message"),
    [("fast", 2, "invalid float value: 'fast'"),
     ("-1", 1, "learning rate must be a positive number"),
     ("nan", 1, "learning rate must be a positive number")],
)
def test_bad_learning_rate(value, status, message, capsys, mnist_dir, mnistpad_home):
    code, _, err = run(capsys, "train", "xavier", "--data", mnist_dir, f"--lr={value}")
    assert code == status and message in err
    assert len(err.strip().splitlines()) <= 2
    assert user_model_files(mnistpad_home) == []


def test_missing_data_folder(capsys, tmp_path, mnistpad_home):
    folder = tmp_path / "no-mnist-here"
    status, out, err = run(capsys, "train", "xavier", "--data", folder)
    assert status == 1 and "Epoch" not in out
    assert err.startswith("mnistpad: error: MNIST could not be loaded from ")
    assert str(raw_folder(folder)) in err and "train-images-idx3-ubyte" in err
    assert user_model_files(mnistpad_home) == []


def test_train_needs_a_variant_or_all(capsys):
    status, _, err = run(capsys, "train")
    assert status == 1 and "name one VARIANT to train, or --all" in err


def test_eval_of_a_corrupt_file(capsys, mnist_dir, tmp_path):
    corrupt = tmp_path / "corrupt.safetensors"
    corrupt.write_bytes(b"\x00" * 7)
    status, out, err = run(capsys, "eval", corrupt, "--data", mnist_dir)
    assert status == 1 and out == ""
    assert err.strip() == f"mnistpad: error: {corrupt}: the file is empty or truncated"


def test_eval_of_an_unknown_name(capsys, mnist_dir):
    status, _, err = run(capsys, "eval", "no-such-model", "--data", mnist_dir)
    assert status == 1 and "no saved model named 'no-such-model'" in err


def test_classify_of_a_non_image_file(capsys, trained_xavier, mnist, tmp_path):
    bogus = tmp_path / "readme.txt"
    bogus.write_text("this is not a picture")
    [(good, _, _)] = digit_pngs(mnist, tmp_path, 1)
    status, out, err = run(capsys, "classify", bogus, good, "--model", trained_xavier[1],
                           "--json")
    assert status == 1
    assert f"{bogus}: not an image file that can be read" in err
    assert [row["image"] for row in json_lines(out)] == [str(good)]  # the others still run


def test_models_warns_about_unreadable_files(capsys, mnistpad_home, monkeypatch, tmp_path):
    monkeypatch.setenv("MNISTPAD_SHIPPED_MODELS", str(tmp_path / "none"))
    status, out, _ = run(capsys, "models")
    assert status == 0 and out.startswith("No saved models yet")
    (mnistpad_home / "models").mkdir()
    (mnistpad_home / "models" / "junk.safetensors").write_bytes(b"junk" * 10)
    status, out, err = run(capsys, "models", "--json")
    assert status == 0 and json.loads(out) == []
    assert err.startswith("warning: ") and "junk.safetensors" in err


def test_output_into_a_closed_pipe_ends_quietly():
    """``mnistpad models | head -1``: the reader leaves early; no traceback, no error line."""
    with subprocess.Popen([sys.executable, "-m", "mnistpad", "models"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        child.stdout.close()  # long before the child has imported torch and printed anything
        stderr = child.stderr.read().decode()
        assert child.wait(timeout=120) == 141
    assert stderr == ""


def test_the_progress_bars_time_left_is_the_windows(capsys, monkeypatch):
    """The CLI's time left comes from mnistpad.core.training.eta as the window's does: nothing
    until it has settled, then the recent rate, worded the same."""
    from types import SimpleNamespace

    from mnistpad.cli.common import ProgressBar
    from mnistpad.core.training.eta import SETTLE_S, TimeLeft, duration_words

    bar, reference = ProgressBar("xavier"), TimeLeft()
    bar.enabled = True
    monkeypatch.setattr("time.monotonic", iter(range(1, 10_000)).__next__)  # 1 s apart
    texts = []
    for step in range(1, 61):  # speeding up: the recent rate is not the whole run's
        seconds, fraction = step * 0.5, 0.5 * (step / 60) ** 2
        record = SimpleNamespace(kind="batch", epoch=1, epochs=2, cost=0.5, samples_per_s=100.0,
                                 seconds=seconds, fraction=fraction)
        bar.update(record)
        reference.add(seconds, fraction)
        texts.append(capsys.readouterr().err)
    assert "estimating..." in texts[0] and SETTLE_S > 0.5  # not settled after half a second
    left = reference.seconds_left()
    assert left is not None and f"~{duration_words(left)} left" in texts[-1]
    assert duration_words(left) != duration_words(30.0)  # the whole run's rate would say 30s
