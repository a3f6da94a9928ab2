"""Training speed on the CPU: mnistpad's trainer against the lecture-style reference loop and
a bare loop over pre-batched tensors, one epoch per variant.

    python bench/train_speed.py [--variants softmax,xavier,cnn] [--epochs 1] [--threads 2]
                                [--warmup-batches 20] [--repeats N] [--isolate] [--data DIR]

For each variant three loops train the same model (``build_model`` after
``torch.manual_seed(seed)``, so identical initial weights) with the same optimizer
(``make_optimizer``: Adam at the spec's learning rate), batch 100, in train mode:

  trainer    mnistpad.core.training.train.train(spec with epochs=N, evaluate=False, device="cpu"),
             no progress callback; timed by the loop's own ``epoch_seconds`` (model build and
             data setup excluded, as for the other two)
  reference  the way the lecture's PyTorch ports are written: torchvision.datasets.MNIST
             with transforms.ToTensor(), DataLoader(batch_size=100, shuffle=True), the batch
             reshaped in the loop, ``avg_cost += cost / total_batch`` every batch
  bare       the floor: a list of (x, y) batches already in the model's input shape, no
             shuffling or indexing in the loop, the cost summed as a tensor

Fairness: the data of all loops is loaded before any timing; each loop is warmed up first on
a throwaway model (``--warmup-batches`` batches: the trainer through its cancel check, the
others by breaking out of their loops), and the order of the timed loops rotates from one
variant (and repeat) to the next. Each figure is the median of several epochs: 5 for softmax,
nn and xavier, 3 for deep, dropout and batchnorm, 1 for the CNNs (``--repeats N`` for all).

Targets: reference/trainer >= 1.3x for every variant (>= 5x for softmax), trainer/bare <=
1.10 (within 10% of the floor). Peak RSS is ``ru_maxrss``, per process and monotonic: in the
default single process it shows how much each stage raised the peak; ``--isolate`` runs every
(variant, loop) in a fresh subprocess instead, so each loop's peak includes its own data and
nothing else. Writes bench/results/train_speed.{json,md}.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import statistics
import subprocess
import sys
import time

import _common
from _common import table

LOOPS = ("trainer", "reference", "bare")
ALL_VARIANTS = ("softmax", "nn", "xavier", "deep", "dropout", "batchnorm", "cnn", "deepcnn")
TARGET_REF_OVER_TRAINER = 1.3
TARGET_REF_OVER_TRAINER_SOFTMAX = 5.0
TARGET_TRAINER_OVER_BARE = 1.10
BATCH = 100


class Data:
    """Everything the loops read, loaded lazily and once per process."""

    def __init__(self, root):
        self.root = root
        self._mnist = None
        self._reference = None
        self._bare: dict[tuple, list] = {}

    @property
    def mnist(self):
        if self._mnist is None:
            from mnistpad.core.data.mnist import load_mnist

            self._mnist = load_mnist(self.root)
        return self._mnist

    @property
    def reference(self):
        """The lecture ports' dataset: PIL images converted by ToTensor on every access."""
        if self._reference is None:
            import torchvision.datasets as dsets
            import torchvision.transforms as transforms

            self._reference = dsets.MNIST(root=str(self.root), train=True,
                                          transform=transforms.ToTensor(), download=False)
        return self._reference

    def bare(self, shape: tuple[int, ...]) -> list:
        """The training set cut into (x, y) batches of the model's input shape, in order."""
        if shape not in self._bare:
            images, labels = self.mnist.train.images, self.mnist.train.labels
            self._bare[shape] = [
                (images[i : i + BATCH].view(-1, *shape), labels[i : i + BATCH])
                for i in range(0, len(labels), BATCH)
            ]
        return self._bare[shape]

    def prepare(self, loop: str, spec) -> None:
        if loop in ("trainer", "bare"):
            self.mnist  # noqa: B018 - load now, outside the timed region
        if loop == "bare":
            self.bare(spec.input_shape)
        if loop == "reference":
            self.reference  # noqa: B018


def _fresh(spec, seed):
    import torch

    from mnistpad.core.models.variants import build_model
    from mnistpad.core.training.train import make_optimizer

    torch.manual_seed(seed)
    model = build_model(spec)
    return model, make_optimizer(spec, model.parameters())


def run_trainer(spec, data: Data, seed: int, max_batches: int | None = None):
    """Seconds of the trainer's epochs and its mean cost; ``max_batches`` warms up only."""
    from mnistpad.core.platform.errors import TrainingCancelled
    from mnistpad.core.training.train import train

    if max_batches is not None:
        calls = iter(range(max_batches + 1))
        with contextlib.suppress(TrainingCancelled):
            train(spec, data.mnist, seed=seed, device="cpu", evaluate=False,
                  should_stop=lambda: next(calls) >= max_batches)
        return None
    result = train(spec, data.mnist, seed=seed, device="cpu", evaluate=False)
    return sum(result.epoch_seconds), result.cost_history[-1]


