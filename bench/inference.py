"""Inference speed of every shipped model through mnistpad.core.reading.classify.Classifier.

    python bench/inference.py [--calls 300] [--warmup 30] [--batch-sizes 100,1000]
                              [--batch-repeats 2] [--threads 2] [--data DIR] [--models-dir DIR]

Per model file: the time to load it (``Classifier.from_file``); the latency of classifying
one 28x28 image the way the app does (``Classifier.predict``: numpy in, eval mode, inference
mode, softmax out), as median / p95 / max over ``--calls`` calls after ``--warmup`` calls;
and the throughput over the 10,000 MNIST test images fed to ``Classifier.probabilities`` in
chunks of each of ``--batch-sizes`` (best of ``--batch-repeats`` passes after a warm-up
chunk; 1000 is the chunk mnistpad's own evaluation uses), with the accuracy of the pass as a
check that the figures are of real work. Writes
bench/results/inference.{json,md}.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import _common
from _common import table


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--batch-sizes", default="100,1000",
                        help="comma-separated chunk sizes for the throughput passes")
    parser.add_argument("--batch-repeats", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")
    parser.add_argument("--data", help="MNIST folder holding MNIST/raw/")
    parser.add_argument("--models-dir", help="folder of model files (default: shipped models)")
    args = parser.parse_args(argv)

    import numpy as np
    import torch

    from mnistpad.core.data.mnist import load_mnist
    from mnistpad.core.models.registry import scan
    from mnistpad.core.platform.paths import shipped_models_dir
    from mnistpad.core.reading.classify import Classifier

    torch.set_num_threads(args.threads)
    env = _common.environment(args.threads)
    folder = Path(args.models_dir) if args.models_dir else shipped_models_dir()
    catalog = scan([folder])
    if not catalog.models:
        raise SystemExit(f"no model files in {folder}")
    sizes = [int(v) for v in args.batch_sizes.split(",") if v.strip()]
    test = load_mnist(_common.data_dir(args.data)).test
    images = test.images.reshape(-1, 28, 28).numpy()
    labels = test.labels.numpy()
    one = images[0].copy()
    chunks = ", ".join(str(b) for b in sizes)
    print(f"Inference, CPU, {args.threads} threads: one image x {args.calls} calls after "
          f"{args.warmup} warm-up calls; {len(images):,} test images in chunks of "
          f"{chunks}, best of {args.batch_repeats}. Load average "
          f"{env['loadavg_start']} (the CPU may be shared: figures can be noisy).\n")

    rows = []
    for info in catalog.models:
        start = time.perf_counter()
        classifier = Classifier.from_file(info.path)
        load_ms = (time.perf_counter() - start) * 1e3
        for _ in range(args.warmup):
            classifier.predict(one)
        latencies = []
        for _ in range(args.calls):
            t0 = time.perf_counter_ns()
            classifier.predict(one)
            latencies.append((time.perf_counter_ns() - t0) / 1e6)
        row = {"name": info.name, "variant": info.variant, "parameters": info.parameters,
               "load_ms": load_ms,
               "latency_ms": {"median": statistics.median(latencies),
                              "p95": _percentile(latencies, 0.95), "max": max(latencies),
                              "min": min(latencies)},
               "batches": {}}
        for size in sizes:
            classifier.probabilities(images[:size])  # warm-up chunk
            passes = []
            for _ in range(args.batch_repeats):
                t0 = time.perf_counter()
                probs = np.concatenate([
                    classifier.probabilities(images[i : i + size])
                    for i in range(0, len(images), size)
                ])
                passes.append(time.perf_counter() - t0)
            row["batches"][str(size)] = {
                "seconds": min(passes), "passes": [round(p, 3) for p in passes],
                "images_per_s": len(images) / min(passes),
                "accuracy": float((probs.argmax(axis=1) == labels).mean())}
        rows.append(row)
        lat = row["latency_ms"]
        rates = ", ".join(f"{b['images_per_s']:,.0f} images/s in chunks of {size}"
                          for size, b in row["batches"].items())
        print(f"  {info.name}: {lat['median']:.2f} ms median, {lat['p95']:.2f} ms p95; {rates}",
              flush=True)

    headers = (["name", "params", "load ms", "1 image median ms", "p95 ms", "max ms"]
               + [f"images/s (chunks of {b})" for b in sizes] + ["accuracy"])
    body = [[r["name"], f"{r['parameters']:,}", f"{r['load_ms']:.1f}",
             f"{r['latency_ms']['median']:.2f}", f"{r['latency_ms']['p95']:.2f}",
             f"{r['latency_ms']['max']:.1f}"]
            + [f"{r['batches'][str(b)]['images_per_s']:,.0f}" for b in sizes]
            + [_common.pct(r["batches"][str(sizes[-1])]["accuracy"])] for r in rows]
    print()
    print(table(headers, body))
    markdown = (
        "# Inference speed (mnistpad.core.reading.classify.Classifier, CPU)\n\n"
        f"{args.threads} threads. One image: `Classifier.predict`, {args.calls} calls after "
        f"{args.warmup} warm-up calls. Batch: the {len(images):,} test images through "
        f"`Classifier.probabilities` in chunks of {chunks}, best of "
        f"{args.batch_repeats} passes.\n\n" + _common.markdown_table(headers, body) + "\n"
    )
    _common.assert_no_qt()
    paths = _common.write_results(
        "inference", {"environment": env, "calls": args.calls, "warmup": args.warmup,
                      "batch_sizes": sizes, "models": rows}, markdown)
    print(f"\nWrote {paths[0]} and {paths[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
