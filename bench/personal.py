"""Teach it your handwriting: each development writer as a user who teaches K drawings of
each digit, scored on that writer's other digits before and after.

    python bench/personal.py [--model drawn] [--k 1,3,5,10] [--writers 25-30] [--data DIR]

Each of writers 25-30 (never trained on) is simulated as a user: their pen digits are drawn
through the canvas's rendering and normalization; the first K drawings of each digit are the
samples a user would label, and a personal model is fine-tuned from them exactly as the app
does (``mnistpad.core.personal.tuning.fine_tune`` with ``image.ImageTuning``: the shipped
MNIST replay digits, the same steps and learning rate); the writer's remaining digits are
read before and after. Reported per K: mean accuracy before and after, the reduction of
errors (pooled over writers), the MNIST test accuracy of the personal models (full test set
when MNIST is found, else the 1,000 shipped test digits), and the adaptation time on this
machine.

Targets for K = 5 with the default model: errors on the writers' other digits down by at
least 50%, MNIST accuracy down by at most 0.3 points, adaptation under 60 s. Exits 1 when one
is missed.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time

import _common
import numpy as np

TARGET_K = 5
TARGET_REDUCTION = 0.5
TARGET_MNIST_DROP = 0.003
TARGET_SECONDS = 60.0


def writers_arg(text: str) -> list[int]:
    if "-" in text:
        low, high = text.split("-")
        return list(range(int(low), int(high) + 1))
    return [int(w) for w in text.split(",")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="drawn", help="shipped model to personalize")
    parser.add_argument("--k", default="1,3,5,10", help="samples taught per digit")
    parser.add_argument("--writers", default="25-30")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data", help="MNIST folder, for the personal models' MNIST accuracy")
    args = parser.parse_args()
    import torch

    from mnistpad.core.data import pendigits
    from mnistpad.core.data.mnist import load_mnist
    from mnistpad.core.files.modelfile import load_model
    from mnistpad.core.personal.image import ImageTuning, _split, small_mnist
    from mnistpad.core.personal.tuning import STEPS, fine_tune
    from mnistpad.core.platform.errors import MnistpadError
    from mnistpad.core.platform.paths import shipped_models_dir
    from mnistpad.core.training.train import accuracy

    torch.set_num_threads(args.threads)
    env = _common.environment(args.threads)
    base = load_model(shipped_models_dir() / f"{args.model}.safetensors")
    spec = base.info.spec
    replay, shipped_check = small_mnist()
    try:
        check = load_mnist(_common.data_dir(args.data)).test
        check_name = "MNIST test set (10,000)"
    except MnistpadError:
        check, check_name = shipped_check, "1,000 shipped MNIST test digits"
    mnist_base = accuracy(base.model, spec, check)
    print(f"{args.model}: {check_name} accuracy {100 * mnist_base:.2f}%; {STEPS} steps per "
          f"fine-tune; {args.threads} torch threads", flush=True)

    rows, details = [], []
    misses = []
    for k in [int(v) for v in args.k.split(",")]:
        right_before = right_after = total = 0
        before_accs, after_accs, seconds, mnist_after = [], [], [], []
        for writer in writers_arg(args.writers):
            digits = pendigits.by_writers([writer])
            images, labels = pendigits.render_set(digits)
            taught = np.concatenate([np.flatnonzero(labels == d)[:k] for d in range(10)])
            rest = np.setdiff1d(np.arange(len(labels)), taught)
            scored = _split(images[rest], labels[rest])
            model = copy.deepcopy(base.model)
            before = accuracy(model, spec, scored)
            start = time.perf_counter()
            fine_tune(model, ImageTuning(spec, replay), _split(images[taught], labels[taught]))
            seconds.append(time.perf_counter() - start)
            after = accuracy(model, spec, scored)
            mnist_after.append(accuracy(model, spec, check))
            n = len(rest)
            right_before += round(before * n)
            right_after += round(after * n)
            total += n
            before_accs.append(before)
            after_accs.append(after)
            details.append({"k": k, "writer": writer, "taught": len(taught), "scored": n,
                            "before": before, "after": after, "seconds": seconds[-1],
                            "mnist_after": mnist_after[-1]})
            print(f"K={k} writer {writer}: {100 * before:.2f}% -> {100 * after:.2f}% of {n} "
                  f"digits, {seconds[-1]:.1f} s, MNIST {100 * mnist_after[-1]:.2f}%", flush=True)
        errors_before, errors_after = total - right_before, total - right_after
        reduction = 1 - errors_after / errors_before if errors_before else 0.0
        row = {
            "k": k, "before": statistics.mean(before_accs), "after": statistics.mean(after_accs),
            "errors_before": errors_before, "errors_after": errors_after, "scored": total,
            "error_reduction": reduction, "mnist_after_mean": statistics.mean(mnist_after),
            "mnist_after_min": min(mnist_after), "seconds_median": statistics.median(seconds),
            "seconds_max": max(seconds),
        }
        rows.append(row)
        if k == TARGET_K and args.model == "drawn":
            drop = mnist_base - row["mnist_after_min"]
            if reduction < TARGET_REDUCTION:
                misses.append(f"error reduction {100 * reduction:.0f}% < 50%")
            if drop > TARGET_MNIST_DROP:
                misses.append(f"MNIST down {100 * drop:.2f} points > 0.3")
            if row["seconds_max"] > TARGET_SECONDS:
                misses.append(f"adaptation {row['seconds_max']:.1f} s > 60 s")

    headers = ["K", "before", "after", "errors", "error reduction", "MNIST after (min)",
               "adaptation s (median / max)"]
    table_rows = [[r["k"], _common.pct(r["before"]), _common.pct(r["after"]),
                   f"{r['errors_before']} -> {r['errors_after']} of {r['scored']}",
                   f"{100 * r['error_reduction']:.0f}%",
                   f"{_common.pct(r['mnist_after_mean'])} ({_common.pct(r['mnist_after_min'])})",
                   f"{r['seconds_median']:.1f} / {r['seconds_max']:.1f}"] for r in rows]
    print(f"\n{args.model}, writers {args.writers}; MNIST before: {_common.pct(mnist_base)} "
          f"({check_name})")
    print(_common.table(headers, table_rows))
    if any(r["k"] == TARGET_K for r in rows) and args.model == "drawn":
        print(f"targets at K={TARGET_K}: error reduction >= 50%, MNIST drop <= 0.3 points, "
              f"adaptation < 60 s: {'FAIL: ' + '; '.join(misses) if misses else 'PASS'}")
    _common.write_results("personal", {
        "environment": env, "model": args.model, "mnist_before": mnist_base,
        "mnist_measured_on": check_name, "steps": STEPS, "rows": rows, "writers": details,
        "misses": misses,
    }, f"# Personalization, {args.model}, writers {args.writers}\n\n"
       f"MNIST before: {_common.pct(mnist_base)} ({check_name})\n\n"
       + _common.markdown_table(headers, table_rows))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
