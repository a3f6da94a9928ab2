"""Event-loop stalls while the GUI trains, and the GUI run's epoch time against the CLI's.

    python bench/gui_training.py [--variant dropout] [--data ../shared/mnist]

Trains one epoch of the variant through the training tab's own code path (TrainingPanel ->
TrainingRun -> TrainWorker in a QThread) while a 5 ms timer on the GUI thread records how
late each tick fires; a stall is the lateness beyond the interval. Then the same epoch
through the command line (``mnistpad train VARIANT --epochs 1 --json``, its own process).
GUI and CLI runs alternate, three each by default. Targets: max stall under 50 ms, p99 under
20 ms, in every GUI run; the GUI's median epoch time within 10% of the CLI's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import _common  # noqa: E402 - puts this checkout first on the import path

ROOT = _common.REPO_ROOT
RESULTS = _common.RESULTS_DIR
TICK_MS = 5


def gui_epoch(variant: str, data_dir: Path) -> dict:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from mnistpad.ui.app import create_main_window

    window = create_main_window(wait_for_models=True)
    panel = window.training
    panel.data_dir = data_dir
    panel.variant.setCurrentIndex(panel.variant.findData(variant))
    panel.epochs.setValue(1)

    gaps: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(TICK_MS)

    def on_tick():
        gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()

    ticker.timeout.connect(on_tick)
    loop = QEventLoop()
    outcome = {}
    panel.runEnded.connect(lambda kind, detail: (outcome.update(kind=kind, detail=detail),
                                                 loop.quit()))
    epoch_seconds = []
    panel_progress = panel.on_progress

    def spy(records):
        epoch_seconds.extend(r.epoch_seconds for r in records if r.kind == "epoch")
        panel_progress(records)

    panel.on_progress = spy
    started = panel.start()
    assert started
    panel.run.worker.progressed.disconnect()
    panel.run.worker.progressed.connect(spy)
    clock.start()
    ticker.start()
    wall = time.perf_counter()
    loop.exec()
    wall = time.perf_counter() - wall
    ticker.stop()
    window.close()
    if outcome.get("kind") != "finished":
        raise SystemExit(f"GUI run did not finish: {outcome}")
    stalls = sorted(max(0.0, g - TICK_MS) for g in gaps[1:])
    return {
        "epoch_s": epoch_seconds[0],
        "wall_s": wall,
        "ticks": len(stalls),
        "max_stall_ms": stalls[-1],
        "p99_stall_ms": stalls[int(0.99 * (len(stalls) - 1))],
        "median_stall_ms": stalls[len(stalls) // 2],
    }


def cli_epoch(variant: str, data_dir: Path, out_dir: Path) -> float:
    """One epoch through the real command line, ``mnistpad train VARIANT --epochs 1``, in a
    fresh process as a user runs it; its own per-epoch time from ``--json``."""
    out = subprocess.run(
        [sys.executable, "-m", "mnistpad", "train", variant, "--epochs", "1", "--json",
         "--device", "cpu", "--data", str(data_dir), "--out", str(out_dir / f"{variant}.safetensors")],
        capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise SystemExit(f"mnistpad train failed:\n{out.stderr}")
    epochs = [json.loads(line) for line in out.stdout.splitlines() if '"epoch"' in line]
    return epochs[0]["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="dropout")
    parser.add_argument("--data", help="MNIST folder holding MNIST/raw/ (default: as the "
                                        "other benchmarks, see bench/README.md)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="GUI and CLI epochs each, alternating; times are medians")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="mnistpad-bench-"))
    os.environ["MNISTPAD_HOME"] = str(home)
    data_dir = _common.data_dir(args.data)
    guis, clis = [], []
    for r in range(args.repeats):
        for kind in (("gui", "cli") if r % 2 == 0 else ("cli", "gui")):
            if kind == "gui":
                guis.append(gui_epoch(args.variant, data_dir))
            else:
                clis.append(cli_epoch(args.variant, data_dir, home))
    gui_s = statistics.median(g["epoch_s"] for g in guis)
    cli_s = statistics.median(clis)
    ratio = gui_s / cli_s
    worst = {key: max(g[key] for g in guis) for key in ("max_stall_ms", "p99_stall_ms")}
    print(f"One epoch of {args.variant} on the CPU ({os.cpu_count()} cores), {args.repeats} GUI "
          f"and {args.repeats} CLI runs, alternating")
    print(f"GUI thread timer every {TICK_MS} ms, {sum(g['ticks'] for g in guis)} ticks during "
          f"the GUI runs (worst run):")
    print(f"  max stall {worst['max_stall_ms']:.1f} ms (target < 50)  "
          f"{'PASS' if worst['max_stall_ms'] < 50 else 'FAIL'}")
    print(f"  p99 stall {worst['p99_stall_ms']:.1f} ms (target < 20)  "
          f"{'PASS' if worst['p99_stall_ms'] < 20 else 'FAIL'}")
    print(f"  median stall {statistics.median(g['median_stall_ms'] for g in guis):.2f} ms")
    print(f"epoch time (median): GUI {gui_s:.2f} s {[round(g['epoch_s'], 2) for g in guis]}, "
          f"CLI {cli_s:.2f} s {[round(c, 2) for c in clis]}, ratio {ratio:.3f} "
          f"(target <= 1.10)  {'PASS' if ratio <= 1.10 else 'FAIL'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "gui_training.json").write_text(json.dumps(
        {"variant": args.variant, "gui_runs": guis, "cli_epoch_s": clis, "gui_median_s": gui_s,
         "cli_median_s": cli_s, "ratio": ratio, **worst,
         "python": sys.version.split()[0], "cpus": os.cpu_count()}, indent=1))


if __name__ == "__main__":
    main()
