"""Stroke end, undo and reading on a drawing of many strokes: all must stay constant-time.

    python bench/canvas_strokes.py [--strokes 5000] [--read-strokes 500]

A canvas alone (offscreen) gets ``--strokes`` short strokes through real mouse events. The
clock runs around each mouse release (the stroke committed to the canvas's snapshot) and
around each of 50 undos at the end. Targets: the median stroke end over the last 100 strokes
within 2x of the first 100's plus 1 ms, and under 10 ms; the median undo under 10 ms; the
undo history holds at most UNDO_LIMIT snapshots. Reading: a second canvas gets
``--read-strokes`` strokes the same way, and the clock runs around ``canvas.digit()`` (what
the models read) after each; target: every read of the last 100 strokes under 30 ms. For
contrast, the same drawing read from scratch (``digit_from_strokes``) once at the end. Exit
status 1 when a target is missed.
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
    from PySide6.QtWidgets import QApplication

    from mnistpad.ui.draw.canvas import UNDO_LIMIT, DrawingCanvas

    app = QApplication.instance() or QApplication([])
    canvas = DrawingCanvas()
    canvas.resize(320, 320)
    canvas.show()
    app.processEvents()
    ends = [_draw(canvas, i) for i in range(count)]
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


def _draw(canvas, i: int) -> float:
    """Draw stroke ``i`` with real mouse events; returns the seconds its release took."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    left = Qt.MouseButton.LeftButton
    points = [QPoint(x + 20, y + 20) for x, y in stroke_points(i)]
    QTest.mousePress(canvas, left, Qt.KeyboardModifier.NoModifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(canvas, point)
    start = time.perf_counter()
    QTest.mouseRelease(canvas, left, Qt.KeyboardModifier.NoModifier, points[-1])
    return time.perf_counter() - start


def measure_reading(count: int) -> dict:
    """The time of ``canvas.digit()`` after each of ``count`` strokes."""
    from PySide6.QtWidgets import QApplication

    from mnistpad.core.strokes.renderer import digit_from_strokes
    from mnistpad.ui.draw.canvas import DrawingCanvas

    app = QApplication.instance() or QApplication([])
    canvas = DrawingCanvas()
    canvas.resize(320, 320)
    canvas.show()
    app.processEvents()
    reads = []
    for i in range(count):
        _draw(canvas, i)
        start = time.perf_counter()
        canvas.digit()
        reads.append(time.perf_counter() - start)
    start = time.perf_counter()
    digit_from_strokes(canvas.pen_strokes(), canvas.buffer.width(), canvas.ink())
    scratch = time.perf_counter() - start
    last = sorted(reads[-100:])
    return {"read_strokes": count, "read_first_100_ms": 1000 * statistics.median(reads[:100]),
            "read_last_100_ms": 1000 * statistics.median(last),
            "read_last_100_max_ms": 1000 * last[-1],
            "read_from_scratch_ms": 1000 * scratch}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=5000)
    parser.add_argument("--read-strokes", type=int, default=500)
    args = parser.parse_args()
    env = _common.environment()
    result = measure(args.strokes)
    reading = measure_reading(args.read_strokes)
    result.update(reading)
    misses = []
    if reading["read_last_100_max_ms"] > 30:
        misses.append("a further stroke of a long drawing is read in 30 ms or more")
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
    read_headers = ["strokes", "read, first 100 (ms)", "read, last 100 (ms)",
                    "read max, last 100 (ms)", "from scratch (ms)"]
    read_rows = [[reading["read_strokes"], f"{reading['read_first_100_ms']:.2f}",
                  f"{reading['read_last_100_ms']:.2f}", f"{reading['read_last_100_max_ms']:.2f}",
                  f"{reading['read_from_scratch_ms']:.0f}"]]
    print(_common.table(read_headers, read_rows))
    print("PASS" if not misses else "MISS: " + "; ".join(misses))
    _common.write_results("canvas_strokes", {"environment": env, "result": result,
                                             "misses": misses},
                          _common.markdown_table(headers, rows) + "\n\n"
                          + _common.markdown_table(read_headers, read_rows))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
