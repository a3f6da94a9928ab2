"""Stroke end to prediction on screen, per variant, and time to first window.

    python bench/ui_latency.py [--strokes 40] [--starts 5]

Latency: the main window is built once; for each saved variant, stroke samples from
tests/data/strokes.json are drawn with real mouse events, and the clock runs from the
mouse release to the prediction label repainted with the new digit (classification of the
active variant included; the every-model table, which is filled after that paint, is not).
Target: p95 under 16 ms for every variant.

First window: fresh interpreters, alternating, each timing from its first line to the
window shown: mnistpad's main window (default variant loaded) against `import torch` plus
an empty PySide6 window. Target: mnistpad within 1.5x.
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
HOME = tempfile.mkdtemp(prefix="mnistpad-bench-")  # no settings or models of the user

BASELINE = """
import time; t0 = time.perf_counter()
import torch
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([]); w = QMainWindow(); w.resize(1000, 640); w.show(); app.processEvents()
print(time.perf_counter() - t0)
"""
MNISTPAD = """
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from mnistpad.ui.app import create_main_window
w = create_main_window(); app.processEvents()
assert w.classifier is not None
print(time.perf_counter() - t0)
"""


def first_window(starts: int) -> dict:
    env = dict(os.environ, MNISTPAD_HOME=HOME)
    times = {"baseline": [], "mnistpad": []}
    for _ in range(starts):
        for key, code in (("baseline", BASELINE), ("mnistpad", MNISTPAD)):
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 env=env, cwd=ROOT, check=True)
            times[key].append(float(out.stdout.strip().splitlines()[-1]))
    base, ours = statistics.median(times["baseline"]), statistics.median(times["mnistpad"])
    return {"baseline_s": base, "mnistpad_s": ours, "ratio": ours / base, "starts": starts,
            "all": times}


def stroke_latency(n_strokes: int) -> list[dict]:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    os.environ["MNISTPAD_HOME"] = HOME
    app = QApplication.instance() or QApplication([])
    from mnistpad.ui.app import create_main_window

    window = create_main_window()
    window.resize(1000, 640)
    app.processEvents()
    canvas = window.canvas
    samples = json.loads((ROOT / "tests" / "data" / "strokes.json").read_text())["samples"]
    rect = canvas.target_rect()
    scale = rect.width() / canvas.buffer.width()

    def widget_point(p):
        return QPoint(round(rect.x() + p[0] * scale), round(rect.y() + p[1] * scale))

    rows = []
    left = Qt.MouseButton.LeftButton
    for info in window.model_infos():
        window.activate(info)
        timings = []
        for sample in samples[:n_strokes]:
            canvas.clear()
            app.processEvents()
            for stroke in sample["strokes"]:
                points = [widget_point(p) for p in stroke]
                QTest.mousePress(canvas, left, Qt.KeyboardModifier.NoModifier, points[0])
                for point in points[1:]:
                    QTest.mouseMove(canvas, point)
                window.prediction.setText("")
                start = time.perf_counter()
                QTest.mouseRelease(canvas, left, Qt.KeyboardModifier.NoModifier, points[-1])
                window.prediction.repaint()
                timings.append(time.perf_counter() - start)
                assert window.prediction.text() != ""
                app.processEvents()
        timings.sort()
        rows.append({
            "variant": info.name,
            "strokes": len(timings),
            "median_ms": 1000 * statistics.median(timings),
            "p95_ms": 1000 * timings[int(0.95 * (len(timings) - 1))],
            "max_ms": 1000 * timings[-1],
        })
    window.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=40, help="stroke samples per variant")
    parser.add_argument("--starts", type=int, default=5, help="window starts of each kind")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = stroke_latency(args.strokes)
    print(f"Stroke end to prediction on screen ({rows[0]['strokes']} strokes per variant), "
          f"target p95 < 16 ms")
    print(f"{'variant':<14} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  target")
    for r in rows:
        ok = "PASS" if r["p95_ms"] < 16 else "FAIL"
        print(f"{r['variant']:<14} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f} "
              f"{r['max_ms']:>8.2f}  {ok}")
    start = first_window(args.starts)
    print(f"\nTime to first window (median of {start['starts']} fresh starts each)")
    print(f"import torch + empty PySide6 window: {start['baseline_s']:.2f} s")
    print(f"mnistpad main window, model loaded:  {start['mnistpad_s']:.2f} s")
    verdict = "PASS" if start["ratio"] <= 1.5 else "FAIL"
    print(f"ratio: {start['ratio']:.2f}x (target <= 1.5x)  {verdict}")
    (RESULTS / "ui_latency.json").write_text(json.dumps(
        {"latency": rows, "first_window": start, "python": sys.version.split()[0],
         "cpus": os.cpu_count()}, indent=1))


if __name__ == "__main__":
    main()
