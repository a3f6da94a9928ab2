"""The MNIST folder, given once, is used by every later command; the log file keeps the
tracebacks behind the CLI's one-line errors."""

from __future__ import annotations

import json
import logging
import os
import shutil

import pytest

import mnistpad.cli as cli_module
from mnistpad.core.platform.config import config_path, read_config
from mnistpad.core.platform.log import log_dir, log_file, setup_logging
from mnistpad.core.platform.paths import data_dir_choice, default_data_dir, remember_data_dir


def test_eval_with_data_once_then_without(cli, mnist_dir, mnistpad_home):
    """`mnistpad eval softmax --data DIR` once; then `mnistpad eval softmax` alone reads the
    same folder (no --data, no MNISTPAD_DATA)."""
    assert "MNISTPAD_DATA" not in os.environ
    status, _, err = cli("eval", "softmax", "--json")
    assert status == 1 and str(default_data_dir()) in err  # nothing remembered yet

    status, out, err = cli("eval", "softmax", "--data", mnist_dir, "--json")
    assert status == 0, err
    first = json.loads(out)
    assert read_config(mnistpad_home)["data_dir"] == str(mnist_dir)

    status, out, err = cli("eval", "softmax", "--json")
    assert status == 0, err
    again = json.loads(out)
    assert again["samples"] == first["samples"] == 500
    assert again["test_acc"] == first["test_acc"]
    assert data_dir_choice() == (mnist_dir, "settings")


def test_a_data_folder_without_mnist_is_not_remembered(cli, tmp_path, mnistpad_home):
    empty = tmp_path / "empty"
    empty.mkdir()
    status, _, err = cli("eval", "softmax", "--data", empty)
    assert status == 1 and err.count("\n") == 1
    assert "data_dir" not in read_config(mnistpad_home)
    assert data_dir_choice() == (default_data_dir(), "default")


def test_the_order_of_the_choices(mnist_dir, tmp_path, monkeypatch):
    assert data_dir_choice() == (default_data_dir(), "default")
    assert remember_data_dir(tmp_path) is False  # no MNIST there
    assert remember_data_dir(mnist_dir) is True
    assert data_dir_choice() == (mnist_dir, "settings")
    monkeypatch.setenv("MNISTPAD_DATA", str(tmp_path / "env"))
    assert data_dir_choice() == (tmp_path / "env", "MNISTPAD_DATA")
    assert data_dir_choice(tmp_path / "cli") == (tmp_path / "cli", "--data")


def test_the_old_settings_ini_is_read_once(mnist_dir, tmp_path, mnistpad_home):
    """The window kept the folder in settings.ini (QSettings quotes a value with a comma);
    it answers while config.json has none, and is copied there."""
    odd = tmp_path / "my, MNIST"
    odd.mkdir()
    shutil.copytree(mnist_dir / "MNIST", odd / "MNIST")
    ini = mnistpad_home / "settings.ini"
    ini.write_text(f'[General]\npen_width=24\ndata_dir="{odd}"\n\n[other]\ndata_dir=/nowhere\n')
    assert data_dir_choice() == (odd, "settings")
    assert read_config(mnistpad_home)["data_dir"] == str(odd)
    ini.write_text("[General]\ndata_dir=/somewhere/else\n")
    assert data_dir_choice() == (odd, "settings")


def test_a_settings_ini_folder_without_mnist_is_not_taken(tmp_path, mnistpad_home):
    (mnistpad_home / "settings.ini").write_text(f"[General]\ndata_dir={tmp_path}\n\x00\xff")
    assert data_dir_choice() == (default_data_dir(), "default")
    assert read_config(mnistpad_home) == {}


def test_a_damaged_config_file_reads_as_nothing_remembered(mnist_dir, mnistpad_home):
    config_path(mnistpad_home).write_text("{not json")
    assert data_dir_choice() == (default_data_dir(), "default")
    assert remember_data_dir(mnist_dir)
    assert json.loads(config_path(mnistpad_home).read_text()) == {"data_dir": str(mnist_dir)}


def test_a_cli_error_is_one_line_and_its_traceback_is_logged(cli, mnistpad_home):
    status, _, err = cli("eval", "no-such-model")
    assert status == 1 and err.count("\n") == 1 and "no saved model named" in err
    text = log_file().read_text()
    assert log_file().parent == mnistpad_home / "logs"
    assert "Traceback (most recent call last)" in text and "ModelFileError" in text
    assert "mnistpad " in text and "Python " in text  # the versions, first


def test_an_unexpected_exception_is_one_line_too(cli, monkeypatch):
    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setitem(cli_module.COMMANDS, "models", broken)
    status, _, err = cli("models")
    assert status == 1 and err.count("\n") == 1
    assert "unexpected RuntimeError: a bug" in err and str(log_file()) in err
    assert 'raise RuntimeError("a bug")' in log_file().read_text()


def test_setup_logging_is_idempotent_and_follows_the_user_folder(tmp_path, monkeypatch):
    logger = setup_logging()
    setup_logging()
    files = [h for h in logger.handlers if isinstance(h, logging.FileHandler)]
    assert len(files) == 1
    logger.info("one")
    assert log_file().read_text().count("started: mnistpad ") == 1
    monkeypatch.setenv("MNISTPAD_HOME", str(tmp_path / "other"))
    setup_logging().info("two")
    assert "two" in log_file().read_text() and log_dir() == tmp_path / "other" / "logs"
    assert len([h for h in logger.handlers if isinstance(h, logging.FileHandler)]) == 1


def test_the_log_rotates(monkeypatch):
    logger = setup_logging()
    line = "x" * 2000
    for _ in range(2500):  # about 5 MB
        logger.info(line)
    names = sorted(p.name for p in log_dir().iterdir())
    assert names == ["mnistpad.log", "mnistpad.log.1", "mnistpad.log.2", "mnistpad.log.3"]
    assert all(p.stat().st_size <= 1_010_000 for p in log_dir().iterdir())


pytestmark = pytest.mark.usefixtures("detached_log")


def test_an_old_settings_ini_folder_with_escapes_is_read_as_qsettings_wrote_it(
        mnist_dir, tmp_path, mnistpad_home):
    """QSettings escapes a backslash, a quote and a tab (and quotes a value with a comma or
    a semicolon): the folder is read back exactly, and copied into config.json."""
    from PySide6.QtCore import QSettings

    odd = tmp_path / 'C:\\Users\\김 "Ann"\tdata, 1;2'
    odd.mkdir()
    shutil.copytree(mnist_dir / "MNIST", odd / "MNIST")
    store = QSettings(str(mnistpad_home / "settings.ini"), QSettings.Format.IniFormat)
    store.setValue("data_dir", str(odd))
    store.sync()
    assert data_dir_choice() == (odd, "settings")
    assert read_config(mnistpad_home)["data_dir"] == str(odd)
