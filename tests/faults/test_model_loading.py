"""Round three, faults 8, 12 and 13: a model file rewritten while it loads is an error, never
SIGBUS; a model's header and metadata are bounded when models are listed; non-finite
weights are refused at load with one line, and the command's JSON stays strict."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
import torch
from safetensors.torch import save_file

from mnistpad.core.files.header import MAX_HEADER, MAX_TENSORS
from mnistpad.core.files.modelfile import build_metadata, load_model, read_info
from mnistpad.core.models.registry import scan
from mnistpad.core.models.variants import build_model, lab_spec
from mnistpad.core.platform.errors import ModelFileError

from .conftest import PROJECT_ROOT, child_env, one_line_error
from .hostile import softmax_model

LOAD_AGAIN_AND_AGAIN = """
import sys
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.files.modelfile import load_model
print("ready", flush=True)
for _ in range(int(sys.argv[2])):
    try:
        load_model(sys.argv[1])
    except ModelFileError as exc:
        assert "\\n" not in str(exc), exc
"""


def deep_model(path):
    torch.manual_seed(0)
    spec = lab_spec("deep")
    state = {k: v.contiguous() for k, v in build_model(spec).state_dict().items()}
    save_file(state, path, metadata=build_metadata("deep", spec))
    return path


def test_8_a_model_rewritten_in_place_while_it_loads_never_kills_the_loader(tmp_path,
                                                                             mnistpad_home):
    path = deep_model(tmp_path / "deep.safetensors")
    payload = path.read_bytes()
    loaders = [subprocess.Popen([sys.executable, "-c", LOAD_AGAIN_AND_AGAIN, str(path), "150"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=child_env(mnistpad_home), cwd=PROJECT_ROOT)
               for _ in range(4)]
    for loader in loaders:
        assert loader.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 120
    half, rewrites = len(payload) // 2, 0
    while any(p.poll() is None for p in loaders) and time.monotonic() < deadline:
        with open(path, "r+b") as fh:  # as cp does: truncate, then write the bytes again
            fh.truncate(0)
            fh.write(payload[:half])
            fh.flush()
            time.sleep(0.003)
            fh.write(payload[half:])
        rewrites += 1
        time.sleep(0.01 + 0.01 * (rewrites % 3))  # whole for a while: loads get under way
    for loader in loaders:
        _, err = loader.communicate(timeout=60)
        assert loader.returncode != -signal.SIGBUS, "a loader died of SIGBUS"
        assert loader.returncode == 0, err


def test_12_a_huge_cost_history_is_refused_from_its_header_size(tmp_path):
    path = softmax_model(tmp_path / "long.safetensors",
                         cost_history=json.dumps([1.0] * (MAX_HEADER // 4)))
    with pytest.raises(ModelFileError) as caught:
        read_info(path)
    assert str(caught.value).startswith(f"{path}: ") and "header" in str(caught.value)
    catalog = scan([tmp_path])
    assert catalog.models == [] and len(catalog.problems) == 1


def test_12_a_header_of_many_empty_tensors_is_refused(tmp_path):
    spec = lab_spec("softmax")
    state = {k: v.contiguous() for k, v in build_model(spec).state_dict().items()}
    state.update({f"empty{i}": torch.zeros(0) for i in range(MAX_TENSORS + 1)})
    path = tmp_path / "empties.safetensors"
    save_file(state, path, metadata=build_metadata("empties", spec))
    with pytest.raises(ModelFileError, match="tensors, more than"):
        read_info(path)


def test_12_listing_a_large_header_takes_little_memory(tmp_path, mnistpad_home, mnistpad_cli):
    (mnistpad_home / "models").mkdir()
    softmax_model(mnistpad_home / "models" / "long.safetensors",
                  cost_history=json.dumps([0.5] * 3_000_000))  # a 12 MB header
    proc = mnistpad_cli("models", "--json", timeout=60)
    assert proc.returncode == 0 and "long.safetensors" in proc.stderr, proc.stderr
    assert "long" not in {row["name"] for row in json.loads(proc.stdout)}


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_13_non_finite_weights_are_refused_at_load(value, tmp_path, mnistpad_main):
    spec = lab_spec("softmax")
    state = {k: v.contiguous() for k, v in build_model(spec).state_dict().items()}
    first = next(iter(state))
    state[first] = torch.full_like(state[first], value)
    path = tmp_path / "nan.safetensors"
    save_file(state, path, metadata=build_metadata("nan", spec))
    with pytest.raises(ModelFileError) as caught:
        load_model(path)
    assert str(caught.value).startswith(f"{path}: ") and first in str(caught.value)
    image = tmp_path / "digit.png"
    from PIL import Image

    Image.new("L", (56, 56), 0).save(image)
    one_line_error(mnistpad_main("classify", image, "--model", path, "--json"), str(path),
                   "not numbers")


def _strict(text: str):
    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_13_json_output_is_strict(mnistpad_main):
    """A figure that is not a number never reaches the output as NaN: the command stops
    with one line instead (strict parsers reject NaN)."""
    from mnistpad.cli.common import json_text

    proc = mnistpad_main("models", "--json")
    assert proc.returncode == 0 and _strict(proc.stdout) is not None
    with pytest.raises(ValueError):
        json_text({"accuracy": float("nan")})
