"""Event-loop stalls while the GUI trains, and the GUI run's epoch time against the CLI's.

    python bench/gui_training.py [--variant dropout] [--data ../shared/mnist]

Trains one epoch of the variant through the training tab's own code path (TrainingPanel ->
TrainingRun -> TrainWorker in a QThread) while a 5 ms timer on the GUI thread records how
late each tick fires; a stall is the lateness beyond the interval. Then the same epoch
through the core loop the CLI uses, in the same process. Targets: max stall under 50 ms,
p99 under 20 ms; GUI epoch time within 10% of the CLI's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
TICK_MS = 5


def gui_epoch(variant: str, data_dir: Path) -> dict:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from mnistpad.ui.app import create_main_window

    window = create_main_window()
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


def cli_epoch(variant: str, data_dir: Path) -> float:
    from mnistpad.core.data import load_mnist
    from mnistpad.core.train import train
    from mnistpad.core.variants import lab_spec
    from mnistpad.ui.worker import training_threads

    data = load_mnist(data_dir)
    result = train(lab_spec(variant).with_overrides(epochs=1), data, device="cpu",
                   threads=training_threads())
    return result.epoch_seconds[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="dropout")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "mnist"))
    args = parser.parse_args()
    os.environ["MNISTPAD_HOME"] = tempfile.mkdtemp(prefix="mnistpad-bench-")
    data_dir = Path(args.data)
    gui = gui_epoch(args.variant, data_dir)
    cli = cli_epoch(args.variant, data_dir)
    ratio = gui["epoch_s"] / cli
    print(f"One epoch of {args.variant} on the CPU ({os.cpu_count()} cores)")
    print(f"GUI thread timer every {TICK_MS} ms, {gui['ticks']} ticks during the run:")
    print(f"  max stall {gui['max_stall_ms']:.1f} ms (target < 50)  "
          f"{'PASS' if gui['max_stall_ms'] < 50 else 'FAIL'}")
    print(f"  p99 stall {gui['p99_stall_ms']:.1f} ms (target < 20)  "
          f"{'PASS' if gui['p99_stall_ms'] < 20 else 'FAIL'}")
    print(f"  median stall {gui['median_stall_ms']:.2f} ms")
    print(f"epoch time: GUI {gui['epoch_s']:.2f} s, CLI {cli:.2f} s, ratio {ratio:.3f} "
          f"(target <= 1.10)  {'PASS' if ratio <= 1.10 else 'FAIL'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "gui_training.json").write_text(json.dumps(
        {"variant": args.variant, "gui": gui, "cli_epoch_s": cli, "ratio": ratio,
         "python": sys.version.split()[0], "cpus": os.cpu_count()}, indent=1))


if __name__ == "__main__":
    main()
