"""bench/drawn.py's stroke part: the stroke reader and its combination with the default image
model on the strokes the real canvas recorded, and the core path's latency from a finished
stroke to the combined reading. Nothing here imports Qt."""

from __future__ import annotations

import time

import numpy as np

COMBINED_TARGET = 0.995
DIGIT_TARGET = 0.985
LATENCY_TARGET_MS = 16.0


def readings(reader, strokes: list, image_probs: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                     int]:
    """(stroke probabilities, combined probabilities, drawings read by the image alone) for
    drawings recorded on the canvas, combined as the stroke model's file says."""
    from mnistpad.core.strokes.combination import Combination

    combination = Combination.from_metadata(reader.info.metadata.get("combination"))
    stroke_probs = reader.probabilities_of_drawings(strokes)
    alone = np.isnan(stroke_probs).any(axis=1)
    combined = image_probs.copy()
    combined[~alone] = combination.apply(image_probs[~alone], stroke_probs[~alone])
    stroke_probs[alone] = 0.1  # no trajectory: the strokes say nothing (counted as misread)
    return stroke_probs, combined, int(alone.sum())


def latency(reader, image_classifier, strokes: list, repeats: int = 200) -> dict:
    """Milliseconds from a drawing's finished strokes to the combined reading, through the
    core path the app runs on the GUI thread (one torch thread): the strokes to MNIST pixels,
    the image model, the stroke reader, the combination."""
    import torch

    from mnistpad.core.strokes.combination import read_drawing
    from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    steps = ("pixels", "image model", "stroke reader and combination")
    wall, cpu, parts = [], [], {step: [] for step in steps}
    try:
        drawings = [[PenStroke.of(s.points, s.width, s.erase) for s in d] for d in strokes]
        for i in range(repeats + 10):
            drawing = drawings[i % len(drawings)]
            start, start_cpu = time.perf_counter(), time.process_time()
            pixels = digit_from_strokes(drawing)
            marks = [time.perf_counter()]
            image = image_classifier.probabilities(pixels)[0]
            marks.append(time.perf_counter())
            reading = read_drawing(drawing, image, reader)
            marks.append(time.perf_counter())
            assert reading.combined is not None
            if i >= 10:  # the first readings warm up torch's kernels
                wall.append((marks[-1] - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
                for step, begin, end in zip(steps, [start, *marks[:-1]], marks, strict=True):
                    parts[step].append((end - begin) * 1000)
    finally:
        torch.set_num_threads(threads)
    return {"median_ms": float(np.median(wall)), "p95_ms": float(np.percentile(wall, 95)),
            "max_ms": float(np.max(wall)), "readings": len(wall), "torch_threads": 1,
            "cpu_median_ms": float(np.median(cpu)), "cpu_p95_ms": float(np.percentile(cpu, 95)),
            "median_ms_by_step": {step: float(np.median(v)) for step, v in parts.items()}}


def misses(combined_score: dict, timing: dict | None) -> list[str]:
    """What the combined default misses of its targets."""
    out = []
    if combined_score["accuracy"] < COMBINED_TARGET:
        out.append(f"combined {100 * combined_score['accuracy']:.2f}% < "
                   f"{100 * COMBINED_TARGET:.1f}%")
    low = {d: a for d, a in combined_score["per_digit"].items() if a < DIGIT_TARGET}
    if low:
        out.append("combined digits below 98.5%: " + ", ".join(
            f"{d} {100 * a:.1f}%" for d, a in low.items()))
    if timing is not None and timing["p95_ms"] >= LATENCY_TARGET_MS:
        out.append(f"stroke-to-reading p95 {timing['p95_ms']:.1f} ms >= {LATENCY_TARGET_MS:g} ms")
    return out
