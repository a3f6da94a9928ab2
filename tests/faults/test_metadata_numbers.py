"""Round four, fault 2: a number too big for a float (``1`` and 400 zeros, which JSON reads
as an int that float() and math.isfinite() cannot take; ``1e400``, read as infinity) or a
whole number too long to print, in any metadata field. Each file is refused as data in one
line naming it and the key; a folder holding it is listed without it, never not at all."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mnistpad.core.data.samples import list_samples, load_sample_folder, read_sample, sample_strokes
from mnistpad.core.files.modelfile import load_model, read_info
from mnistpad.core.files.numbers import MAX_WHOLE, finite, number, whole
from mnistpad.core.models.registry import scan
from mnistpad.core.platform.errors import MnistpadError, ModelFileError

from .hostile import softmax_model, stroke_sample
from .test_file_kinds import stroke_model

BIG = "1" + "0" * 400  # JSON's int 10**400: float() of it raises OverflowError
LONG = "1" + "0" * 4000  # an int whose products cannot be printed (4,300 digits at most)


def refused(path: Path, *fragments: str, kind: str = "image") -> str:
    """read_info and load_model both refuse ``path`` with one line naming it."""
    for reader in (read_info, load_model):
        with pytest.raises(ModelFileError) as caught:
            reader(path, kind=kind)
        message = str(caught.value)
        assert message.startswith(f"{path}: ") and "\n" not in message, message
        assert len(message) < 400, message
        for fragment in fragments:
            assert fragment in message, message
    return message


def measurement(accuracy: str = "0.5", correct: str = "5", count: str = "10") -> str:
    return (f'{{"mnist": {{"accuracy": {accuracy}, "correct": {correct}, "count": {count}, '
            f'"measured_on": "mnist-test"}}, "by": "training", "when": ""}}')


# ----------------------------------------------------------------- the parser


def test_the_parser_takes_finite_numbers_in_range_and_nothing_else():
    assert finite(0.5, 0, 1) == 0.5 and type(finite(1, 0, 1)) is float
    for value in (json.loads(BIG), -json.loads(BIG), math.inf, math.nan, True, "1", None,
                  [1], 1.5):
        assert finite(value, 0, 1) is None, value
    assert whole(3, 0, 5) == 3
    for value in (json.loads(BIG), MAX_WHOLE + 1, 2.0, False, "3", 6):
        assert whole(value, 0, 5) is None, value
    with pytest.raises(ModelFileError, match=r"^f\.safetensors: its metadata has no valid 'k'"):
        number(json.loads(BIG), "f.safetensors", "k")


# ----------------------------------------------------------------- model files


@pytest.mark.parametrize(("key", "value"), [
    ("cost_history", f"[5.9, {BIG}]"),
    ("test_cost_history", f"[{BIG}]"),
    ("accuracy_history", f"[0.5, {BIG}]"),
    ("train_accuracy_history", f"[{BIG}]"),
    ("measurement", measurement(accuracy=BIG)),
    ("measurement", measurement(correct=BIG, count=BIG, accuracy="1.0")),
    ("epochs_trained", BIG),
    ("epochs_trained", "²"),
], ids=["cost", "test-cost", "accuracy", "train-accuracy", "measured-accuracy",
        "measured-count", "epochs", "epochs-superscript"])
def test_2_a_number_too_big_in_the_metadata_is_refused_naming_the_key(key, value, tmp_path):
    path = softmax_model(tmp_path / "big.safetensors", **{key: value})
    refused(path, f"no valid '{key}'")


WIDE = {"width": json.loads(LONG), "keep_prob": 1.0}


@pytest.mark.parametrize(("changes", "fragment"), [
    ({"learning_rate": json.loads(BIG)}, "learning rate"),
    ({"variant": "deep", "arch": "mlp", "hidden": [json.loads(LONG)] * 2}, "hidden"),
    ({"variant": "cnn-ensemble", "arch": "ensemble", "member_arch": "deepcnn",
      "members": json.loads(LONG)}, "members"),
    ({"variant": "deep", "arch": "mlp", "hidden": [json.loads(LONG)] * 2,
      "layers": [WIDE, WIDE]}, "width"),
], ids=["learning_rate", "hidden", "members", "layer-width"])
def test_2_a_number_too_big_in_the_spec_is_refused(changes, fragment, tmp_path):
    path = softmax_model(tmp_path / "big.safetensors", changes)
    refused(path, "not a model of a known variant", fragment)


def test_2_the_catalog_skips_a_file_of_big_numbers_and_lists_the_others(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    softmax_model(folder / "a-cost.safetensors", cost_history=f"[{BIG}]")
    softmax_model(folder / "b-lr.safetensors", {"learning_rate": json.loads(BIG)})
    softmax_model(folder / "c-measured.safetensors", measurement=measurement(accuracy=BIG))
    softmax_model(folder / "d-train.safetensors", train_accuracy_history=f"[{BIG}]")
    softmax_model(folder / "fine.safetensors")
    catalog = scan([folder])
    assert [m.name for m in catalog.models] == ["fine"]
    assert len(catalog.problems) == 4
    for name in ("a-cost", "b-lr", "c-measured", "d-train"):
        assert sum(f"{folder / name}.safetensors: " in p for p in catalog.problems) == 1


def test_2_the_command_lists_the_models_past_a_file_of_big_numbers(mnistpad_home,
                                                                   mnistpad_cli):
    folder = mnistpad_home / "models"
    folder.mkdir()
    bad = softmax_model(folder / "big.safetensors", cost_history=f"[{BIG}]")
    softmax_model(folder / "fine.safetensors")
    proc = mnistpad_cli("models", "--json", timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "fine" in {row["name"] for row in json.loads(proc.stdout)}
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and str(bad) in warnings[0] and "cost_history" in warnings[0]


def test_2_classify_by_name_still_works_past_a_file_of_big_numbers(mnistpad_home,
                                                                   mnistpad_main, tmp_path):
    from PIL import Image

    folder = mnistpad_home / "models"
    folder.mkdir()
    softmax_model(folder / "big.safetensors", {"learning_rate": json.loads(BIG)})
    softmax_model(folder / "fine.safetensors")
    digit = tmp_path / "digit.png"
    image = Image.new("L", (56, 56), 0)
    image.paste(255, (26, 8, 30, 48))
    image.save(digit)
    proc = mnistpad_main("classify", digit, "--model", "fine")
    assert proc.returncode == 0 and proc.stdout.startswith(f"{digit}: "), proc.stderr


# ----------------------------------------------------------------- a stroke reader's combination


@pytest.mark.parametrize("weight", [BIG, "1e400", "NaN", "2"], ids=["big", "1e400", "nan", "2"])
def test_2_a_stroke_readers_combination_out_of_range_is_refused(weight, tmp_path):
    from mnistpad.core.reading.npreader import stroke_reader_early
    from mnistpad.core.strokes.combination import Combination
    from mnistpad.core.strokes.reader import StrokeReader
    from mnistpad.core.strokes.readers import load_stroke_reader

    text = f'{{"rule": "mean", "image_weight": {weight}}}'
    path = stroke_model(tmp_path / "strokes.safetensors", combination=text)
    refused(path, "no valid 'combination'", kind="strokes")
    for load in (StrokeReader.from_file, stroke_reader_early):
        with pytest.raises(ModelFileError, match="no valid 'combination'"):
            load(path)
    assert load_stroke_reader(path) is None  # as eval drawn and the window load it
    assert Combination.from_metadata(text) == Combination()  # never an OverflowError


def test_2_a_stroke_readers_valid_combination_still_reads(tmp_path):
    from mnistpad.core.strokes.combination import Combination
    from mnistpad.core.strokes.reader import StrokeReader

    reader = StrokeReader.from_file(stroke_model(tmp_path / "strokes.safetensors"))
    assert Combination.from_metadata(reader.info.metadata["combination"]) == \
        Combination("log", 0.6)


# ----------------------------------------------------------------- a sample's strokes


def big_width(root: Path) -> Path:
    return stroke_sample(root / "1" / "width.png", f"[[{BIG},0,[[140,60],[140,220]]]]")


def big_point(root: Path) -> Path:
    return stroke_sample(root / "1" / "point.png", f"[[24,0,[[140,60],[{BIG},220]]]]")


@pytest.mark.parametrize("make", [big_width, big_point], ids=["width", "point"])
def test_2_a_sample_with_a_number_too_big_is_skipped_and_named(make, tmp_path):
    root = tmp_path / "mine"
    good = stroke_sample(root / "2" / "good.png", "[[24,0,[[140,60],[140,220]]]]", label=2)
    bad = make(root)
    assert {s.path for s in list_samples(root)} == {good, bad}
    assert sample_strokes(bad) is None and sample_strokes(good) is not None
    with pytest.raises(MnistpadError) as caught:
        read_sample(bad)
    assert str(caught.value).startswith(f"{bad}: ") and "\n" not in str(caught.value)
    problems: list[str] = []
    _, labels, paths = load_sample_folder(root, problems)
    assert paths == [good] and list(labels) == [2]
    assert len(problems) == 1 and problems[0].startswith(f"{bad}: ")


def test_2_a_users_stroke_reader_of_big_numbers_gives_way_to_the_shipped_one(mnistpad_home):
    """The user's own ``strokes`` (trained by ``mnistpad train strokes``) is the default
    stroke reader; one that does not load leaves the shipped one reading, not nothing."""
    from mnistpad.core.platform.paths import shipped_models_dir
    from mnistpad.core.strokes.files import shipped_stroke_model, user_stroke_models_dir
    from mnistpad.core.strokes.readers import StrokeReaders

    drawn = shipped_models_dir() / "drawn.safetensors"
    if not (drawn.is_file() and shipped_stroke_model().is_file()):
        pytest.skip("no shipped drawn model or stroke reader")
    own = stroke_model(user_stroke_models_dir() / "strokes.safetensors",
                       cost_history=f"[{BIG}]")
    refused(own, "no valid 'cost_history'", kind="strokes")
    reader = StrokeReaders().for_model(read_info(drawn))
    assert reader is not None and reader.info.path == shipped_stroke_model()
