"""``mnistpad activations``: each layer's activations and gradients over 1,000 test digits.

For a saved model, or (``--untrained``) a lab variant freshly initialized with ``--init``
and ``--seed``: per layer its name, kind, mean, standard deviation, the fraction of ReLU
units zero for every digit (dead units; ``-`` / null where the layer is no ReLU) and the
gradients' standard deviation, plus the batch's cost. ``--json`` adds both histograms.
"""

from __future__ import annotations

import json
import math
import sys

NAME = "activations"
DEFAULT_SEED = 0


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        NAME, help="each layer's activations, gradients and dead units over 1,000 test digits")
    parser.add_argument("model", metavar="MODEL_OR_VARIANT",
                        help="saved model name or file, or (with --untrained) a lab variant")
    parser.add_argument("--untrained", action="store_true",
                        help="read the variant freshly initialized, not a saved model")
    # --init and --seed are checked in run(): bad input is one line and exit code 1.
    parser.add_argument("--init", metavar="INIT",
                        help="with --untrained: normal (N(0,1)), xavier or he "
                             "(default: the variant's own)")
    parser.add_argument("--seed", metavar="S",
                        help=f"with --untrained: the initialization's seed "
                             f"(default {DEFAULT_SEED})")
    parser.add_argument("--data", metavar="DIR",
                        help="MNIST folder: its first 1,000 test digits (default: the 1,000 "
                             "test digits shipped with mnistpad)")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object, with each layer's histograms")


def _fail(message: str) -> int:
    print(f"mnistpad: error: {message}", file=sys.stderr)
    return 1


def _check_args(args) -> str | None:
    """What is wrong with the arguments, in one line, or None."""
    from mnistpad.core.models.specs import INITS, VARIANTS
    from mnistpad.core.training.train import MAX_SEED

    if not args.untrained:
        if args.init is not None or args.seed is not None:
            return "--init and --seed apply to a fresh model only: add --untrained"
        return None
    if args.model not in VARIANTS:
        return f"unknown variant {args.model!r}; choose one of: {', '.join(VARIANTS)}"
    if args.init is not None and args.init not in INITS:
        return f"unknown init {args.init!r}; choose one of: {', '.join(INITS)}"
    # isdigit() alone takes '²', which int() refuses: ASCII digits only
    if args.seed is not None and not (args.seed.isascii() and args.seed.isdigit()
                                      and int(args.seed) <= MAX_SEED):
        return (f"--seed: the seed must be a whole number from 0 to {MAX_SEED}, not "
                f"{args.seed[:40]!r}")
    return None


def _variant_init(variant: str) -> str:
    from mnistpad.core.models.specs import lab_spec

    return lab_spec(variant).init


def _seed(args) -> int:
    return DEFAULT_SEED if args.seed is None else int(args.seed)


def _model(args):
    """(model, what it is in words)."""
    if args.untrained:
        from mnistpad.core.lessons.activations import fresh_model

        init, seed = args.init or _variant_init(args.model), _seed(args)
        return (fresh_model(args.model, init, seed),
                f"{args.model}, untrained, {init} init, seed {seed}")
    from mnistpad.core.files.modelfile import load_model
    from mnistpad.core.models.registry import resolve_model
    from mnistpad.core.platform.errors import ModelFileError

    try:
        path = resolve_model(args.model)
    except ModelFileError as exc:
        raise ModelFileError(f"{exc}; or read a lab variant freshly initialized with "
                             f"--untrained") from None
    loaded = load_model(path)
    return loaded.model, loaded.info.name


def _finite(value):
    """JSON has no NaN or infinity: such a figure (a blown-up network's) is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def _print_table(stats, described: str) -> None:
    from mnistpad.core.lessons.activations import BatchSource

    source = ("the MNIST test set" if stats.source is BatchSource.MNIST_TEST
              else "the test digits shipped with mnistpad")
    print(f"{described}: cost {stats.cost:.4g} over {stats.digits:,} digits of {source}")
    for number, member in enumerate(stats.members, 1):
        if stats.is_ensemble:
            print(f"member {number}: cost {member.cost:.4g}")
        print(f"{'name':<14} {'kind':<12} {'mean':>10} {'std':>10} {'zero_fraction':>13} "
              f"{'grad_std':>10}")
        for layer in member.layers:
            print(f"{layer.name:<14} {layer.kind:<12} {_figure(layer.mean):>10} "
                  f"{_figure(layer.std):>10} {_figure(layer.zero_fraction):>13} "
                  f"{_figure(layer.grad_std):>10}")
        if not member.has_relu:
            print("(no ReLU layers: dead units do not apply)")


def run(args) -> int:
    problem = _check_args(args)
    if problem:
        return _fail(problem)
    from mnistpad.core.lessons.activations import probe_batch, read_model
    from mnistpad.core.platform.paths import resolve_data_dir

    model, described = _model(args)
    batch = probe_batch(resolve_data_dir(args.data) if args.data else None)
    stats = read_model(model, batch)
    if args.json:
        payload = {"model": described, "untrained": args.untrained}
        if args.untrained:
            payload.update(init=args.init or _variant_init(args.model), seed=_seed(args))
        payload.update(stats.to_dict())
        print(json.dumps(_finite(payload), allow_nan=False))
    else:
        _print_table(stats, described)
    return 0
