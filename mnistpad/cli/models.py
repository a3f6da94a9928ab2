"""``mnistpad models``: every saved model with its recorded figures and what they were
measured on (:mod:`mnistpad.core.files.figures`), the same figures the window and the README
show."""

from __future__ import annotations

import json

from mnistpad.cli.common import MEASURED_ON_WORDS, percent, scan_models


def add_parser(subparsers) -> None:
    models = subparsers.add_parser("models", help="list saved variants and their recorded "
                                                  "accuracies")
    models.add_argument("--json", action="store_true",
                        help="one JSON list: every model, its figures and what they were "
                             "measured on")


def model_row(info, shipped: bool) -> dict:
    """One model as ``models --json`` prints it. A drawn figure measured with another
    renderer version or other pen digits than today's is stale: ``drawn_acc`` is then None
    and the old figure is kept as ``drawn_stale_acc``, with ``drawn_stale_reason``."""
    from mnistpad.core.models.specs import LAB_INFO

    recorded = info.measurement
    mnist = recorded.mnist if recorded else None
    return {
        "name": info.name, "variant": info.variant,
        "lab": LAB_INFO[info.variant].lab if info.variant in LAB_INFO else "",
        "parameters": info.parameters,
        "test_acc": info.test_accuracy, "test_measured_on": info.test_measured_on,
        "test_count": mnist.count if mnist else None,
        **drawn_columns(info),
        "measured_by": recorded.by if recorded else None,
        "trained_on": info.training_data, "personal": "personal" in info.metadata,
        "shipped": shipped, "file": str(info.path),
    }


def drawn_columns(info) -> dict:
    """The drawn figure's columns of a model's row: the headline (how the app reads a
    drawing), its parts (the picture alone, the strokes alone: None when not read so), how
    it was drawn, and whether it is stale."""
    from mnistpad.core.files import figures

    drawn = info.measurement.drawn if info.measurement else None
    stale = figures.drawn_stale_reason(info.measurement, info.drawn_accuracy)
    return {
        "drawn_acc": None if stale else info.drawn_accuracy,
        "drawn_measured_on": info.drawn_measured_on,
        "drawn_count": drawn.count if drawn else None,
        "drawn_read_with": drawn.read_with if drawn else None,
        "drawn_picture_acc": None if stale or not drawn else drawn.part("picture"),
        "drawn_strokes_acc": None if stale or not drawn else drawn.part("strokes"),
        "drawn_renderer_version": drawn.renderer_version if drawn else None,
        "drawn_stale": stale is not None,
        "drawn_stale_acc": info.drawn_accuracy if stale else None,
        "drawn_stale_reason": stale,
    }


def run(args) -> int:
    catalog = scan_models()
    rows = [model_row(m, catalog.is_shipped(m)) for m in catalog.models]
    if args.json:
        print(json.dumps(rows, indent=1, allow_nan=False))
        return 0
    if not rows:
        print("No saved models yet. Train one with: mnistpad train xavier")
        return 0
    print(f"{'name':<16} {'variant':<13} {'lab':<7} {'params':>10} {'MNIST':>7} {'drawn':>8}  "
          f"{'MNIST measured on':<26} file")
    for r in rows:
        on = MEASURED_ON_WORDS.get(r["test_measured_on"], r["test_measured_on"])
        print(f"{r['name']:<16} {r['variant']:<13} {r['lab']:<7} {r['parameters']:>10,} "
              f"{percent(r['test_acc']):>7} {_drawn_cell(r):>8}  {on:<26} {r['file']}")
    print("MNIST: test-set accuracy; drawn: pen-drawn digits of 6 writers never trained on, "
          "drawn by mnistpad's stroke renderer (+s: read with the strokes too, as the window "
          "reads a drawing; stale: measured with an older renderer or other pen digits, run "
          "mnistpad eval --record again). Measured by: mnistpad eval --record")
    return 0


def _drawn_cell(row: dict) -> str:
    if row["drawn_stale"]:
        return "stale"
    both = row["drawn_read_with"] not in (None, "picture")
    return percent(row["drawn_acc"]) + ("+s" if both else "")
