"""Fixtures of the fault suite: the window fixtures of tests/ui, and the mnistpad command run
in a child process under a memory limit."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from ui.conftest import (  # noqa: F401 - fixtures shared with the window's own tests
    draw_strokes,
    no_thread_left_running,
    stroke_samples,
    window,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Address space the command may take beyond what importing it takes: far below what the
# absurd files and images asked for (9 GB, 2.4-2.8 GB), far above what reading a digit needs.
HEADROOM = 1 << 30


def child_env(home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "MNISTPAD_HOME": str(home),
            "QT_QPA_PLATFORM": "offscreen"}


@pytest.fixture(scope="session")
def import_footprint(tmp_path_factory) -> int:
    """Peak address space (bytes) of a child that imports what ``mnistpad classify`` does."""
    home = tmp_path_factory.mktemp("footprint-home")
    code = ("import mnistpad.cli, mnistpad.core.reading.classify, mnistpad.core.data.preprocess, "
            "mnistpad.core.models.registry; print(open('/proc/self/status').read())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=child_env(home), timeout=120, check=True).stdout
    peak = next(line for line in out.splitlines() if line.startswith("VmPeak:"))
    return int(peak.split()[1]) * 1024


@pytest.fixture
def mnistpad_cli(mnistpad_home, import_footprint):
    """``mnistpad_cli(*args)``: run ``python -m mnistpad ARGS`` in a child with the user
    folder of this test, its address space capped at the import footprint plus
    :data:`HEADROOM` (RLIMIT_AS); returns the CompletedProcess (text)."""
    limit = import_footprint + HEADROOM

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def run(*args, timeout: float = 180):
        return subprocess.run([sys.executable, "-m", "mnistpad", *map(str, args)],
                              capture_output=True, text=True, env=child_env(mnistpad_home),
                              cwd=PROJECT_ROOT, timeout=timeout, preexec_fn=cap)

    return run


@pytest.fixture
def mnistpad_main(capsys):
    """``mnistpad_main(*args)``: the command run in this process (for faults that need no
    memory cap); returns a CompletedProcess like :func:`mnistpad_cli`'s."""
    from mnistpad.cli import main

    def run(*args):
        argv = [str(a) for a in args]
        try:
            status = main(argv)
        except SystemExit as exc:
            status = exc.code
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(argv, status, out, err)

    return run


def one_line_error(proc: subprocess.CompletedProcess, *fragments: str) -> str:
    """The command failed with exit 1 and one ``mnistpad: error:`` line (warnings aside)
    holding ``fragments``, and no traceback."""
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if not line.startswith("warning: ")]
    assert proc.returncode == 1, proc.stderr
    assert len(errors) == 1 and errors[0].startswith("mnistpad: error: "), proc.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: compared before and after a refusal."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}
