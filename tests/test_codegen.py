"""`mnistpad code`: every shipped model and a design of one's own as a standalone script
that loads the file's tensors strictly and reads a digit as the app does."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors.torch import load_file

from mnistpad.cli import main
from mnistpad.core.files.modelfile import build_metadata, save_model
from mnistpad.core.lessons.codegen import script_for_file
from mnistpad.core.models.layers import ConvStage, Layer
from mnistpad.core.models.specs import designed, lab_spec
from mnistpad.core.models.variants import build_model
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.classify import Classifier

SHIPPED = sorted(shipped_models_dir().glob("*.safetensors"))


@pytest.fixture(scope="module")
def custom_models(tmp_path_factory) -> list[Path]:
    """Designs of one's own with every kind of layer, their weights (batch norm statistics
    included) moved off their initial values, saved as the app saves models."""
    import torch

    folder = tmp_path_factory.mktemp("custom")
    specs = {
        "sigmoid-net": designed(lab_spec("xavier"), (Layer(128, "sigmoid"), Layer(64, "sigmoid"))),
        "mixed-net": designed(lab_spec("batchnorm"), (Layer(40, "tanh", 0.8, True),
                                                      Layer(30, "relu", 0.5, True))),
        "own-cnn": designed(lab_spec("cnn"), (Layer(20, "tanh", 0.6),),
                            (ConvStage(4, 5), ConvStage(6, 3, False, "valid", 0.9), ConvStage(3))),
    }
    paths = []
    generator = torch.Generator().manual_seed(3)
    for name, spec in specs.items():
        model = build_model(spec, generator)
        with torch.no_grad():
            for tensor in model.state_dict().values():
                if tensor.is_floating_point():
                    tensor.add_(torch.rand(tensor.shape, generator=generator) * 0.5)
        paths.append(save_model(folder / f"{name}.safetensors", model,
                                build_metadata(name, spec)))
    return paths


def _images(count: int = 6) -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.random((count, 28, 28)).astype(np.float32) * (rng.random((count, 1, 1)) < 0.7)


def _script_probabilities(text: str, weights: Path, images: np.ndarray) -> np.ndarray:
    import torch

    namespace: dict = {"__name__": "generated"}
    exec(compile(text, "generated.py", "exec"), namespace)
    model = namespace["build_model"]()
    model.load_state_dict(load_file(weights), strict=True)
    model.eval()
    x = torch.from_numpy(images)
    x = x.reshape(len(images), 784) if "view(1, 784)" in text else x.reshape(-1, 1, 28, 28)
    with torch.no_grad():
        return model(x).softmax(dim=1).double().numpy()


def _check(path: Path) -> None:
    text = script_for_file(path)
    imported = {node.names[0].name.split(".")[0] if isinstance(node, ast.Import)
                else node.module.split(".")[0]
                for node in ast.walk(ast.parse(text))
                if isinstance(node, (ast.Import, ast.ImportFrom))}
    assert imported == {"sys", "pathlib", "torch", "safetensors"}
    images = _images()
    expected = Classifier.from_file(path).probabilities(images)
    np.testing.assert_allclose(_script_probabilities(text, path, images), expected,
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_model_reads_the_same_in_its_script(path):
    _check(path)


def test_designs_of_ones_own_read_the_same_in_their_scripts(custom_models):
    for path in custom_models:
        _check(path)
    text = script_for_file(custom_models[2])
    assert "conv2 = torch.nn.Conv2d(4, 6, kernel_size=3, stride=1, padding=0)" in text
    assert "# (N, 4, 14, 14) -> (N, 6, 12, 12)" in text
    assert "fc1 = torch.nn.Linear(108, 20, bias=True)" in text


def test_the_lab_names_and_shapes_read_as_the_lecture(custom_models):
    text = script_for_file(shipped_models_dir() / "dropout.safetensors")
    assert "keep_prob = 0.7" in text and "dropout = torch.nn.Dropout(p=1 - keep_prob)" in text
    assert "# (N, 784) -> (N, 512)\n    linear1 = torch.nn.Linear(784, 512, bias=True)" in text
    assert "torch.nn.init.xavier_uniform_(linear1.weight)" in text
    assert "linear1, relu, dropout, linear2" in text
    mixed = script_for_file(custom_models[1])
    assert "bn1 = torch.nn.BatchNorm1d(40)" in mixed and "tanh = torch.nn.Tanh()" in mixed
    assert "\nkeep_prob = " not in mixed  # two keep_probs: each dropout says its own
    assert "dropout_08 = torch.nn.Dropout(p=1 - 0.8)" in mixed


def test_the_script_runs_as_a_program_on_one_image(tmp_path, custom_models):
    import torch

    script = tmp_path / "net.py"
    script.write_text(script_for_file(custom_models[0]))
    image = (_images(1)[0] * 255).astype(np.uint8)
    pgm = tmp_path / "digit.pgm"
    pgm.write_bytes(b"P5\n28 28\n255\n" + image.tobytes())
    proc = subprocess.run([sys.executable, str(script), str(custom_models[0]), str(pgm)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    expected = Classifier.from_file(custom_models[0]).probabilities(image / 255.0)[0]
    assert proc.stdout.startswith(f"digit: {int(expected.argmax())} probabilities: ")
    assert torch.allclose(torch.tensor(eval(proc.stdout.split(": ", 2)[2])),
                          torch.tensor(expected).round(decimals=4).float(), atol=2e-4)


def test_code_command_prints_or_writes_the_script(capsys, tmp_path, custom_models):
    assert main(["code", str(custom_models[0])]) == 0
    assert capsys.readouterr().out == script_for_file(custom_models[0])
    out = tmp_path / "sub" / "net.py"
    assert main(["code", str(custom_models[0]), "--out", str(out)]) == 0
    assert out.read_text() == script_for_file(custom_models[0])


@pytest.mark.parametrize("content", [b"", b"not a model at all", b"\x08\0\0\0\0\0\0\0{}      "])
def test_code_command_on_a_file_that_is_not_a_model(capsys, tmp_path, content):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(content)
    out = tmp_path / "net.py"
    assert main(["code", str(bad), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.count("\n") == 1 and str(bad) in captured.err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.safetensors"]
