"""Model files: round trips, refusal of every kind of bad file (and no unpickling), atomic
writes, and the registry of saved models."""

from __future__ import annotations

import json
import os
import pickle
import random
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from mnistpad.core.files.modelfile import (
    FORMAT,
    LoadedModel,
    ModelInfo,
    build_metadata,
    load_model,
    read_info,
    save_model,
    save_result,
)
from mnistpad.core.models.registry import (
    check_name,
    default_model,
    resolve_model,
    scan,
    unique_name,
)
from mnistpad.core.models.variants import build_model, lab_spec
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.reading.classify import Classifier
from mnistpad.core.training.train import train


def memory_classifier(result) -> Classifier:
    """A Classifier around the trained model still in memory (not read from a file)."""
    info = ModelInfo(Path("memory"), "memory", result.spec, 0, result.test_accuracy)
    return Classifier(LoadedModel(info, result.model))


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", ["xavier", "cnn", "batchnorm", "deepcnn"])
def test_save_then_load_gives_identical_probabilities(name, mnist, subset, tmp_path):
    spec = lab_spec(name).with_overrides(epochs=1)
    data = subset(mnist, 100 if spec.arch != "mlp" else 1000, 100)
    result = train(spec, data, evaluate=name in ("xavier", "batchnorm"))
    path = save_result(tmp_path / f"{name}.safetensors", result)
    loaded = Classifier.from_file(path)
    digits = mnist.test.images[:100].view(-1, 28, 28).numpy()
    expected = memory_classifier(result).probabilities(digits)
    np.testing.assert_array_equal(loaded.probabilities(digits), expected)
    assert loaded.info.spec == spec and loaded.name == name
    assert loaded.info.cost_history == pytest.approx(result.cost_history)
    assert loaded.info.accuracy_history == pytest.approx(result.accuracy_history)


def test_batch_norm_running_statistics_are_saved(mnist, subset, tmp_path):
    result = train(lab_spec("batchnorm").with_overrides(epochs=1), subset(mnist, 500),
                   evaluate=False)
    path = save_result(tmp_path / "bn.safetensors", result)
    trained_bn = result.model[1]
    loaded_bn = load_model(path).model[1]
    assert isinstance(loaded_bn, torch.nn.BatchNorm1d)
    assert not torch.allclose(trained_bn.running_mean, torch.zeros_like(trained_bn.running_mean))
    assert torch.equal(loaded_bn.running_mean, trained_bn.running_mean)
    assert torch.equal(loaded_bn.running_var, trained_bn.running_var)
    assert loaded_bn.num_batches_tracked.item() == 5


def test_metadata_holds_spec_history_and_accuracy(trained_xavier):
    result, path = trained_xavier
    info = read_info(path)
    meta = info.metadata
    assert meta["format"] == FORMAT and meta["variant"] == "xavier"
    assert json.loads(meta["spec"]) == result.spec.to_dict()
    assert info.test_accuracy == pytest.approx(result.test_accuracy, abs=1e-6)
    assert info.parameters == 269_322
    assert json.loads(meta["epochs_trained"]) == 4 and json.loads(meta["seed"]) == 777
    assert info.name == "fixture-xavier" and info.file_size == path.stat().st_size
    assert "[0, 1]" in meta["input"]


def test_loaded_model_is_in_eval_mode(trained_xavier):
    assert not load_model(trained_xavier[1]).model.training


# --------------------------------------------------------------------------- bad files


class Exploit:
    """Unpickling this creates ``marker``: proof that a file was unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def check_refused(path: Path, *fragments: str, header: bool = True) -> str:
    """``load_model`` refuses ``path`` with a one-line message naming it; so does
    ``read_info`` (the registry's check) when the fault is in the header."""
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    for fragment in fragments:
        assert fragment in message
    if header:
        with pytest.raises(ModelFileError):
            read_info(path)
    return message


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory) -> bytes:
    torch.manual_seed(0)
    spec = lab_spec("softmax")
    path = tmp_path_factory.mktemp("good") / "softmax.safetensors"
    save_model(path, build_model(spec), build_metadata("softmax", spec))
    return path.read_bytes()


