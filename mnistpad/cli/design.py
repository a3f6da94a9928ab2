"""``mnistpad train VARIANT --hidden 512,256 --activation sigmoid --batch-norm``: a design of
one's own layers from the command line, on a variant's recipe (see core.models.layers).

The recipe knobs ``--lr``, ``--optimizer``, ``--init`` and ``--keep-prob`` are cli.py's own;
this module adds the layer knobs and turns them, with ``--keep-prob``, into the spec trained.
"""

from __future__ import annotations

import argparse

_DESIGN_FLAGS = "--hidden, --activation and --batch-norm"


def add_arguments(train: argparse.ArgumentParser) -> None:
    train.add_argument("--hidden", metavar="WIDTHS",
                       help="hidden layer widths, such as 512,256 ('' for none); for a CNN, "
                            "the fully connected layers after its convolutions")
    train.add_argument("--activation", metavar="NAME",
                       help="activation of the hidden layers: relu, sigmoid or tanh")
    train.add_argument("--batch-norm", action=argparse.BooleanOptionalAction, default=None,
                       help="batch normalization before each hidden layer's activation")


def parse_widths(text: str) -> tuple[int, ...]:
    """``"512,256"`` as (512, 256); ``""`` or ``"none"`` as no hidden layer."""
    if text.strip().lower() in ("", "none"):
        return ()
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f"--hidden takes widths separated by commas, such as 512,256, "
                         f"not {text[:40]!r}") from None


def design_from_args(spec, args):
    """``spec`` (a lab variant's recipe, with cli.py's knobs applied) with the layer knobs
    applied; checked against what mnistpad trains. Raises ValueError with one line."""
    from mnistpad.core.models.layers import ACTIVATIONS, LIMITS, Layer
    from mnistpad.core.models.specs import designed, training_problems

    if args.hidden is not None or args.activation is not None or args.batch_norm is not None:
        if args.all:
            raise ValueError(f"{_DESIGN_FLAGS} design one VARIANT's layers; not with --all")
        if spec.arch == "ensemble":
            raise ValueError(f"{_DESIGN_FLAGS} apply to an MLP or a CNN, not the ensemble "
                             f"{spec.variant!r}")
        if args.activation is not None and args.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {args.activation[:40]!r}; choose one of: "
                             f"{', '.join(ACTIVATIONS)}")
        widths = (parse_widths(args.hidden) if args.hidden is not None
                  else tuple(layer.width for layer in spec.fc_layers()))
        batch_norm = spec.batch_norm if args.batch_norm is None else args.batch_norm
        if batch_norm and not widths:
            raise ValueError("--batch-norm needs at least one hidden layer (see --hidden)")
        layers = tuple(Layer(w, args.activation or "relu", spec.keep_prob, batch_norm)
                       for w in widths)
        spec = designed(spec, layers, spec.conv_stages())
    problems = training_problems(spec)
    if problems:
        raise ValueError(f"past mnistpad's limits: {problems[0]} ({LIMITS})")
    return spec
