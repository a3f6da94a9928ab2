"""The ``mnistpad`` command: the GUI with no arguments, else train / models / eval / classify."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

from mnistpad import __version__
from mnistpad.cli import activations as cli_activations
from mnistpad.cli import adapt as cli_adapt
from mnistpad.cli import classify as cli_classify
from mnistpad.cli import code as cli_code
from mnistpad.cli import design as cli_design
from mnistpad.cli import desktop as cli_desktop
from mnistpad.cli import evaluate as cli_eval
from mnistpad.cli import inspect_model as cli_inspect
from mnistpad.cli import models as cli_models
from mnistpad.cli import paths as cli_paths
from mnistpad.cli import race as cli_race
from mnistpad.cli.common import (
    PROG,
    ProgressBar,
    exit_at_once,
    json_text,
    on_interrupt,
    remember_data_option,
    seed_arg,
)
from mnistpad.cli.common import load_data as _load_data
from mnistpad.cli.common import scan_models as _scan
from mnistpad.core.platform.errors import MnistpadError, TrainingCancelled
from mnistpad.core.platform.image_limits import quiet_size_warning


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # a short message and exit 2, as argparse does, no usage dump
        self.exit(2, f"{self.prog}: error: {message}\n(see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    from mnistpad.core.models.specs import (
        INITS,
        OPTIMIZERS,
        STROKE_VARIANTS,
        VARIANTS,
        optimizer_words,
    )

    parser = _Parser(prog=PROG, description="Draw a digit, train the lab models, see what each "
                                            "one reads. With no command, opens the window.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--verbose", action="store_true",
                        help="with the window: also write its log to the terminal")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    train = sub.add_parser("train", help="train a lab variant on MNIST and save it")
    train.add_argument("variant", nargs="?", choices=[*VARIANTS, *STROKE_VARIANTS],
                       metavar="VARIANT", help=", ".join([*VARIANTS, *STROKE_VARIANTS]))
    train.add_argument("--all", action="store_true",
                       help="train every variant with its own settings (use with --out DIR)")
    train.add_argument("--epochs", type=int)
    train.add_argument("--batch-size", type=int)
    train.add_argument("--lr", type=float, help="learning rate")
    train.add_argument("--optimizer", choices=OPTIMIZERS, metavar="NAME", help=(
        "one of " + ", ".join(optimizer_words(key) for key in OPTIMIZERS)
        + " (as the app names them; give the lower-case name)"))
    train.add_argument("--init", choices=INITS, help="weight init of the fully connected layers")
    train.add_argument("--keep-prob", type=float, help="dropout keep probability (1 = off)")
    train.add_argument("--seed", type=seed_arg, default=777)
    # default None, read as auto: given to the stroke reader, it is refused (cli_strokes.py)
    train.add_argument("--device", choices=["auto", "cpu", "cuda"], help="default: auto")
    train.add_argument("--data", help="MNIST folder (its IDX files, raw/ or MNIST/raw/)")
    train.add_argument("--download", action="store_true", help="download MNIST if missing")
    train.add_argument("--out", help="model file to write, or a folder (with --all)")
    train.add_argument("--json", action="store_true", help="one JSON object per epoch")

    cli_design.add_arguments(train)

    cli_models.add_parser(sub)
    cli_eval.add_parser(sub)

    cli_adapt.add_parser(sub)

    cli_classify.add_parser(sub)
    cli_inspect.add_parser(sub)
    cli_code.add_parser(sub)
    cli_activations.add_parser(sub)
    cli_race.add_parser(sub)
    cli_paths.add_parser(sub)
    cli_desktop.add_parser(sub)
    return parser


def _out_path(args, name: str, taken: set[str]) -> tuple[Path, str]:
    from mnistpad.core.files.modelfile import SUFFIX
    from mnistpad.core.models.registry import unique_name
    from mnistpad.core.platform.paths import user_models_dir

    if args.out and (args.all or Path(args.out).is_dir()):
        return Path(args.out) / f"{name}{SUFFIX}", name
    if args.out:
        path = Path(args.out)
        if path.suffix != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        return path, path.stem
    unique = unique_name(name, taken)
    return user_models_dir() / f"{unique}{SUFFIX}", unique


def _epoch_printer(args, bar, model_name: str):
    """The per-epoch line: the lecture's log line, or with --json one object."""

    def on_progress(record) -> None:
        bar.update(record)
        if record.kind != "epoch":
            return
        bar.close()
        if args.json:
            print(json_text({
                "model": model_name, "epoch": record.epoch, "cost": record.cost,
                "seconds": round(record.epoch_seconds, 3),
                "samples_per_s": round(record.samples_per_s, 1),
                "test_acc": record.test_acc, "test_cost": record.test_cost,
                "train_acc": record.train_acc, "train_cost": record.train_cost,
            }), flush=True)
        else:
            print(f"Epoch: {record.epoch:04d} cost = {record.cost:.9f}  "
                  f"(test accuracy {record.test_acc:.4f}, {record.epoch_seconds:.1f}s)",
                  flush=True)

    return on_progress


def _say_training(spec, model_name: str) -> None:
    from mnistpad.core.models.specs import optimizer_words

    if spec.pen_copies:
        print(f"Drawing the training writers' pen digits {spec.pen_copies} times each "
              f"(about {spec.pen_copies * 10} s)...", flush=True)
    print(f"Training {model_name}: {spec.variant}, {spec.epochs} epochs, batch "
          f"{spec.batch_size}, {optimizer_words(spec.optimizer)} lr "
          f"{spec.learning_rate:g}, init {spec.init}, keep_prob {spec.keep_prob:g}", flush=True)