def test_the_exploit_really_runs_when_unpickled(tmp_path):
    """Guards the tests below: each payload is live, so its marker proves an unpickling."""
    for protocol in (0, pickle.DEFAULT_PROTOCOL):
        marker = tmp_path / f"ran-{protocol}"
        pickle.loads(pickle.dumps(Exploit(marker), protocol=protocol))
        assert marker.exists()
    marker = tmp_path / "ran-torch"
    torch.save({"weights": Exploit(marker)}, tmp_path / "evil.pt")
    torch.load(tmp_path / "evil.pt", weights_only=False)
    assert marker.exists()


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("truncated", "not a readable safetensors file"),
        ("truncated-header", "not a safetensors file, or it is truncated"),
        ("random", "not a safetensors file"),
        ("empty", "empty or truncated"),
    ],
)
def test_broken_files_are_refused(case, fragment, good_bytes, tmp_path):
    payload = {
        "truncated": good_bytes[: len(good_bytes) // 2],
        "truncated-header": good_bytes[:40],
        "random": random.Random(0).randbytes(4096),
        "empty": b"",
    }[case]
    path = tmp_path / f"{case}.safetensors"
    path.write_bytes(payload)
    check_refused(path, fragment)


@pytest.mark.parametrize("kind", ["torch.save", "pickle", "pickle-protocol-0"])
def test_pickles_are_refused_and_never_unpickled(kind, tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.safetensors"
    if kind == "torch.save":
        torch.save({"weights": Exploit(marker)}, path)
        assert path.read_bytes()[:4] == b"PK\x03\x04"
    else:
        protocol = 0 if kind == "pickle-protocol-0" else pickle.DEFAULT_PROTOCOL
        path.write_bytes(pickle.dumps(Exploit(marker), protocol=protocol))
    message = check_refused(path)
    if kind != "pickle-protocol-0":
        assert "never unpickles" in message
    assert not marker.exists()


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ModelFileError, match="no such model file"):
        load_model(tmp_path / "absent.safetensors")


def test_safetensors_without_mnistpad_metadata(tmp_path):
    path = tmp_path / "plain.safetensors"
    save_file({"0.weight": torch.zeros(10, 784), "0.bias": torch.zeros(10)}, path)
    check_refused(path, "not an mnistpad model")


def softmax_file(path: Path, spec_changes: dict | None = None, weights=None, **meta_changes):
    spec = lab_spec("softmax")
    torch.manual_seed(0)
    meta = build_metadata("softmax", spec)
    if spec_changes:
        meta["spec"] = json.dumps({**spec.to_dict(), **spec_changes})
    meta.update(meta_changes)
    state = weights if weights is not None else build_model(spec).state_dict()
    save_file({k: v.contiguous() for k, v in state.items()}, path, metadata=meta)
    return path


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"variant": "resnet"}, "unknown variant 'resnet'"),
        ({"arch": "transformer"}, "arch must be one of"),
        ({"hidden": [-5]}, "hidden layer sizes"),
        ({"keep_prob": "0.7"}, "not a model of a known variant"),
        ({"colour": "red"}, "unknown spec fields"),
    ],
)
def test_specs_of_unknown_or_invalid_variants_are_refused(changes, fragment, tmp_path):
    path = softmax_file(tmp_path / "odd.safetensors", changes)
    check_refused(path, "not a model of a known variant", fragment)


def test_invalid_metadata_json_is_refused(tmp_path):
    check_refused(softmax_file(tmp_path / "a.safetensors", spec="{not json"), "'spec'")
    check_refused(softmax_file(tmp_path / "b.safetensors", format_version="99"), "newer")


def test_weights_that_do_not_match_the_spec_are_refused(tmp_path):
    """A parameter count other than the spec's is refused from the header; the same count
    in other shapes, when the weights are loaded."""
    wrong_shapes = {"0.weight": torch.zeros(10, 100), "0.bias": torch.zeros(10)}
    path = softmax_file(tmp_path / "shapes.safetensors", weights=wrong_shapes)
    check_refused(path, "do not match its 'softmax' spec", "1,010 parameters in the file, "
                                                           "7,850 in the spec")
    missing = softmax_file(tmp_path / "missing.safetensors", weights={"0.bias": torch.zeros(10)})
    check_refused(missing, "do not match", "10 parameters in the file")
    extra = {**build_model(lab_spec("softmax")).state_dict(), "9.weight": torch.zeros(3)}
    check_refused(softmax_file(tmp_path / "extra.safetensors", weights=extra), "7,853")
    transposed = {"0.weight": torch.zeros(784, 10), "0.bias": torch.zeros(10)}
    check_refused(softmax_file(tmp_path / "transposed.safetensors", weights=transposed),
                  "do not match its 'softmax' spec", "size mismatch for 0.weight", header=False)


