"""The Inside panel: its cost per model, and drawing latency with the panel open.

    python bench/inside.py [--samples 20] [--variants NAME ...]

For every saved variant, stroke samples from tests/data/strokes.json are drawn with real
mouse events in the main window with the Inside panel open, in the window's own setting
(the GUI thread runs torch on one thread). Measured per stroke end, from the mouse release:

- prediction: until the prediction label is repainted with the new digit, as in
  bench/ui_latency.py (the panel works on the next turn of the event loop, after Qt has
  painted the prediction: tests/ui/test_inside_panel.py checks that order). Target: p95
  < 16 ms.
- panel + saliency: until the panel holds the new reading and the saliency map and has
  been repainted, once with each saliency method. Target: p95 < 50 ms.
- live: a live tick in the middle of each stroke (what the window does every 60 ms while
  the mouse moves) until the panel is repainted with the new layers. Target: p95 under
  the live interval, so the panel keeps up with live drawing.

Then, on the drawings' 28x28 images, the core alone: activations of every layer, weight
images and each saliency map for one drawing (median and p95 over the drawings).
Exits 1 if any target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import _common  # puts this checkout first on the import path

PREDICTION_MS = 16.0
SALIENCY_MS = 50.0
HOME = tempfile.mkdtemp(prefix="mnistpad-bench-")  # no settings or models of the user


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def summary(values: list[float]) -> dict:
    return {"median_ms": 1000 * statistics.median(values), "p95_ms": 1000 * p95(values),
            "max_ms": 1000 * max(values), "n": len(values)}


def run_window(n_samples: int, variants: list[str] | None) -> tuple[list[dict], dict]:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    os.environ["MNISTPAD_HOME"] = HOME
    app = QApplication.instance() or QApplication([])
    from mnistpad.ui.shell.app import create_main_window
    from mnistpad.ui.shell.main_window import LIVE_INTERVAL_MS

    window = create_main_window(wait_for_models=True)
    window.resize(1400, 800)
    window.inside.show()
    app.processEvents()
    panel, canvas = window.inside, window.canvas
    samples = json.loads((_common.REPO_ROOT / "tests" / "data" / "strokes.json").read_text())
    samples = samples["samples"][:n_samples]
    rect = canvas.target_rect()
    scale = rect.width() / canvas.buffer.width()
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier

    def point(p):
        return QPoint(round(rect.x() + p[0] * scale), round(rect.y() + p[1] * scale))

    def until_panel_painted(start: float, cpu_start: float, key: str | None = None) -> None:
        while not panel.up_to_date:
            app.processEvents()
        panel.widget().repaint()
        if key is not None:
            times[key].append(time.perf_counter() - start)
            cpu[key].append(time.thread_time() - cpu_start)

    rows, drawings = [], {}
    for info in window.state.models():
        if variants and info.name not in variants:
            continue
        window.activate(info)
        times = {"prediction": [], "live": [], "gradient_x_input": [], "occlusion": []}
        cpu = {key: [] for key in times}
        for method in ("gradient_x_input", "occlusion"):
            panel.method.setCurrentIndex(panel.method.findData(method))
            for sample in samples:
                canvas.clear()
                until_panel_painted(time.perf_counter(), time.thread_time())
                for stroke in sample["strokes"]:
                    points = [point(p) for p in stroke]
                    QTest.mousePress(canvas, left, none, points[0])
                    middle = len(points) // 2
                    for p in points[1:middle]:
                        QTest.mouseMove(canvas, p)
                    if window.state.active_classifier() is not None and middle > 1:
                        start, cpu_start = time.perf_counter(), time.thread_time()
                        window.draw.read_canvas(settled=False)
                        until_panel_painted(start, cpu_start, "live")
                    for p in points[max(1, middle):]:
                        QTest.mouseMove(canvas, p)
                    window.draw.reading.prediction.setText("")
                    app.processEvents()
                    start, cpu_start = time.perf_counter(), time.thread_time()
                    QTest.mouseRelease(canvas, left, none, points[-1])
                    window.draw.reading.prediction.repaint()
                    times["prediction"].append(time.perf_counter() - start)
                    cpu["prediction"].append(time.thread_time() - cpu_start)
                    assert window.draw.reading.prediction.text() != ""
                    until_panel_painted(start, cpu_start, method)
                if window.state.pixels is not None:
                    drawings[id(sample)] = window.state.pixels.copy()
        rows.append({"variant": info.name, "model_path": str(info.path),
                     **{key: summary(value) for key, value in times.items()},
                     "cpu": {key: summary(value) for key, value in cpu.items()}})
    window.close()
    return rows, {"drawings": list(drawings.values()), "live_interval_ms": LIVE_INTERVAL_MS}


def core_times(rows: list[dict], drawings: list) -> None:
    """Per variant: the core's activations, weight images and saliency for one drawing."""
    from mnistpad.core.lessons import inside
    from mnistpad.core.reading.classify import Classifier

    for row in rows:
        model = Classifier.from_file(row["model_path"]).model
        times = {"activations": [], "weights": [], "gradient_x_input": [], "occlusion": []}
        for pixels in drawings:
            start = time.perf_counter()
            result = inside.inspect(model, pixels)
            times["activations"].append(time.perf_counter() - start)
            start = time.perf_counter()
            inside.weight_images(model)
            times["weights"].append(time.perf_counter() - start)
            for method in inside.SALIENCY_METHODS:
                start = time.perf_counter()
                inside.saliency(model, pixels, result.digit, method)
                times[method].append(time.perf_counter() - start)
        row["core"] = {key: summary(value) for key, value in times.items()}


