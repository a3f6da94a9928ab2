"""Non-ASCII (Korean) paths everywhere: the user folder, MNIST, model files, images, saves."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image

from mnistpad.cli import main
from mnistpad.core.files.modelfile import read_info
from mnistpad.core.platform.paths import shipped_models_dir

KOREAN = "한글 폴더"


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


@pytest.fixture
def korean_home(tmp_path, monkeypatch):
    home = tmp_path / KOREAN / "홈"
    monkeypatch.setenv("MNISTPAD_HOME", str(home))
    return home


def digit_image(mnist, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = (mnist.test.images[0].view(28, 28).numpy() * 255).astype(np.uint8)
    Image.fromarray(pixels).resize((140, 140)).save(path)
    return path


def test_train_list_eval_and_classify_through_korean_paths(capsys, korean_home, mnist_dir,
                                                           mnist, tmp_path):
    data = tmp_path / KOREAN / "엠니스트"
    shutil.copytree(mnist_dir, data)
    out_file = tmp_path / KOREAN / "모델" / "내모델.safetensors"
    status, out, err = run(capsys, "train", "softmax", "--epochs", "1", "--data", data,
                           "--out", out_file, "--json")
    assert status == 0, err
    assert json.loads(out.splitlines()[-1])["saved"] == str(out_file)
    assert read_info(out_file).name == "내모델"

    (korean_home / "models").mkdir(parents=True, exist_ok=True)
    shutil.copy(out_file, korean_home / "models" / "한글.safetensors")
    status, out, _ = run(capsys, "models", "--json")
    assert status == 0 and "내모델" in {row["name"] for row in json.loads(out)}

    status, out, _ = run(capsys, "eval", out_file, "--data", data, "--json")
    assert status == 0 and json.loads(out)["file"] == str(out_file)

    image = digit_image(mnist, tmp_path / KOREAN / "숫자.png")
    status, out, _ = run(capsys, "classify", image, "--model", out_file, "--json")
    assert status == 0 and json.loads(out)["image"] == str(image)


def test_a_bad_file_in_a_korean_folder_is_named_in_the_warning(capsys, korean_home):
    folder = korean_home / "models"
    folder.mkdir(parents=True)
    (folder / "망가진.safetensors").write_bytes(b"broken" * 4)
    status, _, err = run(capsys, "models")
    assert status == 0 and str(folder / "망가진.safetensors") in err


@pytest.mark.skipif(not (shipped_models_dir() / "xavier.safetensors").is_file(),
                    reason="no shipped models in models/")
def test_the_window_opens_images_and_models_and_saves_through_korean_paths(window, tmp_path,
                                                                          mnist):
    folder = tmp_path / KOREAN
    image = digit_image(mnist, folder / "숫자.png")
    assert window.files.open_image(image)
    model = folder / "모델.safetensors"
    shutil.copy(shipped_models_dir() / "xavier.safetensors", model)
    assert window.files.open_model(model)
    assert window.state.active_classifier().info.path == model
    assert window.draw.reading.prediction.text() == str(int(mnist.test.labels[0]))
    drawing = folder / "그림.png"
    window.files.save_drawing(drawing)
    with Image.open(drawing) as saved:
        assert saved.size == (280, 280)
