"""How well :func:`mnistpad.core.data.blobs.several_digits` tells one digit from two side by side.

    python bench/several_digits.py [--data DIR] [--count 10000]

Single digits: MNIST's test digits as they are (none should be flagged). Pairs: two test
digits side by side (their 24 middle columns each), then normalized as a drawing or an image
file is (:func:`mnistpad.core.data.preprocess.normalize_digit`), as a "17" drawn on the canvas would
be. Targets: at most 1% of single digits flagged, at least 95% of pairs. Exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import sys
import time

import _common  # puts this checkout first on the import path

MAX_SINGLES_FLAGGED = 0.01
MIN_PAIRS_FLAGGED = 0.95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="MNIST folder (default: ../shared/mnist)")
    parser.add_argument("--count", type=int, default=10_000, help="test digits to use")
    args = parser.parse_args()
    import numpy as np

    from mnistpad.core.data.blobs import several_digits
    from mnistpad.core.data.mnist import load_test_split
    from mnistpad.core.data.preprocess import normalize_digit

    env = _common.environment()
    test = load_test_split(_common.data_dir(args.data))
    images = test.images.view(-1, 28, 28).numpy()[: args.count]
    labels = test.labels.numpy()[: args.count]
    start = time.perf_counter()
    singles = [i for i, image in enumerate(images) if several_digits(image)]
    pairs = sum(several_digits(normalize_digit(np.concatenate(
        [images[2 * i][:, 2:26], images[2 * i + 1][:, 2:26]], axis=1)))
        for i in range(len(images) // 2))
    seconds = time.perf_counter() - start
    single_share, pair_share = len(singles) / len(images), pairs / (len(images) // 2)
    passed = single_share <= MAX_SINGLES_FLAGGED and pair_share >= MIN_PAIRS_FLAGGED
    rows = [["single digits flagged", f"{len(singles)} / {len(images)}",
             f"{100 * single_share:.2f}%", f"<= {100 * MAX_SINGLES_FLAGGED:.0f}%"],
            ["pairs side by side flagged", f"{pairs} / {len(images) // 2}",
             f"{100 * pair_share:.2f}%", f">= {100 * MIN_PAIRS_FLAGGED:.0f}%"]]
    headers = ["", "count", "share", "target"]
    flagged_labels = sorted({int(labels[i]) for i in singles})
    print(_common.table(headers, rows))
    print(f"single digits flagged are: {flagged_labels}; {seconds:.1f} s for "
          f"{len(images) + len(images) // 2} pictures; commit {env['commit']}, load "
          f"{env['loadavg_start']}")
    print("pass" if passed else "MISSED a target")
    _common.write_results("several_digits", {
        "environment": env, "singles": len(images), "singles_flagged": len(singles),
        "flagged_labels": flagged_labels, "pairs": len(images) // 2, "pairs_flagged": pairs,
        "seconds": round(seconds, 2), "passed": passed},
        _common.markdown_table(headers, rows))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
