"""Many files in the models folder: `mnistpad models`, `classify --model xavier` and the
window's start-up with 200 model files beside the shipped ones, against the shipped folder
alone (issue 33, item 12: 19 s against 2.3 s).

    python bench/many_models.py [--runs 3] [--files 200]

Two user folders are made: one with an empty models folder (the shipped models alone), one
whose models folder holds ``--files`` files: copies of the shipped softmax, each under a name
of its own; byte copies of it under other file names (the same model name, so skipped with a
warning); copies of the shipped cnn-ensemble (16 MB each) under names of their own; and
files that are not models (empty, truncated, a pickle's first bytes, a header longer than
the file, JSON that is not a header, a safetensors file that is not a model, a folder).

Each measure runs in fresh processes, alternating between the two folders, ``--runs`` times
each; every figure is a median:

- `mnistpad models` and `mnistpad classify --model xavier DIGIT.png`: the whole process.
- the window (offscreen), from the child's first line: its first paint; the first reading
  of a stroke drawn right after that paint, on screen (the torch-free reader); the active
  model read by torch; and every model loaded (the background load's end,
  ``modelsLoaded``); plus the longest the GUI thread went without turning its event loop
  (a 20 ms timer's longest gap) from the first paint to that end.
- the extra files' weights loaded alone (torch imported, no window): the part of loading
  every model that grows with the files whatever the window does.

Target: with the many files, `models`, `classify`, the window's first paint, first reading
and torch reading at most 1.5x the shipped folder's; every model loaded at most 1.5x the
shipped folder's time plus the extra files' weights alone. The longest GUI gap is printed,
not judged. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # puts this checkout first on the import path

TARGET_RATIO = 1.5
ROOT = _common.REPO_ROOT
SEVEN = [[70 + 4 * i, 60] for i in range(36)] + [[210 - i, 60 + 2 * i] for i in range(86)]

WINDOW = """
import time; t0 = time.perf_counter()
import json, sys
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from mnistpad.ui.shell.main_window import MainWindow


class Paints(QObject):
    def __init__(self, with_text=False):
        super().__init__()
        self.at, self.with_text = None, with_text

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and self.at is None and (
                not self.with_text or obj.text()):
            self.at = time.perf_counter() - t0
        return False


def wait_until(check, limit_s=600):
    loop, poll = QEventLoop(), QTimer(interval=5)
    poll.timeout.connect(lambda: check() and loop.quit())
    QTimer.singleShot(int(limit_s * 1000), loop.quit)
    poll.start()
    if not check():
        loop.exec()
    poll.stop()


w = MainWindow()
first = Paints()
w.installEventFilter(first)
w.resize(1000, 640)
w.show()
wait_until(lambda: first.at is not None)
gap, last = [0.0], [time.perf_counter()]


def tick():
    now = time.perf_counter()
    gap[0], last[0] = max(gap[0], now - last[0]), now


ticker = QTimer(interval=20)
ticker.timeout.connect(tick)
ticker.start()
from ui.replay import draw
reading = Paints(with_text=True)
w.draw.reading.prediction.installEventFilter(reading)
draw(w.canvas, [json.loads(sys.argv[1])])
wait_until(lambda: reading.at is not None)
torch_ready = []


def active_in_torch():
    if not torch_ready and w.state.active_classifier() is not None:
        torch_ready.append(time.perf_counter() - t0)
    return w.state.models_ready


wait_until(active_in_torch)
loaded = time.perf_counter() - t0
tick()
print(json.dumps({"paint": first.at, "reading": reading.at, "torch": torch_ready[0],
                  "loaded": loaded, "gui_gap": gap[0], "listed": w.picker.count()}))
w.close()
"""


def fill_models_folder(folder: Path, files: int) -> dict:
    """``files`` model files and not-models in ``folder`` (see the module doc)."""
    from mnistpad.core.files.modelfile import update_metadata
    from mnistpad.core.platform.paths import shipped_models_dir

    shipped = shipped_models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    softmax = (shipped / "softmax.safetensors").read_bytes()
    hostile = {"empty": b"", "truncated": softmax[:5000], "pickle": b"\x80\x04junk" * 10,
               "long-header": (10**8).to_bytes(8, "little") + b"{" + b" " * 100,
               "not-a-header": (20).to_bytes(8, "little") + b"{not json, not a header}",
               "not-a-model": (9).to_bytes(8, "little") + b'{"a": {}}'}
    for name, data in hostile.items():
        (folder / f"bad-{name}.safetensors").write_bytes(data)
    (folder / "bad-folder.safetensors").mkdir()
    big = min(8, files // 25)
    copies = (files - len(hostile) - 1 - big) // 6
    for i in range(big):
        path = folder / f"big-{i}.safetensors"
        shutil.copyfile(shipped / "cnn-ensemble.safetensors", path)
        update_metadata(path, name=f"big-{i}")
    for i in range(copies):
        (folder / f"copy-{i:03d}.safetensors").write_bytes(softmax)
    named = files - len(hostile) - 1 - big - copies
    for i in range(named):
        path = folder / f"many-{i:03d}.safetensors"
        path.write_bytes(softmax)
        update_metadata(path, name=f"many-{i:03d}")
    return {"files": len(list(folder.iterdir())), "named_copies": named, "same_name": copies,
            "big": big, "not_models": len(hostile) + 1}


def digit_png(path: Path) -> Path:
    """A drawn seven as a 28x28 PNG, as `classify` reads a picture."""
    import numpy as np
    from PIL import Image

    from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes

    pixels = digit_from_strokes([PenStroke.of(SEVEN)])
    Image.fromarray((255 * np.asarray(pixels).reshape(28, 28)).astype("uint8")).save(path)
    return path


def timed(argv: list[str], home: Path) -> float:
    env = dict(os.environ, MNISTPAD_HOME=str(home), PYTHONPATH=str(ROOT),
               QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=ROOT, check=True, capture_output=True, timeout=900)
    return time.perf_counter() - start


def window_once(home: Path) -> dict:
    env = dict(os.environ, MNISTPAD_HOME=str(home), PYTHONPATH=str(ROOT),
               QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", WINDOW, json.dumps(SEVEN)], env=env,
                         cwd=ROOT, check=True, capture_output=True, text=True, timeout=900)
    return json.loads(out.stdout.strip().splitlines()[-1])


WEIGHTS = """
import json, sys, time
from mnistpad.core.reading.classify import Classifier
from mnistpad.core.platform.paths import user_models_dir
from mnistpad.core.models.registry import scan
paths = [m.path for m in scan().models if m.path.parent == user_models_dir()]
start = time.perf_counter()
for path in paths:
    Classifier.from_file(path)