def run_reference(spec, data: Data, seed: int, max_batches: int | None = None):
    """The loop of the lecture's PyTorch ports (lab-10_x_mnist_*.py), on ``spec``'s model."""
    import torch

    model, optimizer = _fresh(spec, seed)  # seeds torch, so the shuffle is seeded too
    data_loader = torch.utils.data.DataLoader(dataset=data.reference, batch_size=BATCH,
                                              shuffle=True)
    criterion = torch.nn.CrossEntropyLoss()
    total_batch = len(data_loader)
    shape = spec.input_shape
    model.train()
    start = time.perf_counter()
    for _epoch in range(spec.epochs):
        avg_cost = 0
        for done, (X, Y) in enumerate(data_loader):
            if max_batches is not None and done >= max_batches:
                return None
            X = X.view(-1, *shape)
            optimizer.zero_grad()
            hypothesis = model(X)
            cost = criterion(hypothesis, Y)
            cost.backward()
            optimizer.step()
            avg_cost += cost / total_batch
    seconds = time.perf_counter() - start
    return seconds, avg_cost.detach().item()


def run_bare(spec, data: Data, seed: int, max_batches: int | None = None):
    import torch.nn.functional as F

    model, optimizer = _fresh(spec, seed)
    batches = data.bare(spec.input_shape)
    if max_batches is not None:
        batches = batches[:max_batches]
    model.train()
    start = time.perf_counter()
    for _epoch in range(spec.epochs):
        total = 0.0
        for x, y in batches:
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total = total + loss.detach()
    seconds = time.perf_counter() - start
    return None if max_batches is not None else (seconds, float(total) / len(batches))


RUNNERS = {"trainer": run_trainer, "reference": run_reference, "bare": run_bare}


def measure(loop: str, spec, data: Data, seed: int) -> dict:
    """One timed run of ``loop`` (data already prepared, loop already warmed up)."""
    rss_before, peak_before = _common.current_rss_mib(), _common.peak_rss_mib()
    cpu_start = time.process_time()
    seconds, cost = RUNNERS[loop](spec, data, seed)
    cpu = time.process_time() - cpu_start
    peak = _common.peak_rss_mib()
    return {"seconds": seconds, "cpu_seconds": cpu, "cost": cost,
            "samples_per_s": len(data.reference if loop == "reference" else data.mnist.train)
            * spec.epochs / seconds,
            "peak_rss_mib": peak, "peak_growth_mib": peak - peak_before,
            "rss_growth_mib": _common.current_rss_mib() - rss_before,
            "loadavg": _common.loadavg()}


def variant_spec(name: str, epochs: int):
    from mnistpad.core.models.variants import LAB_VARIANTS

    return dataclasses.replace(LAB_VARIANTS[name], epochs=epochs)


def child_main(args) -> int:
    """``--child VARIANT LOOP``: load, warm up and time one loop, print one JSON line."""
    import torch

    torch.set_num_threads(args.threads)
    variant, loop = args.child
    spec = variant_spec(variant, args.epochs)
    data = Data(_common.data_dir(args.data))
    data.prepare(loop, spec)
    if args.warmup_batches:
        RUNNERS[loop](spec, data, args.seed, args.warmup_batches)
    runs = [measure(loop, spec, data, args.seed) for _ in range(args.repeats or 1)]
    print(json.dumps(runs))
    return 0