def verdicts(row: dict, live_ms: float) -> dict[str, bool]:
    return {
        "prediction": row["prediction"]["p95_ms"] < PREDICTION_MS,
        "live": row["live"]["p95_ms"] < live_ms,
        "gradient_x_input": row["gradient_x_input"]["p95_ms"] < SALIENCY_MS,
        "occlusion": row["occlusion"]["p95_ms"] < SALIENCY_MS,
    }


def report(rows: list[dict], live_ms: float, environment: dict) -> bool:
    def ms(part, key="p95_ms"):
        return f"{part[key]:.1f}"

    headers = ["variant", "activations", "weights", "grad x input", "occlusion",
               "prediction p95", "live panel p95", "end + grad x input p95",
               "end + occlusion p95", "CPU p95: prediction, live, ends", "targets"]
    table, passed = [], True
    for row in rows:
        ok = verdicts(row, live_ms)
        passed &= all(ok.values())
        core = row["core"]
        table.append([
            row["variant"], ms(core["activations"], "median_ms"), ms(core["weights"], "median_ms"),
            ms(core["gradient_x_input"], "median_ms"), ms(core["occlusion"], "median_ms"),
            ms(row["prediction"]), ms(row["live"]), ms(row["gradient_x_input"]),
            ms(row["occlusion"]),
            " / ".join(ms(row["cpu"][key]) for key in ("prediction", "live", "gradient_x_input",
                                                       "occlusion")),
            "PASS" if all(ok.values()) else "FAIL: " + ", ".join(k for k, v in ok.items() if not v),
        ])
    title = (f"Inside panel, one torch thread as in the GUI; ms. Core columns: median per "
             f"drawing. Window columns (panel open): p95 per stroke "
             f"({rows[0]['prediction']['n']} strokes per variant); targets: prediction "
             f"< {PREDICTION_MS:g}, live panel < {live_ms:g} (the live interval), stroke end "
             f"to panel with saliency < {SALIENCY_MS:g}. CPU: the GUI thread's CPU time over "
             f"the same spans (what the work costs when no other process competes).")
    print(title)
    print(_common.table(headers, table))
    print(f"commit {environment['commit']}, load average {environment['loadavg_start']} at "
          f"start, {_common.loadavg()} at the end")
    markdown = f"# Inside panel\n\n{title}\n\n" + _common.markdown_table(headers, table)
    for row in rows:
        row.pop("model_path")
    json_path, _ = _common.write_results("inside", {"environment": environment, "rows": rows,
                                                    "passed": passed}, markdown)
    print(f"wrote {json_path}")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20, help="stroke samples per variant")
    parser.add_argument("--variants", nargs="+", metavar="NAME",
                        help="only these saved variants (default: all)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    environment = _common.environment(threads=1)
    rows, extra = run_window(args.samples, args.variants)
    core_times(rows, extra["drawings"])
    passed = report(rows, extra["live_interval_ms"], environment)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
