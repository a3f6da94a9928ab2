"""Helpers shared by the benchmark scripts: import path, data folder, environment, tables,
result files. Nothing here (or in the scripts) imports Qt."""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import resource
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"

# Benchmark the checkout these scripts live in, not an installed mnistpad.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
# The tests' own tools (``ui.replay``: drawing with real mouse events) serve the benchmarks too.
if str(REPO_ROOT / "tests") not in sys.path:
    sys.path.append(str(REPO_ROOT / "tests"))

QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph")


def data_dir(cli_value: str | None) -> Path:
    """``--data``, else MNISTPAD_DATA, else ``../shared/mnist`` next to the checkout (the
    development copy of full MNIST), else mnistpad's own default."""
    from mnistpad.core.platform.paths import resolve_data_dir

    if cli_value or os.environ.get("MNISTPAD_DATA"):
        return resolve_data_dir(cli_value)
    shared = REPO_ROOT.parent / "shared" / "mnist"
    if (shared / "MNIST" / "raw").is_dir():
        return shared
    return resolve_data_dir(None)


def assert_no_qt() -> None:
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in QT_MODULES)
    if loaded:
        raise SystemExit(f"benchmark imported Qt modules: {', '.join(loaded)}")


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def cpu_pressure() -> str:
    """The 'some' line of Linux PSI for the CPU: the share of time runnable tasks waited."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return "?"
    return " ".join(line.split()[1:4])


def peak_rss_mib() -> float:
    """ru_maxrss of this process (KiB on Linux): its peak so far, never decreasing."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10)
        return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "?"


def environment(threads: int | None = None) -> dict:
    import torch

    return {
        "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "torch_threads": threads if threads is not None else torch.get_num_threads(),
        "loadavg_start": loadavg(),
        "cpu_pressure_start": cpu_pressure(),
    }


def table(headers: list[str], rows: list[list], align: str | None = None) -> str:
    """A plain-text table; ``align`` is one 'l' or 'r' per column (default: first column
    left, the rest right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def fmt(row):
        return "  ".join(c.ljust(w) if a == "l" else c.rjust(w)
                         for c, w, a in zip(row, widths, align, strict=True)).rstrip()

    lines = [fmt(cells[0]), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in cells[1:]]
    return "\n".join(lines)


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name: str, payload: dict, markdown: str) -> tuple[Path, Path]:
    """``bench/results/<name>.json`` and ``<name>.md``; returns both paths."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    payload = dict(payload)
    payload.setdefault("environment", {})["loadavg_end"] = loadavg()
    payload["environment"]["cpu_pressure_end"] = cpu_pressure()
    json_path = RESULTS_DIR / f"{name}.json"
    md_path = RESULTS_DIR / f"{name}.md"
    json_path.write_text(json.dumps(payload, indent=1) + "\n")
    env = payload["environment"]
    env_line = ", ".join(f"{k} {v}" for k, v in env.items())
    md_path.write_text(f"{markdown.rstrip()}\n\nEnvironment: {env_line}\n")
    return json_path, md_path


def pct(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{100 * value:.{digits}f}%"