print(json.dumps({"weights": time.perf_counter() - start}))
"""


def weights_once(home: Path) -> float:
    """Loading the weights of the user folder's models alone, torch imported (no window):
    the part of loading every model that grows with the files, whatever the window does."""
    env = dict(os.environ, MNISTPAD_HOME=str(home), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", WEIGHTS], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=900)
    return json.loads(out.stdout.strip().splitlines()[-1])["weights"]


def measure(homes: dict[str, Path], png: Path, runs: int) -> dict[str, dict[str, list]]:
    """Every figure of every run, per folder; the folders alternate run by run."""
    python = [sys.executable, "-m", "mnistpad"]
    figures: dict[str, dict[str, list]] = {kind: {} for kind in homes}
    for _ in range(runs):
        for kind, home in homes.items():
            runs_of = figures[kind]
            runs_of.setdefault("models", []).append(timed([*python, "models"], home))
            runs_of.setdefault("classify", []).append(
                timed([*python, "classify", "--model", "xavier", str(png)], home))
            for key, value in window_once(home).items():
                runs_of.setdefault(key, []).append(value)
            runs_of.setdefault("weights", []).append(weights_once(home))
    return figures


JUDGED = ("models", "classify", "paint", "reading", "torch", "loaded")
WORDS = {"models": "mnistpad models", "classify": "mnistpad classify --model xavier",
         "paint": "window: first paint", "reading": "window: first reading on screen",
         "torch": "window: active model read by torch",
         "loaded": "window: every model loaded (vs shipped + their weights)",
         "gui_gap": "window: longest GUI gap", "weights": "their weights alone, no window",
         "listed": "models listed in the window"}


def judge(medians: dict[str, dict[str, float]]) -> tuple[list[list[str]], list[str]]:
    """Table rows and the measures that miss their target. Every model loaded is compared
    with the shipped folder's time plus loading the extra files' weights alone: that much
    grows with the files whatever the window does."""
    rows, misses = [], []
    for key in (*JUDGED, "gui_gap", "weights", "listed"):
        shipped, many = medians["shipped"][key], medians["many"][key]
        base = shipped + medians["many"]["weights"] if key == "loaded" else shipped
        ratio = many / base if base else float("inf")
        ok = key not in JUDGED or ratio <= TARGET_RATIO
        if not ok:
            misses.append(key)
        fmt = "{:.0f}" if key == "listed" else "{:.2f} s"
        shown = fmt.format(shipped) + (f" + {fmt.format(base - shipped)}" if base != shipped
                                       else "")
        rows.append([WORDS[key], shown, fmt.format(many),
                     "-" if key == "weights" else f"{ratio:.2f}x",
                     ("PASS" if ok else "FAIL") if key in JUDGED else "-"])
    return rows, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per measure")
    parser.add_argument("--files", type=int, default=200, help="files in the models folder")
    args = parser.parse_args()
    env = _common.environment()
    scratch = Path(tempfile.mkdtemp(prefix="mnistpad-bench-many-"))
    try:
        homes = {"shipped": scratch / "shipped", "many": scratch / "many"}
        (homes["shipped"] / "models").mkdir(parents=True)
        made = fill_models_folder(homes["many"] / "models", args.files)
        figures = measure(homes, digit_png(scratch / "seven.png"), args.runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    medians = {kind: {k: statistics.median(v) for k, v in runs.items()}
               for kind, runs in figures.items()}
    rows, misses = judge(medians)
    headers = ["measure", "shipped alone", f"+{made['files']} files", "ratio",
               f"<= {TARGET_RATIO}x"]
    print(f"Models folder with {made['files']} files ({made}) against the shipped folder "
          f"alone; median of {args.runs} fresh processes each, alternating")
    print(_common.table(headers, rows))
    print(f"commit {env['commit']}, load average {env['loadavg_start']} -> "
          f"{_common.loadavg()}, CPU pressure {env['cpu_pressure_start']}")
    _common.assert_no_qt()
    _common.write_results("many_models", {
        "environment": env, "folder": made, "runs": args.runs, "all": figures,
        "medians": medians, "target_ratio": TARGET_RATIO, "misses": misses},
        "# Many files in the models folder\n\n" + _common.markdown_table(headers, rows))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
