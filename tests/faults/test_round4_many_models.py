"""Round four, item 12: 200 files in the models folder made start-up take 19 s (2.3 s
without them). The window refilled its model list and read the drawing again with every
model each time one more model arrived (quadratic in the number of files); a command that
names one model read every file's header to find it. Checked here by counting, not timing:
each file's header is read at most once per command, a command that names one model loads
no other model's weights, and in the window each model reads a drawing once and the model
list is not refilled per arrival."""

from __future__ import annotations

import collections
import contextlib
import io
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import mnistpad.core.models.registry as registry
import mnistpad.core.reading.classify as classify_module
from mnistpad.cli import main
from mnistpad.core.files.modelfile import update_metadata
from mnistpad.core.models.registry import resolve_model, scan
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.platform.paths import shipped_models_dir, user_models_dir
from mnistpad.core.reading.classify import Classifier

FILES = 200
NAMED = 160  # copies of softmax under names of their own; the rest: same name, or not models
SEVEN = [[70 + 4 * i, 60] for i in range(36)] + [[210 - i, 60 + 2 * i] for i in range(86)]


@pytest.fixture(scope="module")
def many_files(tmp_path_factory) -> Path:
    """A models folder of FILES files: softmax copies named many-000..., byte copies of it
    (all named softmax: skipped), and files that are not models."""
    folder = tmp_path_factory.mktemp("many") / "models"
    folder.mkdir()
    softmax = (shipped_models_dir() / "softmax.safetensors").read_bytes()
    hostile = {"empty": b"", "truncated": softmax[:5000], "pickle": b"\x80\x04junk" * 10,
               "long-header": (10**8).to_bytes(8, "little") + b"{" + b" " * 100,
               "not-a-header": (20).to_bytes(8, "little") + b"{not json, not a header}"}
    for name, data in hostile.items():
        (folder / f"bad-{name}.safetensors").write_bytes(data)
    (folder / "bad-folder.safetensors").mkdir()
    for i in range(NAMED):
        path = folder / f"many-{i:03d}.safetensors"
        path.write_bytes(softmax)
        update_metadata(path, name=f"many-{i:03d}")
    for i in range(FILES - NAMED - len(hostile) - 1):
        (folder / f"copy-{i:03d}.safetensors").write_bytes(softmax)
    assert len(list(folder.iterdir())) == FILES
    return folder


@pytest.fixture
def user_folder(many_files, mnistpad_home) -> Path:
    """This test's user folder, its models folder holding the FILES files (fresh copies:
    a header read is trusted again only once its file is two seconds old)."""
    shutil.copytree(many_files, user_models_dir())
    return user_models_dir()


@pytest.fixture
def header_reads(monkeypatch) -> collections.Counter:
    """How many times the catalog read each file's header."""
    reads: collections.Counter = collections.Counter()
    original = registry.read_info

    def counted(path):
        reads[Path(path)] += 1
        return original(path)

    monkeypatch.setattr(registry, "read_info", counted)
    return reads


@pytest.fixture
def weight_loads(monkeypatch) -> list[Path]:
    """The model files whose weights were loaded (torch), in order."""
    loads: list[Path] = []
    original = classify_module.load_model

    def counted(path, *args, **kwargs):
        loads.append(Path(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(classify_module, "load_model", counted)
    return loads


def _run(*argv) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main([str(a) for a in argv])


def test_models_lists_every_file_reading_each_header_once(user_folder, header_reads,
                                                          weight_loads):
    assert _run("models", "--json") == 0
    assert max(header_reads.values()) == 1
    assert {p for p in header_reads if p.parent == user_folder} == \
        set(user_folder.iterdir())
    assert weight_loads == []


def test_classify_with_a_named_model_loads_that_model_alone(user_folder, header_reads,
                                                            weight_loads, tmp_path):
    png = tmp_path / "seven.png"
    from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes

    pixels = np.asarray(digit_from_strokes([PenStroke.of(SEVEN)])).reshape(28, 28)
    Image.fromarray((255 * pixels).astype("uint8")).save(png)
    assert _run("classify", "--model", "xavier", png) == 0
    assert weight_loads == [shipped_models_dir() / "xavier.safetensors"]
    assert max(header_reads.values(), default=0) <= 1
    # a shipped model named: none of the user folder's 200 headers is read
    assert not any(p.parent == user_folder for p in header_reads)


def test_a_name_is_found_reading_the_headers_only_up_to_its_file(user_folder, header_reads):
    from mnistpad.core.models.registry import find_model

    assert resolve_model("xavier") == shipped_models_dir() / "xavier.safetensors"
    assert not any(p.parent == user_folder for p in header_reads)  # shipped: none of these
    header_reads.clear()
    assert resolve_model("many-007") == user_folder / "many-007.safetensors"
    assert max(header_reads.values()) == 1
    assert user_folder / "many-008.safetensors" not in header_reads
    # the file scan lists under the name: the shipped softmax, not a copy named so too
    assert find_model("softmax").path == scan().find("softmax").path == \
        shipped_models_dir() / "softmax.safetensors"
    with pytest.raises(ModelFileError, match=r"no saved model named 'nothing'.*many-159"):
        resolve_model("nothing")


def test_the_window_with_200_files_reads_each_header_once_and_each_drawing_once_per_model(
        user_folder, header_reads, qtbot, monkeypatch, draw_strokes):
    """Drawn at once, while the models arrive: every model reads the drawing once, however
    many times the every-model table is listed again; the model list is filled again when
    the catalog or the active model changes, never for each model that arrives."""
    from mnistpad.ui.shell import model_picker
    from mnistpad.ui.shell.main_window import MainWindow

    readings: collections.Counter = collections.Counter()
    predict = Classifier.predict

    def counted_predict(self, pixels):
        readings[(self.info.path, np.asarray(pixels).tobytes())] += 1
        return predict(self, pixels)

    fills = []
    fill = model_picker.ModelPicker.fill
    monkeypatch.setattr(Classifier, "predict", counted_predict)
    monkeypatch.setattr(model_picker.ModelPicker, "fill",
                        lambda self, *a: (fills.append(1), fill(self, *a))[1])
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    draw_strokes(window.canvas, [SEVEN])
    qtbot.waitUntil(lambda: window.state.models_ready, timeout=300_000)
    window.draw.update_comparison()
    assert max(header_reads.values()) == 1  # the window's start-up: each header once
    listed = window.state.models()
    assert window.picker.count() == len(listed) == len(scan().models) > NAMED
    drawing = np.asarray(window.state.pixels).tobytes()
    user_models = [m.path for m in listed if m.path.parent == user_folder]
    assert len(user_models) == NAMED
    assert all(readings[(path, drawing)] == 1 for path in user_models)
    assert len(fills) < 10  # 160 models arrived
    window.close()
