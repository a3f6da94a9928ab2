"""The ``mnistpad`` command: the GUI with no arguments, else train / models / eval / classify."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

from mnistpad import __version__
from mnistpad.core.errors import MnistpadError, TrainingCancelled

PROG = "mnistpad"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # a short message and exit 2, as argparse does, no usage dump
        self.exit(2, f"{self.prog}: error: {message}\n(see '{self.prog} --help')\n")


def _exit_at_once(signum, frame) -> None:
    """Ctrl+C while nothing needs cleaning up (parsing, importing torch, loading, checking):
    leave at once. A KeyboardInterrupt raised inside an import can be swallowed by a library's
    catch-all, and the command would run on as if nothing had been pressed."""
    sys.stderr.write(f"\n{PROG}: interrupted; nothing was saved.\n")
    sys.stderr.flush()
    os._exit(130)


def _on_interrupt(handler):
    """Install ``handler`` for SIGINT (main thread only); returns the one it replaces."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, handler)


def _seed(text: str) -> int:
    """--seed: a whole number torch can seed with; the message names the flag."""
    from mnistpad.core.train import MAX_SEED

    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to {MAX_SEED}, "
                                         f"not {text[:40]!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    from mnistpad.core.specs import INITS, OPTIMIZERS, STROKE_VARIANTS, VARIANTS

    parser = _Parser(prog=PROG, description="Draw a digit, train the lab models, see what each "
                                            "one reads. With no command, opens the window.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    train = sub.add_parser("train", help="train a lab variant on MNIST and save it")
    train.add_argument("variant", nargs="?", choices=[*VARIANTS, *STROKE_VARIANTS],
                       metavar="VARIANT", help=", ".join([*VARIANTS, *STROKE_VARIANTS]))
    train.add_argument("--all", action="store_true",
                       help="train every variant with its own settings (use with --out DIR)")
    train.add_argument("--epochs", type=int)
    train.add_argument("--batch-size", type=int)
    train.add_argument("--lr", type=float, help="learning rate")
    train.add_argument("--optimizer", choices=OPTIMIZERS)
    train.add_argument("--init", choices=INITS, help="weight init of the fully connected layers")
    train.add_argument("--keep-prob", type=float, help="dropout keep probability (1 = off)")
    train.add_argument("--seed", type=_seed, default=777)
    train.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    train.add_argument("--data", help="MNIST folder (its IDX files, raw/ or MNIST/raw/)")
    train.add_argument("--download", action="store_true", help="download MNIST if missing")
    train.add_argument("--out", help="model file to write, or a folder (with --all)")
    train.add_argument("--json", action="store_true", help="one JSON object per epoch")

    models = sub.add_parser("models", help="list saved variants")
    models.add_argument("--json", action="store_true")

    ev = sub.add_parser("eval", help="accuracy of saved variants on MNIST and on drawn digits")
    ev.add_argument("models", nargs="*", metavar="MODEL", help="names or files (default: all)")
    ev.add_argument("--data", help="MNIST folder (its IDX files, raw/ or MNIST/raw/)")
    ev.add_argument("--download", action="store_true", help="download MNIST if missing")
    ev.add_argument("--device", choices=["auto", "cpu", "cuda"], default="cpu")
    ev.add_argument("--record", action="store_true",
                    help="store the measured accuracies in each model file's metadata")
    ev.add_argument("--confusion", action="store_true",
                    help="also the confusion matrix and the most confused pairs")
    ev.add_argument("--json", action="store_true")

    ad = sub.add_parser("adapt", help="personalize a saved model on your own digit images")
    ad.add_argument("model", metavar="MODEL", help="saved variant name or model file")
    ad.add_argument("--samples", required=True, metavar="DIR",
                    help="folder with 0/ ... 9/ subfolders of digit images (any image files)")
    ad.add_argument("--out", help="model file to write (default: MODEL-personal in your "
                                  "models folder)")
    ad.add_argument("--steps", type=int, help="fine-tuning steps (default 60)")
    ad.add_argument("--seed", type=int, default=0)
    ad.add_argument("--json", action="store_true")

    cl = sub.add_parser("classify", help="read the digit in image files")
    cl.add_argument("images", nargs="+", metavar="IMAGE")
    cl.add_argument("--model", help="saved variant name or model file (default: the default)")
    cl.add_argument("--json", action="store_true")

    ins = sub.add_parser("inspect", help="write every layer's output, the weights and the "
                                         "saliency maps for one image as PNG files")
    ins.add_argument("model", metavar="MODEL", help="saved variant name or model file")
    ins.add_argument("image", metavar="IMAGE", help="image file with one digit")
    ins.add_argument("--out", required=True, metavar="DIR", help="folder for the PNG files")
    ins.add_argument("--digit", type=int, choices=range(10), metavar="D",
                     help="saliency towards this digit (default: the digit read)")
    return parser


class _ProgressBar:
    """A one-line progress bar on a terminal's stderr, redrawn at most 10 times a second."""

    def __init__(self, label: str):
        self.label = label
        self.enabled = sys.stderr.isatty()
        self._last = 0.0

    def update(self, record) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.1 and record.kind == "batch"):
            return
        self._last = now
        done = record.fraction
        bar = "#" * int(done * 30)
        left = record.seconds / done - record.seconds if done > 0 else 0.0
        sys.stderr.write(
            f"\r{self.label} [{bar:<30}] epoch {record.epoch}/{record.epochs} "
            f"cost {record.cost:.4f} {record.samples_per_s:,.0f}/s ~{left:.0f}s left "
        )
        sys.stderr.flush()

    def fraction(self, done: float) -> None:
        """Progress of a job measured as a fraction only (no epochs or costs)."""
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.1 and done < 1):
            return
        self._last = now
        sys.stderr.write(f"\r{self.label} [{'#' * int(done * 30):<30}] {100 * done:3.0f}% ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()


def _scan():
    """The saved models; a file that cannot be read is skipped with a warning naming it."""
    from mnistpad.core.registry import scan

    catalog = scan()
    for problem in catalog.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return catalog


def _load_data(args):
    from mnistpad.core.data import load_mnist
    from mnistpad.core.paths import resolve_data_dir

    return load_mnist(resolve_data_dir(args.data), download=args.download)


def _load_test_split(args):
    from mnistpad.core.data import load_test_split
    from mnistpad.core.paths import resolve_data_dir

    return load_test_split(resolve_data_dir(args.data), download=args.download)


def _out_path(args, name: str, taken: set[str]) -> tuple[Path, str]:
    from mnistpad.core.modelfile import SUFFIX
    from mnistpad.core.paths import user_models_dir
    from mnistpad.core.registry import unique_name

    if args.out and (args.all or Path(args.out).is_dir()):
        return Path(args.out) / f"{name}{SUFFIX}", name
    if args.out:
        path = Path(args.out)
        if path.suffix != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        return path, path.stem
    unique = unique_name(name, taken)
    return user_models_dir() / f"{unique}{SUFFIX}", unique


def cmd_train(args) -> int:
    from mnistpad import cli_strokes
    from mnistpad.core.modelfile import check_writable, expected_file_size, save_result
    from mnistpad.core.specs import STROKE_VARIANTS, VARIANTS, lab_spec
    from mnistpad.core.train import train

    if args.all == bool(args.variant):
        raise MnistpadError("name one VARIANT to train, or --all")
    if args.variant in STROKE_VARIANTS:  # a reader of strokes, trained apart (cli_strokes.py)
        return cli_strokes.run(args)
    names = list(VARIANTS) if args.all else [args.variant]
    specs = {name: lab_spec(name).with_overrides(
        epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.lr,
        optimizer=args.optimizer, init=args.init, keep_prob=args.keep_prob,
    ) for name in names}  # every knob is checked before MNIST loads
    data = _load_data(args)
    taken = _scan().names()
    for name in names:
        spec = specs[name]
        path, model_name = _out_path(args, name, taken)
        check_writable(path, expected_file_size(spec))  # a read-only or full folder fails now
        bar = _ProgressBar(model_name)

        def on_progress(record, bar=bar, model_name=model_name):
            bar.update(record)
            if record.kind != "epoch":
                return
            bar.close()
            if args.json:
                print(json.dumps({
                    "model": model_name, "epoch": record.epoch, "cost": record.cost,
                    "seconds": round(record.epoch_seconds, 3),
                    "samples_per_s": round(record.samples_per_s, 1),
                    "test_acc": record.test_acc,
                }), flush=True)
            else:
                print(f"Epoch: {record.epoch:04d} cost = {record.cost:.9f}  "
                      f"(test accuracy {record.test_acc:.4f}, {record.epoch_seconds:.1f}s)",
                      flush=True)

        if not args.json:
            if spec.pen_copies:
                print(f"Drawing the training writers' pen digits {spec.pen_copies} times each "
                      f"(about {spec.pen_copies * 10} s)...", flush=True)
            print(f"Training {model_name}: {spec.variant}, {spec.epochs} epochs, batch "
                  f"{spec.batch_size}, {spec.optimizer} lr {spec.learning_rate:g}, init "
                  f"{spec.init}, keep_prob {spec.keep_prob:g}", flush=True)
        try:  # Ctrl+C while training leaves at once: nothing needs cleaning up yet
            result = train(spec, data, seed=args.seed, device=args.device,
                           on_progress=on_progress)
        finally:
            bar.close()
        # While saving, Ctrl+C raises KeyboardInterrupt, so that the save removes its
        # temporary file; main() reports it. Then back to leaving at once.
        _on_interrupt(signal.default_int_handler)
        saved = save_result(path, result, name=model_name)
        _on_interrupt(_exit_at_once)
        taken.add(model_name)
        if args.json:
            print(json.dumps({"model": model_name, "saved": str(saved),
                              "test_acc": result.test_accuracy,
                              "drawn_acc": result.drawn_accuracy,
                              "training_data": result.training_data,
                              "seconds": round(result.seconds, 2)}), flush=True)
        else:
            print("Learning finished")
            print(f"Accuracy: {result.test_accuracy:.4f}")
            print(f"Drawn digits of unseen writers: {result.drawn_accuracy:.4f}")
            print(f"Saved {model_name} to {saved}")
    return 0


def _percent(value) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


def cmd_models(args) -> int:
    from mnistpad.core.specs import LAB_INFO

    catalog = _scan()
    rows = [{
        "name": m.name, "variant": m.variant,
        "lab": LAB_INFO[m.variant].lab if m.variant in LAB_INFO else "",
        "parameters": m.parameters, "test_acc": m.test_accuracy,
        "drawn_acc": m.drawn_accuracy, "trained_on": m.training_data,
        "shipped": catalog.is_shipped(m), "file": str(m.path),
    } for m in catalog.models]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    if not rows:
        print("No saved models yet. Train one with: mnistpad train xavier")
        return 0
    print(f"{'name':<16} {'variant':<13} {'lab':<7} {'params':>10} {'MNIST':>7} {'drawn':>7}  "
          f"file")
    for r in rows:
        print(f"{r['name']:<16} {r['variant']:<13} {r['lab']:<7} {r['parameters']:>10,} "
              f"{_percent(r['test_acc']):>7} {_percent(r['drawn_acc']):>7}  {r['file']}")
    print("MNIST: test-set accuracy; drawn: pen-drawn digits of 6 writers never trained on, "
          "drawn on the canvas")
    return 0


def cmd_eval(args) -> int:
    from mnistpad.core.modelfile import load_model, update_metadata
    from mnistpad.core.registry import resolve_model
    from mnistpad.core.specs import LAB_INFO
    from mnistpad.core.train import accuracy, drawn_accuracy, resolve_device

    catalog = _scan()
    if args.models:
        paths = [resolve_model(ref, catalog) for ref in args.models]
    else:
        paths = [m.path for m in catalog.models]
        if not paths:
            raise MnistpadError(
                "no saved models to evaluate; train one with: mnistpad train xavier")
    loaded = [load_model(p, "cpu") for p in paths]  # every file is checked before the data loads
    test = _load_test_split(args)
    device = resolve_device(args.device)
    if not args.json:
        print(f"{'name':<16} {'variant':<13} {'lab':<7} {'lecture':>8} {'MNIST':>7} "
              f"{'drawn':>7}  file")
    for item in loaded:
        info = item.info
        start = time.perf_counter()
        model = item.model.to(device)
        summary = _confusion_summary(item, test) if args.confusion else None
        acc = summary["accuracy"] if summary else accuracy(model, info.spec, test)
        drawn = drawn_accuracy(model, info.spec)
        lab = LAB_INFO.get(info.variant)
        row = {"name": info.name, "variant": info.variant, "lab": lab.lab if lab else "",
               "lecture_acc": lab.lecture_accuracy if lab else None, "test_acc": acc,
               "samples": len(test), "drawn_acc": drawn, "trained_on": info.training_data,
               "seconds": round(time.perf_counter() - start, 3), "file": str(info.path)}
        if summary:
            row.update({k: v for k, v in summary.items() if k not in row and k != "accuracy"})
        if args.record:
            update_metadata(info.path, test_accuracy=f"{acc:.6f}", drawn_accuracy=f"{drawn:.6f}")
        if args.json:
            print(json.dumps(row), flush=True)
            continue
        print(f"{row['name']:<16} {row['variant']:<13} {row['lab']:<7} "
              f"{_percent(row['lecture_acc']):>8} {_percent(acc):>7} {_percent(drawn):>7}  "
              f"{row['file']}", flush=True)
        if summary:
            print(_confusion_text(summary), flush=True)
    if not args.json:
        print(f"MNIST: the {len(test):,} test digits; drawn: the pen-drawn digits of 6 writers "
              f"never trained on, drawn on the canvas")
    return 0


def _confusion_summary(item, test) -> dict:
    from mnistpad.core.classify import Classifier
    from mnistpad.core.evaluate import DataSet, evaluate

    # checked by the loader already, and not cached here: no content hash needed
    data = DataSet("mnist-test", test.images.reshape(-1, 28, 28).numpy(), test.labels.numpy(),
                   digest="")
    return evaluate(Classifier(item), data).summary()


def _confusion_text(summary: dict) -> str:
    """The matrix (rows = true digit, columns = read as) and the most confused pairs."""
    lines = ["  confusion matrix (rows: true digit, columns: read as)",
             "  true " + "".join(f"{d:>6}" for d in range(10))]
    lines += [f"  {t:>4} " + "".join(f"{n:>6}" for n in row)
              for t, row in enumerate(summary["confusion"])]
    pairs = ", ".join(f"{p['true']} as {p['read']} ({p['count']})"
                      for p in summary["confused_pairs"])
    lines.append(f"  most confused: {pairs or 'none'}")
    return "\n".join(lines) + "\n"


def cmd_classify(args) -> int:
    from mnistpad.core.classify import Classifier
    from mnistpad.core.preprocess import load_image
    from mnistpad.core.registry import default_model, resolve_model

    catalog = _scan()
    path = resolve_model(args.model, catalog) if args.model else default_model(catalog).path
    classifier = Classifier.from_file(path)
    status = 0
    for image_path in args.images:
        try:
            pixels = load_image(image_path)
        except MnistpadError as exc:
            print(f"{PROG}: error: {exc}", file=sys.stderr)
            status = 1
            continue
        if pixels is None:
            row = {"image": image_path, "model": classifier.name, "digit": None,
                   "probabilities": None}
        else:
            digit, probs = classifier.predict(pixels)
            row = {"image": image_path, "model": classifier.name, "digit": digit,
                   "confidence": round(float(probs[digit]), 6),
                   "probabilities": [round(float(p), 6) for p in probs]}
        if args.json:
            print(json.dumps(row), flush=True)
        elif row["digit"] is None:
            print(f"{image_path}: no digit found (the image is blank)")
        else:
            probs_text = " ".join(f"{d}:{p:.2f}" for d, p in enumerate(row["probabilities"]))
            print(f"{image_path}: {row['digit']} ({100 * row['confidence']:.1f}%, "
                  f"{classifier.name})  {probs_text}")
    return status


def cmd_adapt(args) -> int:
    from mnistpad.core.modelfile import SUFFIX, load_model
    from mnistpad.core.paths import user_models_dir
    from mnistpad.core.personal import STEPS, personal_name, personalize, save_personal, summary
    from mnistpad.core.registry import resolve_model
    from mnistpad.core.samples import load_sample_folder

    steps = STEPS if args.steps is None else args.steps
    if not 1 <= steps <= 10_000:
        raise MnistpadError(f"--steps must be from 1 to 10000, not {steps}")
    images, labels, _ = load_sample_folder(args.samples)  # every file checked before any work
    base = load_model(resolve_model(args.model), "cpu")
    if args.out:
        out = Path(args.out)
        out = out if out.suffix == SUFFIX else out.with_name(out.name + SUFFIX)
    else:
        out = user_models_dir() / f"{personal_name(base.info.name)}{SUFFIX}"
    if not args.json:
        counts = ", ".join(f"{d}: {int((labels == d).sum())}" for d in range(10))
        print(f"Personalizing {base.info.name} on {len(labels)} samples ({counts})...",
              flush=True)
    bar = _ProgressBar(out.stem)
    try:
        result = personalize(base, images, labels, steps=steps, seed=args.seed,
                             on_progress=bar.fraction)
    finally:
        bar.close()
    saved = save_personal(result, out)
    if args.json:
        print(json.dumps({
            "model": out.stem, "saved": str(saved), "base": base.info.name,
            "samples_per_digit": result.per_digit, "held_out": result.held_out,
            "held_out_before": result.before, "held_out_after": result.after,
            "mnist_before": result.mnist_before, "mnist_after": result.mnist_after,
            "mnist_measured_on": result.mnist_source, "seconds": round(result.seconds, 2),
        }), flush=True)
    else:
        line = summary(result)
        print(line[0].upper() + line[1:] + ".")
        print(f"Saved {out.stem} to {saved}")
    return 0


def cmd_inspect(args) -> int:
    from mnistpad.core.classify import Classifier
    from mnistpad.core.inspect import write_pictures
    from mnistpad.core.preprocess import load_image
    from mnistpad.core.registry import resolve_model

    classifier = Classifier.from_file(resolve_model(args.model))
    pixels = load_image(args.image)
    if pixels is None:
        raise MnistpadError(f"{args.image}: no digit found (the image is blank)")
    digit, probs = classifier.predict(pixels)
    print(f"{args.image}: {classifier.name} reads {digit} ({100 * probs[digit]:.1f}%)")
    for path in write_pictures(classifier.model, pixels, Path(args.out), args.digit):
        print(f"wrote {path}")
    return 0


def run_gui() -> int:
    from mnistpad.display_check import window_problem

    problem = window_problem()
    if problem:  # checked before Qt starts: Qt itself would abort with a core dump
        print(f"{PROG}: error: {problem}", file=sys.stderr)
        return 1
    try:
        from mnistpad.ui.app import run
    except ImportError as exc:
        print(f"{PROG}: the window cannot open: {exc}. The commands still work: "
              f"see '{PROG} --help'.", file=sys.stderr)
        return 1
    return run()


COMMANDS = {"train": cmd_train, "models": cmd_models, "eval": cmd_eval, "classify": cmd_classify,
            "adapt": cmd_adapt, "inspect": cmd_inspect}


def main(argv: list[str] | None = None) -> int:
    # Ctrl+C is answered from the first line on: parsing imports torch, which takes seconds.
    previous = _on_interrupt(_exit_at_once)
    try:
        args = _parser().parse_args(argv)
        if args.command is None:
            _on_interrupt(signal.default_int_handler)
            return run_gui()
        return COMMANDS[args.command](args)
    except TrainingCancelled:
        print(f"\n{PROG}: training cancelled; nothing was saved.", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted; nothing was saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (``mnistpad models | head``): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except (MnistpadError, ValueError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            _on_interrupt(previous)