def _say_saved(args, spec, model_name: str, saved: Path, result) -> None:
    from mnistpad.core.models.specs import spec_parameter_count

    if args.json:
        print(json_text({"model": model_name, "saved": str(saved),
                         "parameters": spec_parameter_count(spec),
                         "test_acc": result.test_accuracy,
                         "drawn_acc": result.drawn_accuracy,
                         "training_data": result.training_data,
                         "seconds": round(result.seconds, 2)}), flush=True)
    else:
        print("Learning finished")
        print(f"Accuracy: {result.test_accuracy:.4f}")
        print(f"Drawn digits of unseen writers: {result.drawn_accuracy:.4f}")
        print(f"Saved {model_name} to {saved}")


def cmd_train(args) -> int:
    from mnistpad.cli import strokes as cli_strokes
    from mnistpad.core.files.modelfile import check_writable, expected_file_size, save_result
    from mnistpad.core.models.specs import STROKE_VARIANTS, VARIANTS, lab_spec
    from mnistpad.core.training.train import train

    if args.all == bool(args.variant):
        raise MnistpadError("name one VARIANT to train, or --all")
    if args.variant in STROKE_VARIANTS:  # a reader of strokes, trained apart (cli_strokes.py)
        return cli_strokes.run(args)
    names = list(VARIANTS) if args.all else [args.variant]
    specs = {name: cli_design.design_from_args(lab_spec(name).with_overrides(
        epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.lr,
        optimizer=args.optimizer, init=args.init, keep_prob=args.keep_prob,
    ), args) for name in names}  # every knob is checked before MNIST loads
    data = _load_data(args)
    taken = _scan().names()
    import torch

    from mnistpad.core.training.threads import threads_for

    threads = torch.get_num_threads()
    for name in names:
        spec = specs[name]
        path, model_name = _out_path(args, name, taken)
        check_writable(path, expected_file_size(spec))  # a read-only or full folder fails now
        bar = ProgressBar(model_name)
        if not args.json:
            _say_training(spec, model_name)
        torch.set_num_threads(threads_for(spec, threads))  # one for a small net, as the window
        try:  # Ctrl+C while training leaves at once: nothing needs cleaning up yet
            result = train(spec, data, seed=args.seed, device=args.device or "auto",
                           on_progress=_epoch_printer(args, bar, model_name))
        finally:
            bar.close()
        # While saving, Ctrl+C raises KeyboardInterrupt, so that the save removes its
        # temporary file; main() reports it. Then back to leaving at once.
        on_interrupt(signal.default_int_handler)
        saved = save_result(path, result, name=model_name)
        on_interrupt(exit_at_once)
        taken.add(model_name)
        _say_saved(args, spec, model_name, saved, result)
    return 0


def run_gui() -> int:
    from mnistpad.core.platform.display import window_problem

    quiet_size_warning()  # mnistpad-gui starts here, not in main()
    problem = window_problem()
    if problem:  # checked before Qt starts: Qt itself would abort with a core dump
        print(f"{PROG}: error: {problem}", file=sys.stderr)
        return 1
    try:
        from mnistpad.ui.shell.app import run
    except ImportError as exc:
        print(f"{PROG}: the window cannot open: {exc}. The commands still work: "
              f"see '{PROG} --help'.", file=sys.stderr)
        return 1
    return run()


COMMANDS = {"train": cmd_train, "models": cli_models.run, "eval": cli_eval.run,
            "classify": cli_classify.run,
            "adapt": cli_adapt.run, "inspect": cli_inspect.run,
            "code": cli_code.run, "activations": cli_activations.run,
            "race": cli_race.run,
            "paths": cli_paths.run, "install-desktop": cli_desktop.run}


def _log_caught(exc: BaseException, level: int = logging.ERROR) -> str:
    """Write ``exc`` with its traceback to the log file (see :mod:`mnistpad.core.platform.log`);
    returns the log file's path for a message."""
    from mnistpad.core.platform.log import log_file, setup_logging

    setup_logging().getChild("cli").log(level, "%s: %s", type(exc).__name__, exc,
                                        exc_info=exc)
    return str(log_file())


def main(argv: list[str] | None = None) -> int:
    # Ctrl+C is answered from the first line on: parsing imports torch, which takes seconds.
    previous = on_interrupt(exit_at_once)
    quiet_size_warning()
    args = None
    try:
        args = _parser().parse_args(argv)
        if args.command is None:
            on_interrupt(signal.default_int_handler)
            return run_gui()
        return COMMANDS[args.command](args)
    except TrainingCancelled as exc:
        _log_caught(exc, logging.INFO)
        print(f"\n{PROG}: training cancelled; nothing was saved.", file=sys.stderr)
        return 130
    except KeyboardInterrupt as exc:
        _log_caught(exc, logging.INFO)
        print(f"\n{PROG}: interrupted; nothing was saved.", file=sys.stderr)
        return 130
    except BrokenPipeError as exc:
        # the reader went away (``mnistpad models | head``): stop quietly, as Unix tools do
        _log_caught(exc, logging.INFO)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except (MnistpadError, ValueError, OSError) as exc:
        _log_caught(exc)
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line here, the traceback in the log
        where = _log_caught(exc)
        print(f"{PROG}: error: unexpected {type(exc).__name__}: {exc} (details in {where})",
              file=sys.stderr)
        return 1
    finally:
        if args is not None and args.command:
            remember_data_option(args)
        if previous is not None:
            on_interrupt(previous)
