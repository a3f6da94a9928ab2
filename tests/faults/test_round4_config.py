"""Round four, fault 9: ``config.json`` is read bounded, as a regular file, and only as a JSON
object of sane values (strings, booleans, integers a float holds, finite numbers); what is
not is ignored with one warning line, and only sane values are written. A value too large
for a float ended every ``--data`` command in a traceback, a named pipe hung ``paths`` and
``eval``, a link to /dev/zero took gigabytes."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
from argparse import Namespace

import pytest

from mnistpad.cli.common import remember_data_option
from mnistpad.core.platform.config import config_path, read_config, update_config
from mnistpad.core.platform.errors import SaveError
from mnistpad.core.platform.paths import data_dir_choice

from .conftest import PROJECT_ROOT, child_env


def _warnings(err: str) -> list[str]:
    assert "Traceback" not in err, err
    return [line for line in err.splitlines() if line.startswith("warning: ")]


def test_9_a_number_too_large_for_a_float_does_not_stop_remembering_the_data(
        mnistpad_home, mnist_dir, capsys):
    """What every ``--data`` command does last (cli.main's finally), with {"x": 1e999}."""
    config_path(mnistpad_home).write_text('{"x": 1e999, "kept": "yes"}')
    remember_data_option(Namespace(data=str(mnist_dir)))
    assert json.loads(config_path(mnistpad_home).read_text()) == {
        "kept": "yes", "data_dir": str(mnist_dir)}
    (warning,) = _warnings(capsys.readouterr().err)
    assert str(config_path(mnistpad_home)) in warning and "x" in warning


@pytest.mark.parametrize("text", [
    '{"x": NaN}', '{"x": -Infinity}', '{"x": 1e999}', '{"x": 1' + "0" * 400 + "}",
    '{"x": [1, 2, {"y": Infinity}]}', '{"x": "a\\u0000b"}',
])
def test_9_values_that_are_not_sane_are_ignored_with_one_warning(text, mnistpad_home, capsys):
    config_path(mnistpad_home).write_text(text[:-1] + ', "data_dir": "/kept"}')
    for _ in range(3):  # read three times, said once
        assert read_config(mnistpad_home) == {"data_dir": "/kept"}
    assert len(_warnings(capsys.readouterr().err)) == 1


@pytest.mark.parametrize("text", ["[1, 2]", '"a string"', "{not json", "\xff\xfe{}",
                                  "[" * 100_000])
def test_9_a_file_that_is_not_a_json_object_reads_as_nothing_with_one_warning(
        text, mnistpad_home, capsys):
    config_path(mnistpad_home).write_bytes(text.encode("latin-1"))
    assert read_config(mnistpad_home) == {} and read_config(mnistpad_home) == {}
    (warning,) = _warnings(capsys.readouterr().err)
    assert str(config_path(mnistpad_home)) in warning


def test_9_no_config_file_is_no_warning(mnistpad_home, capsys):
    assert read_config(mnistpad_home) == {}
    assert capsys.readouterr().err == ""


def test_9_only_finite_values_are_written(mnistpad_home):
    update_config(mnistpad_home, data_dir="/kept")
    before = config_path(mnistpad_home).read_bytes()
    for value in (float("inf"), float("nan"), 10**400):
        with pytest.raises(SaveError, match="x"):
            update_config(mnistpad_home, x=value)
    assert config_path(mnistpad_home).read_bytes() == before


def test_9_a_named_pipe_is_not_waited_on(mnistpad_home, capsys):
    os.mkfifo(config_path(mnistpad_home))
    found: list = []
    worker = threading.Thread(target=lambda: found.append(data_dir_choice()), daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # let the blocked reader go: open and close the writing end
        os.close(os.open(config_path(mnistpad_home), os.O_WRONLY | os.O_NONBLOCK))
        worker.join(20)
        pytest.fail("reading config.json waited on a named pipe")
    assert found and found[0][1] == "default"
    (warning,) = _warnings(capsys.readouterr().err)
    assert "named pipe" in warning


def test_9_a_link_to_dev_zero_is_not_read(mnistpad_home):
    """Read in a child under a 512 MB address-space cap: reading /dev/zero whole fails it."""
    config_path(mnistpad_home).symlink_to("/dev/zero")
    code = ("from mnistpad.core.platform.config import read_config\n"
            f"print(read_config({str(mnistpad_home)!r}))\n")
    limit = 512 << 20

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=child_env(mnistpad_home), cwd=PROJECT_ROOT, timeout=60,
                          preexec_fn=cap)
    assert proc.returncode == 0 and proc.stdout == "{}\n", proc.stderr[-2000:]
    (warning,) = _warnings(proc.stderr)
    assert "device" in warning


def test_9_a_config_file_written_over_a_link_replaces_the_link(mnistpad_home, tmp_path):
    other = tmp_path / "elsewhere.json"
    other.write_text("{}")
    config_path(mnistpad_home).symlink_to(other)
    update_config(mnistpad_home, data_dir="/kept")
    assert other.read_text() == "{}"
    assert not config_path(mnistpad_home).is_symlink()
