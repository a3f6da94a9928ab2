"""The optimizer race: one race against separate training runs, and the window during a race.

    python bench/race.py [--variant xavier] [--data ../shared/mnist] [--repeats 1]

1. ``mnistpad race VARIANT --optimizers sgd,momentum,adagrad,rmsprop,adam --tuned --epochs 1``
   against five ``mnistpad train VARIANT --optimizer X --lr R --epochs 1`` runs at the same
   rates, each a fresh process as a user runs it, wall time from start to exit; race and
   trains alternate. Target: the race takes at most 0.7x the five runs together.
2. The race panel alone in a window races the same five for one epoch while a 5 ms timer on
   the GUI thread records how late each tick fires. Targets: max stall < 50 ms, p99 < 20 ms.
3. The playground plays for two seconds: frames painted per second. Target: >= 30.

Prints the figures, writes bench/results/race.{json,md} with the commit and the machine's
load, and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import _common  # noqa: E402 - puts this checkout first on the import path

from mnistpad.core.lessons.race import RACE_OPTIMIZERS, TUNED_LEARNING_RATES  # noqa: E402

TICK_MS = 5
RATIO_TARGET = 0.7
MAX_STALL_MS, P99_STALL_MS, MIN_FPS = 50.0, 20.0, 30.0


CPU_SECONDS: dict[str, float] = {"race": 0.0, "trains": 0.0}  # children's user + system


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(argv: list[str], kind: str) -> float:
    began, cpu = time.perf_counter(), _children_cpu()
    out = subprocess.run([sys.executable, "-m", "mnistpad", *argv], capture_output=True,
                         text=True, cwd=_common.REPO_ROOT, check=False)
    seconds = time.perf_counter() - began
    CPU_SECONDS[kind] += _children_cpu() - cpu
    if out.returncode != 0:
        raise SystemExit(f"mnistpad {' '.join(argv[:2])} failed:\n{out.stderr}")
    return seconds


def cli_race(variant: str, data_dir: Path) -> float:
    return _timed(["race", variant, "--optimizers", ",".join(RACE_OPTIMIZERS), "--tuned",
                   "--epochs", "1", "--device", "cpu", "--data", str(data_dir), "--json"],
                  "race")


def cli_trains(variant: str, data_dir: Path, out_dir: Path) -> float:
    return sum(_timed(["train", variant, "--optimizer", name, "--lr",
                       str(TUNED_LEARNING_RATES[name]), "--epochs", "1", "--device", "cpu",
                       "--data", str(data_dir), "--out", str(out_dir / f"{name}.safetensors"),
                       "--json"], "trains") for name in RACE_OPTIMIZERS)


def _stalls(gaps: list[float]) -> dict:
    stalls = sorted(max(0.0, g - TICK_MS) for g in gaps[1:])
    return {"ticks": len(stalls), "max_stall_ms": stalls[-1],
            "p99_stall_ms": stalls[int(0.99 * (len(stalls) - 1))],
            "median_stall_ms": stalls[len(stalls) // 2]}


class _Busy:
    """How long the GUI thread spends in the panel's own handlers, and in garbage
    collections (in any thread; a full one holds the GIL), to tell stalls the panel causes
    from those a loaded machine causes."""

    def __init__(self):
        self.handler_ms: list[float] = []
        self.gc_ms: list[float] = []
        self._gc_start = 0.0

    def wrap(self, handler):
        def timed(*args):
            began = time.perf_counter()
            handler(*args)
            self.handler_ms.append(1000 * (time.perf_counter() - began))
        return timed

    def on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            self.gc_ms.append(1000 * (time.perf_counter() - self._gc_start))

    def summary(self) -> dict:
        return {"panel_handler_max_ms": max(self.handler_ms, default=0.0),
                "panel_handler_total_ms": sum(self.handler_ms),
                "gc_max_ms": max(self.gc_ms, default=0.0), "gc_count": len(self.gc_ms)}


def _Relay(handler):
    from PySide6.QtCore import QObject, Slot

    class Relay(QObject):
        @Slot(object)
        def on_progress(self, records) -> None:
            handler(records)

    return Relay()


def gui_race(variant: str, data_dir: Path) -> dict:
    """The race panel alone, as its own window, racing all five for one epoch."""
    import gc

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from mnistpad.ui.lessons.race_panel import RacePanel
    from mnistpad.ui.shell.runtime import set_gui_threads, settle_heap
    from mnistpad.ui.state.jobs import JobRunner

    set_gui_threads(busy=True)  # as the window does while a job runs
    settle_heap()  # as the app does, once, before its window
    runner = JobRunner()
    panel = RacePanel(runner, lambda: data_dir, device="cpu")
    panel.resize(1100, 700)
    panel.show()
    app.processEvents()
    panel.variant.setCurrentIndex(panel.variant.findData(variant))
    panel.epochs.setValue(1)
    panel.all_tuned.click()
    gaps: list[float] = []
    long_ones: list[tuple[float, float]] = []  # (seconds into the race, gap in ms)
    clock, ticker, loop = QElapsedTimer(), QTimer(interval=TICK_MS), QEventLoop()

    def on_tick():
        gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()
        if gaps[-1] > 50 + TICK_MS:
            long_ones.append((round(time.perf_counter() - wall, 2), round(gaps[-1], 1)))

    ticker.timeout.connect(on_tick)
    busy = _Busy()
    panel._redraw.timeout.disconnect()
    panel._redraw.timeout.connect(busy.wrap(panel.on_redraw))  # the timer's own thread
    relay = _Relay(busy.wrap(panel.on_progress))
    gc.callbacks.append(busy.on_gc)
    finished = {}
    panel.raceFinished.connect(lambda data: finished.update(data))
    panel.runningChanged.connect(lambda running: None if running else loop.quit())
    if not panel.start():
        raise SystemExit("the race panel did not start")
    # Records through a GUI-thread QObject's slot, as the panel gets them (a plain function
    # connected to the worker's signal would run in the worker's thread).
    panel.run.worker.progressed.disconnect()
    panel.run.worker.progressed.connect(relay.on_progress)
    clock.start()
    ticker.start()
    wall = time.perf_counter()
    loop.exec()
    wall = time.perf_counter() - wall
    ticker.stop()
    gc.callbacks.remove(busy.on_gc)
    panel.close()
    if not finished:
        raise SystemExit(f"the GUI race did not finish: {panel.status.text()}")
    return {"wall_s": wall, "race_s": finished["seconds"], **_stalls(gaps), **busy.summary(),
            "long_gaps": long_ones}


def gui_training_baseline(variant: str, data_dir: Path, out_dir: Path) -> dict:
    """The same ticker while one epoch of ``variant`` trains through the Train tab's own
    job (training_job), on the same machine at the same moment: the window "as during
    training", which the race is held to."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    QApplication.instance() or QApplication([])
    from mnistpad.core.models.specs import lab_spec
    from mnistpad.ui.state.jobs import JobRunner
    from mnistpad.ui.train.job import TrainRequest, training_job

    window = QWidget()
    window.show()
    runner = JobRunner()
    request = TrainRequest(lab_spec(variant).with_overrides(epochs=1), "baseline",
                           out_dir / "baseline.safetensors", data_dir, device="cpu")
    relay = _Relay(lambda records: None)
    gaps: list[float] = []
    clock, ticker, loop = QElapsedTimer(), QTimer(interval=TICK_MS), QEventLoop()

    def on_tick():
        gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()

    ticker.timeout.connect(on_tick)
    outcome = {}
    clock.start()
    runner.start(training_job(request), "baseline", relay.on_progress,
                 lambda kind, detail: (outcome.update(kind=kind), loop.quit()))
    ticker.start()
    loop.exec()
    ticker.stop()
    window.close()
    if outcome.get("kind") != "finished":
        raise SystemExit(f"the baseline training did not finish: {outcome}")
    return _stalls(gaps)


