"""Test accuracy of every shipped model file on the full MNIST test set (10,000 images),
next to the lecture's figure and the threshold each variant must reach.

    python bench/accuracy.py [--data DIR] [--models-dir DIR] [--threads N]

Evaluation goes through mnistpad's own path (the one ``mnistpad eval`` uses): the file is
loaded by ``load_model`` (spec rebuilt, weights loaded strictly) and scored by
``mnistpad.core.training.train.accuracy`` in eval mode without gradients. A variant passes when its
accuracy is at least ``LAB_INFO[variant].threshold`` (compared as counts of correct images).
Writes bench/results/accuracy.{json,md}; exits 1 when a file fails its threshold or cannot
be loaded.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import _common
from _common import pct, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="MNIST folder holding MNIST/raw/")
    parser.add_argument("--models-dir", help="folder of model files (default: shipped models)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")
    args = parser.parse_args(argv)

    import torch

    from mnistpad.core.data.mnist import load_mnist
    from mnistpad.core.files.modelfile import load_model
    from mnistpad.core.models.registry import scan
    from mnistpad.core.models.specs import LAB_INFO
    from mnistpad.core.platform.errors import MnistpadError
    from mnistpad.core.platform.paths import shipped_models_dir
    from mnistpad.core.training.train import accuracy

    torch.set_num_threads(args.threads)
    env = _common.environment(args.threads)
    folder = Path(args.models_dir) if args.models_dir else shipped_models_dir()
    catalog = scan([folder])
    for problem in catalog.problems:
        print(f"FAIL (unreadable): {problem}", file=sys.stderr)
    if not catalog.models:
        print(f"no model files in {folder}", file=sys.stderr)
        return 1
    data = load_mnist(_common.data_dir(args.data))
    print(f"Evaluating {len(catalog.models)} model files from {folder} on "
          f"{len(data.test):,} test images (CPU, {args.threads} threads)\n")

    rows = []
    for info in catalog.models:
        lab = LAB_INFO.get(info.variant)
        row = {"name": info.name, "variant": info.variant, "lab": lab.lab if lab else "",
               "file": str(info.path), "file_bytes": info.file_size,
               "parameters": info.parameters,
               "lecture_acc": lab.lecture_accuracy if lab else None,
               "threshold": lab.threshold if lab else None,
               "stored_acc": info.test_accuracy}
        try:
            loaded = load_model(info.path, "cpu")
            start = time.perf_counter()
            acc = accuracy(loaded.model, info.spec, data.test)
            row["seconds"] = round(time.perf_counter() - start, 3)
        except MnistpadError as exc:
            row.update(test_acc=None, seconds=None, verdict="FAIL", problem=str(exc))
            rows.append(row)
            continue
        # accuracy() returns a float32 mean (9920/10000 comes back as 0.99199998), so the
        # verdict compares whole counts of correct images, which is exact.
        n = len(data.test)
        row["correct"] = round(acc * n)
        row["test_acc"] = row["correct"] / n
        if row["threshold"] is None:
            row["verdict"] = "n/a"
        else:
            row["verdict"] = "PASS" if row["correct"] >= round(row["threshold"] * n) else "FAIL"
        # The accuracy written into the file when it was trained should be what we measure.
        row["matches_stored"] = (info.test_accuracy is None
                                 or round(info.test_accuracy * n) == row["correct"])
        rows.append(row)
        print(f"  {info.name}: {pct(acc)} in {row['seconds']:.2f}s", flush=True)

    headers = ["name", "lab", "lecture", "threshold", "measured", "correct", "vs lecture",
               "verdict", "params", "file size", "eval s", "stored acc"]

    def cells(r):
        diff = (None if r["test_acc"] is None or r["lecture_acc"] is None
                else r["test_acc"] - r["lecture_acc"])
        stored = pct(r["stored_acc"])
        if r.get("matches_stored") is False:
            stored += " (MISMATCH)"
        return [r["name"], r["lab"], pct(r["lecture_acc"]), pct(r["threshold"]),
                pct(r["test_acc"]), "-" if r["test_acc"] is None else f"{r['correct']:,}",
                "-" if diff is None else f"{100 * diff:+.2f} pt",
                r["verdict"], f"{r['parameters']:,}", f"{r['file_bytes'] / 1024:,.0f} KiB",
                "-" if r["seconds"] is None else f"{r['seconds']:.2f}", stored]

    body = [cells(r) for r in rows]
    failed = [r["name"] for r in rows if r["verdict"] == "FAIL"] + catalog.problems
    print()
    print(table(headers, body))
    summary = ("All files reach their threshold." if not failed
               else f"FAILED: {', '.join(failed)}")
    mismatched = [r["name"] for r in rows if r.get("matches_stored") is False]
    if mismatched:
        summary += (f" Measured accuracy differs from the one stored in the file for: "
                    f"{', '.join(mismatched)}.")
    print(f"\n{summary}")

    markdown = (
        "# Accuracy of the shipped model files\n\n"
        f"Full MNIST test set ({len(data.test):,} images), CPU, eval mode, no gradients; "
        f"PASS when the number of correct images is at least threshold x {len(data.test):,} "
        "(thresholds from mnistpad.core.models.variants.LAB_INFO).\n\n"
        + _common.markdown_table(headers, body) + f"\n\n{summary}\n"
    )
    _common.assert_no_qt()
    paths = _common.write_results(
        "accuracy", {"environment": env, "test_samples": len(data.test), "models": rows,
                     "problems": catalog.problems, "passed": not failed}, markdown)
    print(f"Wrote {paths[0]} and {paths[1]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
