"""The model active in the window, remembered in config.json (key "model", its path as text)
and read back by the commands exactly: a Windows path's backslashes, quotes, tabs, spaces
and Korean included. A user upgrading has it in the window's old settings.ini, read as
QSettings reads it until config.json holds one."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import save_file

from mnistpad.cli import main
from mnistpad.core.files.modelfile import build_metadata
from mnistpad.core.models.active import active_model, active_model_words, remembered_model_path
from mnistpad.core.models.registry import scan
from mnistpad.core.models.variants import build_model, lab_spec
from mnistpad.core.platform.config import config_path, old_setting, read_config, update_config

WINDOWS_PATH = 'C:\\Users\\김 "Ann" O\'Neil\\models\\\tnew  model, 1.safetensors'
ODD_PATHS = [
    WINDOWS_PATH,
    "\\\\server\\share\\mnist\\t1\\n2.safetensors",
    "/home/ann/my, models/x;y=z.safetensors",
    " leading and trailing spaces ",
    "trailing tab\t",
    "@at the start",
    "/tmp/한국어 모델/😀 \x01\x7f\\x41.safetensors",
    "ends with a backslash\\",
]


def _qsettings_write(folder, **values) -> None:
    """What the window wrote before (QSettings, INI format), beside the keys it keeps."""
    from PySide6.QtCore import QSettings

    store = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    store.setValue("geometry", b"\x01\x02%(odd)s")
    for key, value in values.items():
        store.setValue(key, value)
    store.beginGroup("other")
    store.setValue("model", "/not/this/one")
    store.endGroup()
    store.sync()


@pytest.mark.parametrize("text", ODD_PATHS)
def test_a_path_round_trips_through_config_json_exactly(text, mnistpad_home):
    update_config(mnistpad_home, model=text)
    assert read_config(mnistpad_home)["model"] == text
    assert str(remembered_model_path()) == text
    assert json.loads(config_path(mnistpad_home).read_text(encoding="utf-8"))["model"] == text


def test_a_windows_path_is_remembered_and_read_back_as_it_was(mnistpad_home):
    update_config(mnistpad_home, model=WINDOWS_PATH, data_dir="/kept")
    assert remembered_model_path().as_posix() == WINDOWS_PATH  # one name on POSIX, as is
    update_config(mnistpad_home, model=None)
    assert remembered_model_path() is None and read_config(mnistpad_home) == {
        "data_dir": "/kept"}


@pytest.mark.parametrize("text", ODD_PATHS)
def test_the_old_settings_ini_is_read_as_qsettings_reads_it(text, mnistpad_home):
    from PySide6.QtCore import QSettings

    _qsettings_write(mnistpad_home, model=text)
    written = QSettings(str(mnistpad_home / "settings.ini"), QSettings.Format.IniFormat)
    assert written.value("model") == text
    assert old_setting(mnistpad_home, "model") == text
    assert str(remembered_model_path()) == text


def test_config_json_wins_over_the_old_settings_ini(mnistpad_home):
    _qsettings_write(mnistpad_home, model="/old/one.safetensors")
    assert str(remembered_model_path()) == "/old/one.safetensors"
    update_config(mnistpad_home, model="/new/one.safetensors")
    assert str(remembered_model_path()) == "/new/one.safetensors"


@pytest.mark.parametrize(("ini", "read"), [
    (b"[General]\nmodel=a, b\n", None),  # a list, not a path
    (b"[General]\nmodel=@ByteArray(abc)\n", None),
    (b"[General]\nmodel=\\\xea\xb0\x80x\n", None),  # an escaped byte of a Korean letter
    (b"[General]\nmodel=\n", ""),
    (b"[other]\nmodel=/elsewhere\n", None),
    (b"; [General]\n; model=/commented\n", None),
    (b"\xff\xfe\x00garbage", None),
])
def test_an_old_value_that_is_not_one_path_gives_none(ini, read, mnistpad_home):
    (mnistpad_home / "settings.ini").write_bytes(ini)
    assert old_setting(mnistpad_home, "model") == read
    assert remembered_model_path() is None


def test_a_config_value_that_is_not_a_path_gives_none(mnistpad_home):
    _qsettings_write(mnistpad_home, model="/old/one.safetensors")
    update_config(mnistpad_home, model=12)
    assert remembered_model_path() is None  # config.json has one: the old file is not read
    update_config(mnistpad_home, model="")
    assert remembered_model_path() is None


def _model_file(path, name: str):
    spec = lab_spec("softmax")
    torch.manual_seed(0)
    state = build_model(spec).state_dict()
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in state.items()}, path,
              metadata=build_metadata(name, spec))
    return path


def test_the_commands_use_the_model_remembered_at_a_windows_style_path(
        tmp_path_factory, monkeypatch, mnist, capsys):
    """The user's folder itself has backslashes, quotes, a tab, spaces and Korean in its
    name: the window remembers a model there, and classify and --help use it."""
    home = tmp_path_factory.mktemp("home") / 'C:\\Users\\김 "Ann"\t O\'Neil'
    monkeypatch.setenv("MNISTPAD_HOME", str(home))
    mine = _model_file(home / "models" / "내 모델 \"1\".safetensors", "mine")
    update_config(home, model=str(mine))  # what the window does when it becomes active

    assert remembered_model_path() == mine
    assert active_model(scan()).path == mine
    assert active_model_words() == f"the model active in the app, now {mine.stem}"
    image = tmp_path_factory.mktemp("pictures") / "d.png"
    pixels = mnist.test.images[0].view(28, 28).numpy()
    Image.fromarray((pixels * 255).astype(np.uint8)).save(image)
    assert main(["classify", str(image), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["model"] == "mine"
