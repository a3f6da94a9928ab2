"""``mnistpad race``: two to five optimizers train one lab variant side by side, from the same
initial weights on the same batches (:mod:`mnistpad.core.lessons.race`).

Every argument is checked before MNIST loads or torch is imported; bad input gets one line
and exit code 1 (through :func:`mnistpad.cli.main`, which reports ValueError so).
"""

from __future__ import annotations

import json

from mnistpad.core.lessons.race import (
    LECTURE_LEARNING_RATE,
    RACE_OPTIMIZERS,
    RACE_VARIANTS,
    TUNED_LEARNING_RATES,
    Racer,
    check_learning_rate,
    check_racers,
    check_variant,
)
from mnistpad.core.models.specs import MAX_EPOCHS, OPTIMIZER_LABELS


def add_parser(subparsers) -> None:
    race = subparsers.add_parser(
        "race", help="race optimizers on one variant: same start, same batches, one chart")
    race.add_argument("variant", metavar="VARIANT", help=f"one of: {', '.join(RACE_VARIANTS)}")
    race.add_argument("--optimizers", metavar="NAME,...",
                      help=f"2 to 5 of: {','.join(RACE_OPTIMIZERS)} (default: all five)")
    race.add_argument("--lr", metavar="NAME=VALUE,...",
                      help=f"learning rates (default {LECTURE_LEARNING_RATE:g}, the lecture's)")
    race.add_argument("--tuned", action="store_true",
                      help="start every optimizer at its tuned rate: "
                           + ", ".join(f"{k} {v:g}" for k, v in TUNED_LEARNING_RATES.items()))
    race.add_argument("--epochs", metavar="N", help="epochs (default: the variant's)")
    race.add_argument("--seed", metavar="S", default="777")
    race.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    race.add_argument("--data", help="MNIST folder (its IDX files, raw/ or MNIST/raw/)")
    race.add_argument("--download", action="store_true", help="download MNIST if missing")
    race.add_argument("--json", action="store_true",
                      help="print one JSON object: variant, seed, runs, seconds")


def _whole(flag: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ValueError(f"{flag} must be a whole number from {low} to {high}, "
                         f"not {text[:40]!r}")
    return value


def parse_racers(optimizers: str | None, rates: str | None, tuned: bool = False) -> list[Racer]:
    """``--optimizers`` (None: all five, the lecture's list) and ``--lr`` as checked racers, or
    ValueError with one line."""
    if optimizers is None:
        optimizers = ",".join(RACE_OPTIMIZERS)
    if not optimizers.strip():
        raise ValueError(f"name 2 to 5 optimizers with --optimizers, from: "
                         f"{','.join(RACE_OPTIMIZERS)}")
    names = [name.strip().lower() for name in optimizers.split(",")]
    check_racers([Racer(name) for name in names])  # names first: unknown, twice, how many
    chosen = {name: TUNED_LEARNING_RATES[name] if tuned else LECTURE_LEARNING_RATE
              for name in names}
    for item in (rates or "").split(","):
        if not item.strip():
            continue
        name, sep, value = item.partition("=")
        name = name.strip().lower()
        if not sep:
            raise ValueError(f"--lr takes NAME=VALUE pairs separated by commas, not "
                             f"{item[:40]!r}")
        if name not in chosen:
            raise ValueError(f"--lr names {name[:40]!r}, which is not racing; racing: "
                             f"{', '.join(chosen)}")
        chosen[name] = check_learning_rate(name, value.strip())
    return check_racers([Racer(name, rate) for name, rate in chosen.items()])


def _epoch_lines(record, racers: list[Racer]) -> list[str]:
    lines = []
    for racer, cost, acc, diverged in zip(racers, record.costs, record.test_acc,
                                          record.diverged, strict=True):
        label = f"{OPTIMIZER_LABELS[racer.optimizer]} lr {racer.learning_rate:g}"
        if diverged is not None:
            lines.append(f"Epoch: {record.epoch:04d} {label}: diverged at step {diverged}")
        else:
            lines.append(f"Epoch: {record.epoch:04d} cost = {cost:.9f}  ({label}, test "
                         f"accuracy {acc:.4f})")
    return lines


def _table(result) -> str:
    rows = [("optimizer", "learning rate", "last epoch cost", "test accuracy", "diverged")]
    for run in result.runs:
        rows.append((OPTIMIZER_LABELS[run.optimizer], f"{run.learning_rate:g}",
                     f"{run.epoch_costs[-1]:.6f}" if run.epoch_costs else "-",
                     f"{run.test_acc[-1]:.4f}" if run.test_acc else "-",
                     "-" if run.diverged_at is None else f"at step {run.diverged_at}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                     .rstrip() for row in rows)


def run(args) -> int:
    spec = check_variant(args.variant)
    racers = parse_racers(args.optimizers, args.lr, args.tuned)
    seed = _whole("--seed", args.seed, 0, 2**63 - 1)
    if args.epochs is not None:
        spec = spec.with_overrides(epochs=_whole("--epochs", args.epochs, 1, MAX_EPOCHS))

    from mnistpad.core.data.mnist import load_mnist
    from mnistpad.core.lessons.race import race
    from mnistpad.core.platform.paths import resolve_data_dir

    data = load_mnist(resolve_data_dir(args.data), download=args.download)

    def on_progress(record) -> None:
        if record.kind == "epoch" and not args.json:
            print("\n".join(_epoch_lines(record, racers)), flush=True)

    if not args.json:
        print(f"Racing {', '.join(OPTIMIZER_LABELS[r.optimizer] for r in racers)} on "
              f"{spec.variant}: {spec.epochs} epoch{'' if spec.epochs == 1 else 's'}, batch "
              f"{spec.batch_size}, seed {seed}, "
              f"the same start and the same batches for each", flush=True)
    result = race(spec, data, racers, seed=seed, device=args.device, on_progress=on_progress)
    if args.json:
        print(json.dumps(result.to_dict(), allow_nan=False), flush=True)
    else:
        print(_table(result))
        print(f"Raced in {result.seconds:.1f} s")
    return 0