def _run_isolated(args, variant: str, loop: str) -> list[dict]:
    cmd = [sys.executable, __file__, "--child", variant, loop, "--epochs", str(args.epochs),
           "--threads", str(args.threads), "--warmup-batches", str(args.warmup_batches),
           "--repeats", "1", "--seed", str(args.seed)]
    if args.data:
        cmd += ["--data", args.data]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{variant}/{loop} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median_run(runs: list[dict]) -> dict:
    summary = dict(runs[len(runs) // 2])
    for key in ("seconds", "cpu_seconds", "samples_per_s"):
        summary[key] = statistics.median(r[key] for r in runs)
    summary["all_seconds"] = [round(r["seconds"], 3) for r in runs]
    summary["peak_rss_mib"] = max(r["peak_rss_mib"] for r in runs)
    return summary


# A one-epoch time of the small variants varies by +-10% from run to run on a shared 2-core
# machine; their medians over several epochs are steady. The CNNs' epochs are long enough.
AUTO_REPEATS = {"softmax": 5, "nn": 5, "xavier": 5, "deep": 3, "dropout": 3, "batchnorm": 3,
                "cnn": 1, "deepcnn": 1}


def repeats_for(args, variant: str) -> int:
    return args.repeats if args.repeats is not None else AUTO_REPEATS.get(variant, 1)


def _verdicts(variant: str, ref_ratio: float, bare_ratio: float) -> tuple[bool, bool, float]:
    need = (TARGET_REF_OVER_TRAINER_SOFTMAX if variant == "softmax"
            else TARGET_REF_OVER_TRAINER)
    return ref_ratio >= need, bare_ratio <= TARGET_TRAINER_OVER_BARE, need


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default=",".join(ALL_VARIANTS),
                        help="comma-separated variants (default: all eight lab variants)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (2)")
    parser.add_argument("--warmup-batches", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed epochs per loop, figures are medians (default: "
                             + ", ".join(f"{n} for {v}" for v, n in AUTO_REPEATS.items())
                             + ", so every variant gets some 20 s or more of loops)")
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--isolate", action="store_true",
                        help="run each (variant, loop) in its own process (per-loop peak RSS)")
    parser.add_argument("--data", help="MNIST folder holding MNIST/raw/")
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "LOOP"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args)

    import torch

    torch.set_num_threads(args.threads)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in ALL_VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {', '.join(ALL_VARIANTS)}")
    env = _common.environment(args.threads)
    data = Data(_common.data_dir(args.data))
    method = (
        f"{args.epochs} epoch(s) per loop, torch.set_num_threads({args.threads}), seed "
        f"{args.seed}; each loop warmed up with {args.warmup_batches} batches on a throwaway "
        f"model, then timed; the order of the three loops rotates per variant"
        + " and repeat"
        + (f"; median of {args.repeats} timed epochs" if args.repeats is not None else
           "; median of " + ", ".join(f"{AUTO_REPEATS[v]} ({v})" for v in variants)
           + " timed epochs")
        + ("; every (variant, loop) in its own subprocess" if args.isolate
           else "; all loops in this one process")
    )
    print(f"Training speed, CPU: {method}.")
    print(f"Load average at start: {env['loadavg_start']} (CPU pressure "
          f"{env['cpu_pressure_start']}); the CPU may be shared, so figures can be noisy.\n")
    baseline = {}
    if not args.isolate:
        import torchvision  # noqa: F401 - counted in the baseline, as the reference needs it

        baseline["after imports"] = _common.current_rss_mib()
        start = time.perf_counter()
        data.prepare("trainer", variant_spec("softmax", 1))
        baseline["+ mnistpad data (train+test, float32)"] = _common.current_rss_mib()
        data.prepare("reference", variant_spec("softmax", 1))
        baseline["+ torchvision MNIST (reference)"] = _common.current_rss_mib()
        for name in ALL_VARIANTS:
            data.prepare("bare", variant_spec(name, 1))
        baseline["+ bare batches (views)"] = _common.current_rss_mib()
        print(f"Data loaded in {time.perf_counter() - start:.1f}s. RSS: "
              + ", ".join(f"{k} {v:.0f} MiB" for k, v in baseline.items())
              + f"; peak so far {_common.peak_rss_mib():.0f} MiB\n")

    results = []
    bench_start = time.perf_counter()
    for index, variant in enumerate(variants):
        spec = variant_spec(variant, args.epochs)
        runs: dict[str, list[dict]] = {loop: [] for loop in LOOPS}
        if args.isolate:
            for r in range(repeats_for(args, variant)):
                for k in range(len(LOOPS)):
                    loop = LOOPS[(index + r + k) % len(LOOPS)]
                    runs[loop] += _run_isolated(args, variant, loop)
        else:
            for loop in LOOPS:
                if args.warmup_batches:
                    RUNNERS[loop](spec, data, args.seed, args.warmup_batches)
            for r in range(repeats_for(args, variant)):
                for k in range(len(LOOPS)):
                    loop = LOOPS[(index + r + k) % len(LOOPS)]
                    runs[loop].append(measure(loop, spec, data, args.seed))
        order = [LOOPS[(index + k) % len(LOOPS)] for k in range(len(LOOPS))]
        row = {"variant": variant, "order": order,
               **{loop: _median_run(runs[loop]) for loop in LOOPS}}
        row["ref_over_trainer"] = row["reference"]["seconds"] / row["trainer"]["seconds"]
        row["trainer_over_bare"] = row["trainer"]["seconds"] / row["bare"]["seconds"]
        ok_ref, ok_bare, need = _verdicts(variant, row["ref_over_trainer"],
                                          row["trainer_over_bare"])
        row.update(target_ref_over_trainer=need, ref_ok=ok_ref, bare_ok=ok_bare)
        results.append(row)
        t, ref, bare = row["trainer"], row["reference"], row["bare"]
        print(f"{variant:<10} trainer {t['seconds']:7.2f}s  reference {ref['seconds']:7.2f}s  "
              f"bare {bare['seconds']:7.2f}s  ref/trainer {row['ref_over_trainer']:5.2f}x  "
              f"trainer/bare {row['trainer_over_bare']:5.2f}  (order {'>'.join(order)}, "
              f"load {t['loadavg']})", flush=True)
    total = time.perf_counter() - bench_start

    headers = ["variant", "trainer s", "reference s", "bare s", "ref/trainer", "target",
               "trainer/bare", "target", "trainer samples/s", "reference samples/s",
               "bare samples/s", "epoch-1 cost t/r/b"]
    body = []
    for row in results:
        t, ref, bare = row["trainer"], row["reference"], row["bare"]
        body.append([
            row["variant"], f"{t['seconds']:.2f}", f"{ref['seconds']:.2f}",
            f"{bare['seconds']:.2f}",
            f"{row['ref_over_trainer']:.2f}x {'PASS' if row['ref_ok'] else 'FAIL'}",
            f">={row['target_ref_over_trainer']:g}x",
            f"{row['trainer_over_bare']:.2f} {'PASS' if row['bare_ok'] else 'FAIL'}",
            f"<={TARGET_TRAINER_OVER_BARE:.2f}",
            f"{t['samples_per_s']:,.0f}", f"{ref['samples_per_s']:,.0f}",
            f"{bare['samples_per_s']:,.0f}",
            f"{t['cost']:.3g}/{ref['cost']:.3g}/{bare['cost']:.3g}",
        ])
    mem_headers = ["variant", "loop", "wall s", "cpu s", "cpu/wall", "peak RSS MiB",
                   "peak +MiB", "RSS +MiB"]
    mem_body = []
    for row in results:
        for loop in row["order"]:
            m = row[loop]
            mem_body.append([row["variant"], loop, f"{m['seconds']:.2f}",
                             f"{m['cpu_seconds']:.2f}", f"{m['cpu_seconds'] / m['seconds']:.2f}",
                             f"{m['peak_rss_mib']:.0f}", f"{m['peak_growth_mib']:+.0f}",
                             f"{m['rss_growth_mib']:+.0f}"])
    failed = [r["variant"] for r in results if not (r["ref_ok"] and r["bare_ok"])]
    summary = ("All targets met." if not failed
               else f"Targets missed by: {', '.join(failed)}.")
    noise = (f"Load average {env['loadavg_start']} at start, {_common.loadavg()} at end; "
             f"CPU pressure (PSI some avg10/60/300) {_common.cpu_pressure()} at end. "
             f"Benchmark time {total:.0f}s.")
    print()
    print(table(headers, body))
    print("\nTime per loop is one epoch's wall time (loop only); 'epoch-1 cost' is each loop's "
          "mean cost, a check that the three loops do the same work.")
    print("\nCPU and memory per stage (in run order; peak RSS is ru_maxrss, monotonic"
          + ("; each loop in its own process)" if args.isolate else
             " over this whole process, so 'peak +MiB' is how much a stage raised it)"))
    print(table(mem_headers, mem_body, align="ll" + "r" * 6))
    print(f"\n{summary}\n{noise}")

    markdown = (
        "# Training speed on the CPU\n\n"
        f"{method}.\n\n" + _common.markdown_table(headers, body)
        + ("\n\nRSS before the loops: "
           + ", ".join(f"{k} {v:.0f} MiB" for k, v in baseline.items()) if baseline else "")
        + "\n\n## CPU time and memory per stage\n\n"
        + _common.markdown_table(mem_headers, mem_body)
        + f"\n\n{summary}\n\n{noise}\n"
    )
    _common.assert_no_qt()
    paths = _common.write_results(
        "train_speed", {"environment": env, "method": method, "results": results,
                        "targets": {"ref_over_trainer": TARGET_REF_OVER_TRAINER,
                                    "ref_over_trainer_softmax": TARGET_REF_OVER_TRAINER_SOFTMAX,
                                    "trainer_over_bare": TARGET_TRAINER_OVER_BARE},
                        "rss_baseline_mib": baseline, "seconds": total,
                        "all_targets_met": not failed}, markdown)
    print(f"Wrote {paths[0]} and {paths[1]}")
    return 0 if not failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
