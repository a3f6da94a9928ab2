"""Stroke end and undo on a drawing of many strokes: both must stay constant-time.

    python bench/canvas_strokes.py [--strokes 5000]

A canvas alone (offscreen) gets ``--strokes`` short strokes through real mouse events. The
clock runs around each mouse release (the stroke committed to the canvas's snapshot) and
around each of 50 undos at the end. Targets: the median stroke end over the last 100 strokes
within 2x of the first 100's plus 1 ms, and under 10 ms; the median undo under 10 ms; the
undo history holds at most UNDO_LIMIT snapshots. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import _common


def stroke_points(i: int) -> list[tuple[int, int]]:
    y = 20 + (i * 7) % 240
    return [(30 + i % 50, y), (140, y + 10), (250 - i % 40, y)]


def measure(count: int) -> dict:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from mnistpad.ui.canvas import UNDO_LIMIT, DrawingCanvas

    app = QApplication.instance() or QApplication([])
    canvas = DrawingCanvas()
    canvas.resize(320, 320)
    canvas.show()
    app.processEvents()
    left = Qt.MouseButton.LeftButton
    ends = []
    for i in range(count):
        points = [QPoint(x + 20, y + 20) for x, y in stroke_points(i)]
        QTest.mousePress(canvas, left, Qt.KeyboardModifier.NoModifier, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        start = time.perf_counter()
        QTest.mouseRelease(canvas, left, Qt.KeyboardModifier.NoModifier, points[-1])
        ends.append(time.perf_counter() - start)
    snapshots = len(canvas._before)
    undos = []
    for _ in range(50):
        start = time.perf_counter()
        canvas.undo()
        undos.append(time.perf_counter() - start)
    return {"strokes": count, "first_100_ms": 1000 * statistics.median(ends[:100]),
            "last_100_ms": 1000 * statistics.median(ends[-100:]),
            "last_100_p95_ms": 1000 * sorted(ends[-100:])[94],
            "undo_ms": 1000 * statistics.median(undos), "undo_max_ms": 1000 * max(undos),
            "snapshots": snapshots, "undo_limit": UNDO_LIMIT}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=5000)
    args = parser.parse_args()
    env = _common.environment()
    result = measure(args.strokes)
    misses = []
    if result["last_100_ms"] > 2 * result["first_100_ms"] + 1 or result["last_100_ms"] > 10:
        misses.append("stroke end grows with the number of strokes")
    if result["undo_ms"] > 10:
        misses.append("undo is slow")
    if result["snapshots"] > result["undo_limit"]:
        misses.append("the undo history is unbounded")
    rows = [[result["strokes"], f"{result['first_100_ms']:.2f}", f"{result['last_100_ms']:.2f}",
             f"{result['last_100_p95_ms']:.2f}", f"{result['undo_ms']:.2f}",
             f"{result['undo_max_ms']:.2f}", result["snapshots"]]]
    headers = ["strokes", "end, first 100 (ms)", "end, last 100 (ms)", "p95 last 100 (ms)",
               "undo (ms)", "undo max (ms)", "snapshots"]
    print(_common.table(headers, rows))
    print("PASS" if not misses else "MISS: " + "; ".join(misses))
    _common.write_results("canvas_strokes", {"environment": env, "result": result,
                                             "misses": misses},
                          _common.markdown_table(headers, rows))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
