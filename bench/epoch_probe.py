"""The network editor's epoch-time estimate against a real epoch, per design.

    python bench/epoch_probe.py [--designs softmax,xavier,exercise,dropout,cnn] [--threads 2]
                                [--data DIR]

For each design, the probe the editor runs (:func:`mnistpad.core.training.probe.measure_epoch`: a
few
batches of random data through the real training loop, the first ones left out, scaled to
60,000 digits) and then one real epoch of the same spec on full MNIST through
:func:`mnistpad.core.training.train.train` (``evaluate=False``: the probe does not count the test
pass
either), timed by the loop's own ``epoch_seconds``. "exercise" is the lecture's exercise as a
learner designs it: 784-128-64-10 with sigmoid.

Target: every estimate within a factor of 1.5 of the real epoch (0.67 <= estimate / real <=
1.5). The probe itself should take a small fraction of the epoch it estimates; its time is
printed. Under load both figures move, and not always together: the load average is recorded.
Writes bench/results/epoch_probe.{json,md}.
"""

from __future__ import annotations

import argparse
import sys
import time

import _common
from _common import table

LOW, HIGH = 1 / 1.5, 1.5


def _designs():
    from mnistpad.core.models.layers import Layer
    from mnistpad.core.models.specs import designed, lab_spec

    return {
        "softmax": lab_spec("softmax"),
        "xavier": lab_spec("xavier"),
        "exercise": designed(lab_spec("xavier"), (Layer(128, "sigmoid"), Layer(64, "sigmoid"))),
        "dropout": lab_spec("dropout"),
        "cnn": lab_spec("cnn"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", default="softmax,xavier,exercise,dropout,cnn")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data")
    args = parser.parse_args()

    import torch

    from mnistpad.core.data.mnist import load_mnist
    from mnistpad.core.training.probe import measure_epoch
    from mnistpad.core.training.train import train

    torch.set_num_threads(args.threads)
    designs = _designs()
    names = args.designs.split(",")
    unknown = [n for n in names if n not in designs]
    if unknown:
        print(f"unknown design {unknown[0]!r}; choose from: {', '.join(designs)}", file=sys.stderr)
        return 1
    env = _common.environment(args.threads)
    data = load_mnist(_common.data_dir(args.data))
    measure_epoch(designs["softmax"])  # the first run in a process pays torch's start-up
    rows, results, failed = [], [], []
    for name in names:
        spec = designs[name]
        start = time.perf_counter()
        estimate = measure_epoch(spec)
        probe_s = time.perf_counter() - start
        real = train(spec.with_overrides(epochs=1), data, device="cpu", evaluate=False)
        real_s = real.epoch_seconds[0]
        ratio = estimate.epoch_seconds / real_s
        ok = LOW <= ratio <= HIGH
        failed += [] if ok else [name]
        results.append({"design": name, "estimate_s": round(estimate.epoch_seconds, 3),
                        "real_s": round(real_s, 3), "ratio": round(ratio, 3),
                        "probe_s": round(probe_s, 3), "ok": ok})
        rows.append([name, f"{estimate.epoch_seconds:.2f}", f"{real_s:.2f}", f"{ratio:.2f}",
                     f"{probe_s:.2f}", "PASS" if ok else "FAIL"])
        print(rows[-1], flush=True)
    _common.assert_no_qt()
    headers = ["design", "estimate s", "real epoch s", "estimate/real", "probe s", "target"]
    text = table(headers, rows)
    print(text)
    print(f"target: estimate/real from {LOW:.2f} to {HIGH:.2f}; load average "
          f"{env['loadavg_start']} at start, {_common.loadavg()} at end")
    _common.write_results("epoch_probe", {"environment": env, "results": results,
                                          "target": [LOW, HIGH]},
                          _common.markdown_table(headers, rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