# --------------------------------------------------------------------------- atomic writes


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_an_interrupted_save_leaves_the_previous_file_intact(failing, trained_xavier, mnist, subset,
                                                             tmp_path, monkeypatch):
    old_result, _ = trained_xavier
    folder = tmp_path / "models"
    path = save_result(folder / "mine.safetensors", old_result)
    old_bytes = path.read_bytes()
    new_result = train(lab_spec("softmax").with_overrides(epochs=1), subset(mnist, 100))

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(OSError, match="No space left"):
        patch.setattr(os, failing, fail)
        save_result(path, new_result)

    assert sorted(p.name for p in folder.iterdir()) == ["mine.safetensors"]  # no temp file
    assert path.read_bytes() == old_bytes
    info = read_info(path)
    assert info.variant == "xavier"
    assert info.test_accuracy == pytest.approx(old_result.test_accuracy, abs=1e-6)
    reloaded = Classifier.from_file(path)
    digits = mnist.test.images.view(-1, 28, 28).numpy()
    acc = (reloaded.probabilities(digits).argmax(1) == mnist.test.labels.numpy()).mean()
    assert acc == pytest.approx(old_result.test_accuracy, abs=1e-6)


def test_a_save_replaces_the_file_and_makes_it_readable(trained_xavier, tmp_path):
    result, _ = trained_xavier
    path = tmp_path / "models" / "m.safetensors"
    path.parent.mkdir()
    path.write_bytes(b"old junk")
    save_result(path, result)
    assert read_info(path).variant == "xavier"
    assert path.stat().st_mode & 0o644 == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["m.safetensors"]


# --------------------------------------------------------------------------- registry


def test_registry_lists_user_models_and_reports_bad_files(trained_xavier, mnistpad_home,
                                                          monkeypatch, tmp_path):
    result, _ = trained_xavier
    shipped = tmp_path / "shipped"
    monkeypatch.setenv("MNISTPAD_SHIPPED_MODELS", str(shipped))
    save_result(shipped / "xavier.safetensors", result)
    user = mnistpad_home / "models"
    save_result(user / "mine.safetensors", result)
    save_result(user / "xavier.safetensors", result)  # a name already taken by a shipped one
    (user / "broken.safetensors").write_bytes(b"")
    catalog = scan()
    assert [m.name for m in catalog.models] == ["xavier", "mine"]
    assert catalog.is_shipped(catalog.find("xavier"))
    assert not catalog.is_shipped(catalog.find("mine"))
    assert len(catalog.problems) == 2
    assert any("broken.safetensors" in p for p in catalog.problems)
    assert any("already listed" in p for p in catalog.problems)
    assert resolve_model("mine", catalog) == user / "mine.safetensors"
    assert resolve_model(str(user / "x.safetensors"), catalog) == user / "x.safetensors"
    known = r"no saved model named 'nope' \(saved models: mine, xavier\)"
    with pytest.raises(ModelFileError, match=known):
        resolve_model("nope", catalog)
    assert default_model(catalog).name in {"xavier", "mine"}


def test_registry_names(tmp_path):
    assert unique_name("xavier", set()) == "xavier"
    assert unique_name("xavier", {"xavier", "xavier-2"}) == "xavier-3"
    assert check_name("my_net-1.2") == "my_net-1.2"
    for bad in ("", "-x", "a/b", "x" * 65, "sp ace"):
        with pytest.raises(ValueError, match="not a usable model name"):
            check_name(bad)
    with pytest.raises(ModelFileError, match="no saved models yet"):
        default_model(scan([tmp_path]))


@pytest.mark.parametrize("header_len", [896, 1152, 1408])
def test_a_header_length_that_starts_like_a_pickle_is_still_a_model(header_len, tmp_path):
    """A header of these lengths begins with bytes 0x80 and 2-5, a pickle's first two: a
    model file saved with one was once refused as a pickle (found when the epoch histories
    grew the metadata)."""
    spec = lab_spec("softmax")
    model = build_model(spec, torch.Generator().manual_seed(0))
    path = tmp_path / "m.safetensors"
    for pad in range(1, 1500):
        save_model(path, model, build_metadata("m", spec, padding="x" * pad))
        if int.from_bytes(path.read_bytes()[:8], "little") == header_len:
            break
    else:
        pytest.skip(f"no padding gave a header of {header_len} bytes")
    assert path.read_bytes()[:1] == b"\x80"
    info = read_info(path)
    assert info.name == "m"
    assert Classifier.from_file(path).name == "m"