def playground_fps(seconds: float = 2.0) -> float:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from mnistpad.ui.lessons.playground import Playground

    view = Playground(steps=2000)
    view.resize(900, 560)
    view.show()
    app.processEvents()
    before = view.view.painted_frames
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    view.play()
    loop.exec()
    view.pause()
    painted = view.view.painted_frames - before
    view.close()
    return painted / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="xavier")
    parser.add_argument("--data", help="MNIST folder holding MNIST/raw/")
    parser.add_argument("--repeats", type=int, default=1,
                        help="race and five-train timings each, alternating (medians)")
    parser.add_argument("--skip-cli", action="store_true",
                        help="only the window's stalls and the playground (no target 1)")
    parser.add_argument("--skip-gui", action="store_true",
                        help="only the race against the five training runs (target 1)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="mnistpad-bench-"))
    os.environ["MNISTPAD_HOME"] = str(home)
    data_dir = _common.data_dir(args.data)
    env = _common.environment()
    races, trains = [], []
    for r in range(0 if args.skip_cli else args.repeats):
        for kind in (("race", "trains") if r % 2 == 0 else ("trains", "race")):
            if kind == "race":
                races.append(cli_race(args.variant, data_dir))
            else:
                trains.append(cli_trains(args.variant, data_dir, home))
            print(f"  {kind}: {(races if kind == 'race' else trains)[-1]:.1f} s, CPU time so "
                  f"far {CPU_SECONDS[kind]:.1f} s (load {_common.loadavg()})", flush=True)
    checks = {}
    ratio = None
    if races:
        race_s, trains_s = sorted(races)[len(races) // 2], sorted(trains)[len(trains) // 2]
        ratio = race_s / trains_s
        checks["race / five trains"] = (
            f"{ratio:.2f}x (race {race_s:.1f} s, trains {trains_s:.1f} s)",
            f"<= {RATIO_TARGET}x", ratio <= RATIO_TARGET)
        checks["  in CPU time"] = (f"{CPU_SECONDS['race'] / CPU_SECONDS['trains']:.2f}x", "-",
                                   True)
    gui = baseline = fps = None
    if not args.skip_gui:
        gui = gui_race(args.variant, data_dir)
        print(f"  GUI race: max stall {gui['max_stall_ms']:.1f} ms", flush=True)
        baseline = gui_training_baseline(args.variant, data_dir, home)
        fps = playground_fps()
        checks |= _gui_checks(gui, fps)
    rows = [[name, value, target, "PASS" if ok else "FAIL"]
            for name, (value, target, ok) in checks.items()]
    print(f"{args.variant}, five optimizers, one epoch, CPU ({os.cpu_count()} cores), "
          f"load {_common.loadavg()}, commit {env['commit']}")
    print(_common.table(["what", "measured", "target", ""], rows))
    if gui is not None:
        _print_gui(args.variant, gui, baseline)
    _common.write_results("race" if not (args.skip_cli or args.skip_gui) else
                          "race-cli" if args.skip_gui else "race-gui", {
        "variant": args.variant, "race_s": races, "five_trains_s": trains, "ratio": ratio,
        "cpu_s": CPU_SECONDS, "gui": gui, "gui_training_baseline": baseline,
        "playground_fps": fps, "environment": env,
    }, _common.markdown_table(["what", "measured", "target", ""], rows))
    return 0 if all(ok for _, _, ok in checks.values()) else 1


def _gui_checks(gui: dict, fps: float) -> dict:
    return {
        "GUI max stall": (f"{gui['max_stall_ms']:.1f} ms", f"< {MAX_STALL_MS:g} ms",
                          gui["max_stall_ms"] < MAX_STALL_MS),
        "GUI p99 stall": (f"{gui['p99_stall_ms']:.1f} ms", f"< {P99_STALL_MS:g} ms",
                          gui["p99_stall_ms"] < P99_STALL_MS),
        "playground": (f"{fps:.0f} frames/s", f">= {MIN_FPS:g}", fps >= MIN_FPS),
    }


def _print_gui(variant: str, gui: dict, baseline: dict) -> None:
    print(f"GUI race: {gui['ticks']} ticks, median stall {gui['median_stall_ms']:.2f} ms, "
          f"race {gui['race_s']:.1f} s; the panel's handlers took "
          f"{gui['panel_handler_max_ms']:.1f} ms at most ({gui['panel_handler_total_ms'] / 1000:.1f} s in all); garbage "
          f"collections: {gui['gc_count']}, the longest {gui['gc_max_ms']:.1f} ms")
    print(f"For comparison, one epoch of {variant} through the Train tab's worker just "
          f"after: max stall {baseline['max_stall_ms']:.1f} ms, p99 "
          f"{baseline['p99_stall_ms']:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
