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
    """One model as ``models --json`` prints it."""
    from mnistpad.core.models.specs import LAB_INFO

    recorded = info.measurement
    mnist = recorded.mnist if recorded else None
    drawn = recorded.drawn if recorded else None
    return {
        "name": info.name, "variant": info.variant,
        "lab": LAB_INFO[info.variant].lab if info.variant in LAB_INFO else "",
        "parameters": info.parameters,
        "test_acc": info.test_accuracy, "test_measured_on": info.test_measured_on,
        "test_count": mnist.count if mnist else None,
        "drawn_acc": info.drawn_accuracy, "drawn_measured_on": info.drawn_measured_on,
        "drawn_count": drawn.count if drawn else None,
        "measured_by": recorded.by if recorded else None,
        "trained_on": info.training_data, "personal": "personal" in info.metadata,
        "shipped": shipped, "file": str(info.path),
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
    print(f"{'name':<16} {'variant':<13} {'lab':<7} {'params':>10} {'MNIST':>7} {'drawn':>7}  "
          f"{'MNIST measured on':<26} file")
    for r in rows:
        on = MEASURED_ON_WORDS.get(r["test_measured_on"], r["test_measured_on"])
        print(f"{r['name']:<16} {r['variant']:<13} {r['lab']:<7} {r['parameters']:>10,} "
              f"{percent(r['test_acc']):>7} {percent(r['drawn_acc']):>7}  {on:<26} "
              f"{r['file']}")
    print("MNIST: test-set accuracy; drawn: pen-drawn digits of 6 writers never trained on, "
          "drawn by mnistpad's stroke renderer. Measured by: mnistpad eval --record")
    return 0
