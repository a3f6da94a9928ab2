"""Round four, fault 8: a log that cannot be written (its path a folder, its folder a file, a
full disk, a file size limit, a folder where a rotated file goes, a named pipe) costs one
line on stderr saying so and why, once; never logging's "--- Logging error ---" traceback
for each record, nor a record's own traceback on stderr, nor a wait."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mnistpad.core.platform import log
from mnistpad.core.platform.log import log_dir, log_file, setup_logging

from .conftest import PROJECT_ROOT, child_env

pytestmark = pytest.mark.usefixtures("detached_log")


def _log_errors(times: int = 3) -> None:
    """What the command line does for each failure: set the log up, log the error with its
    traceback."""
    for _ in range(times):
        try:
            raise RuntimeError("a failure")
        except RuntimeError as exc:
            setup_logging().getChild("cli").error("RuntimeError: %s", exc, exc_info=exc)


def _one_warning(err: str) -> str:
    assert "Traceback" not in err and "Logging error" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("warning: ") and str(log_file()) in lines[0], lines[0]
    return lines[0]


def test_8_the_log_path_a_folder(capsys):
    log_file().mkdir(parents=True)
    _log_errors()
    assert "directory" in _one_warning(capsys.readouterr().err).lower()


def test_8_the_log_folder_a_file(capsys):
    log_dir().parent.mkdir(parents=True, exist_ok=True)
    log_dir().write_text("not a folder")
    _log_errors()
    _one_warning(capsys.readouterr().err)


def test_8_a_full_disk(capsys):
    """The disk fills up after the log was opened: /dev/full answers every write ENOSPC."""
    logger = setup_logging()
    (handler,) = [h for h in logger.handlers if isinstance(h, logging.FileHandler)]
    handler.stream.close()
    handler.stream = open("/dev/full", "a", encoding="utf-8")  # noqa: SIM115 - closed by it
    _log_errors()
    assert "No space left" in _one_warning(capsys.readouterr().err)


def test_8_a_folder_where_a_rotated_file_goes(capsys, monkeypatch):
    monkeypatch.setattr(log, "MAX_BYTES", 2_000)
    log_dir().mkdir(parents=True)
    for name in ("mnistpad.log", "mnistpad.log.1", "mnistpad.log.2"):
        (log_dir() / name).write_text("old\n")
    (log_dir() / "mnistpad.log.3" / "inside").mkdir(parents=True)
    logger = setup_logging()
    for _ in range(20):
        logger.info("x" * 500)
    _log_errors()
    _one_warning(capsys.readouterr().err)


def test_8_a_read_only_log_folder(capsys, monkeypatch):
    """As a user who cannot write the folder (root can, so opening in it is refused as the
    system refuses it to anyone else)."""
    real_open = os.open

    def refuse_in_log_dir(path, *args, **kwargs):
        if Path(path).parent == log_dir():
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    log_dir().mkdir(parents=True)
    monkeypatch.setattr(log.os, "open", refuse_in_log_dir)
    _log_errors()
    _one_warning(capsys.readouterr().err)


def test_8_a_named_pipe_at_the_log_is_not_waited_on(capsys):
    log_dir().mkdir(parents=True)
    os.mkfifo(log_file())
    worker = threading.Thread(target=_log_errors, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # let the blocked writer go: open and close the reading end
        os.close(os.open(log_file(), os.O_RDONLY | os.O_NONBLOCK))
        worker.join(20)
        pytest.fail("setting the log up waited on a named pipe")
    _one_warning(capsys.readouterr().err)


def test_8_a_file_size_limit(mnistpad_home):
    """RLIMIT_FSIZE (what a quota or ``ulimit -f`` gives): writes past it fail with EFBIG."""
    code = ("import resource\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (1500, 1500))\n"
            "from mnistpad.core.platform.log import setup_logging\n"
            "for n in range(20):\n"
            "    try:\n"
            "        raise RuntimeError('a failure')\n"
            "    except RuntimeError as exc:\n"
            "        setup_logging().error('RuntimeError %s', 'x' * 300, exc_info=exc)\n"
            "print('went on')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=child_env(mnistpad_home), cwd=PROJECT_ROOT, timeout=60)
    assert proc.returncode == 0 and proc.stdout == "went on\n", proc.stderr
    assert "Traceback" not in proc.stderr and "Logging error" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: "), proc.stderr
    assert "mnistpad.log" in lines[0] and "too large" in lines[0].lower(), lines[0]


def test_8_a_name_that_is_not_utf8_is_logged_escaped(capsys):
    """A file name with bytes that are not UTF-8 (surrogate escapes) in a record is written
    escaped, not answered with a traceback on stderr."""
    name = os.fsdecode(b"/tmp/caf\xe9.png")
    setup_logging().getChild("ui").warning("cannot open image %s", name)
    assert capsys.readouterr().err == ""
    assert "cannot open image /tmp/caf\\udce9.png" in log_file().read_text()


def test_8_a_writable_log_still_gets_every_record(capsys):
    _log_errors(2)
    assert capsys.readouterr().err == ""
    text = log_file().read_text()
    assert text.count(" ERROR mnistpad.cli ") == 2 and "Traceback" in text
