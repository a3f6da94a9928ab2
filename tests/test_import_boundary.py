"""The core and the CLI never import Qt: they work (and are tested) with no display at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import importlib, json, pkgutil, sys
import mnistpad.core
names = ["mnistpad.cli"] + [
    info.name for info in pkgutil.walk_packages(mnistpad.core.__path__, "mnistpad.core.")
]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "pyqtgraph", "shiboken6"))
print(json.dumps({"imported": names, "qt": qt}))
"""


def test_core_and_cli_import_no_qt():
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=PROJECT_ROOT,
        timeout=120, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    # the probe saw the whole core, so an empty list below means something
    for module in ("classify", "data", "modelfile", "paths", "preprocess", "registry", "train",
                   "variants", "errors"):
        assert f"mnistpad.core.{module}" in report["imported"]
    assert report["qt"] == []

