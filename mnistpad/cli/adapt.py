"""``mnistpad adapt``: personalize a saved model on a folder of your own digit images.

The output follows training's rules: a shipped model is never written over, an existing file
is replaced only with ``--replace``, the folder is checked writable before fine-tuning, and
the default file is named from the base model's name reduced to a plain file name
(:mod:`mnistpad.core.files.outputs`), never from the name as a path.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from mnistpad.cli.common import (
    ProgressBar,
    exit_at_once,
    json_text,
    on_interrupt,
    personal_line,
    seed_arg,
)
from mnistpad.core.platform.errors import MnistpadError

MAX_STEPS = 10_000


def add_parser(subparsers) -> None:
    from mnistpad.core.data.samples import samples_dir

    ad = subparsers.add_parser("adapt", help="personalize a saved model on your own digit "
                                             "images")
    ad.add_argument("model", metavar="MODEL", help="saved variant name or model file")
    ad.add_argument("--samples", metavar="DIR", default=str(samples_dir()),
                    help="folder with 0/ ... 9/ subfolders of digit images (any image files; "
                         "default: the app's samples folder, %(default)s)")
    ad.add_argument("--out", help="model file to write, or a folder to write it in (default: "
                                  "MODEL-personal in your models folder)")
    ad.add_argument("--replace", action="store_true",
                    help="replace the output file if it exists (never a shipped model)")
    ad.add_argument("--steps", type=int, help="fine-tuning steps (default 60)")
    ad.add_argument("--seed", type=seed_arg, default=0,
                    help="seed of the held-out split and the fine-tuning (default 0)")
    ad.add_argument("--json", action="store_true", help="one JSON object with the result")


def output_path(out: str | None, base_name: str) -> Path:
    """The file to write: ``--out`` as a file (``.safetensors`` added), or inside ``--out``
    when it is a folder (or ends with a separator, or is '.' or '..'), else the user's models
    folder; in a folder, named from the base model's name (:func:`personal_path`)."""
    from mnistpad.core.files.modelfile import SUFFIX
    from mnistpad.core.files.outputs import personal_path
    from mnistpad.core.platform.paths import user_models_dir

    if not out:
        return personal_path(base_name, user_models_dir())
    path = Path(out).expanduser()
    if path.is_dir() or out.endswith(("/", os.sep)) or path.name in ("", ".", ".."):
        return personal_path(base_name, path)
    return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)


def check_output(path: Path, replace: bool) -> None:
    """Refuse, in one line naming ``path``, to write over a shipped model, over anything
    that is not a file, or over an existing file without ``--replace``; checked again where
    the file is written (:func:`mnistpad.core.personal.save`), under a lock."""
    from mnistpad.core import personal

    personal.check_target(path, replace)


def run(args) -> int:
    from mnistpad.core import personal
    from mnistpad.core.data.samples import load_sample_folder, sample_strokes
    from mnistpad.core.files.modelfile import check_writable, expected_file_size
    from mnistpad.core.models.registry import resolve_model

    steps = personal.STEPS if args.steps is None else args.steps
    if not 1 <= steps <= MAX_STEPS:
        raise MnistpadError(f"--steps must be from 1 to {MAX_STEPS}, not {steps}")
    problems: list[str] = []
    images, labels, paths = load_sample_folder(args.samples, problems)  # before any work
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    base = personal.load_base(resolve_model(args.model))  # a personal model: its base
    out = output_path(args.out, base.info.name)
    check_output(out, args.replace)
    check_writable(out, expected_file_size(base.info.spec))  # a read-only folder fails now
    if not args.json:
        counts = ", ".join(f"{d}: {int((labels == d).sum())}" for d in range(10))
        print(f"Personalizing {base.info.name} on {len(labels)} samples ({counts})...",
              flush=True)
    # the default model's stroke reader learns from the strokes the app's samples keep
    drawings = [sample_strokes(p) for p in paths] if personal.reads_strokes(base.info) else None
    bar = ProgressBar(out.stem)
    try:
        pair = personal.personalize(base, personal.Samples(images, labels, drawings),
                                    steps=steps, seed=args.seed, on_progress=bar.fraction)
    finally:
        bar.close()
    # While saving, Ctrl+C raises KeyboardInterrupt, so that the save removes its temporary
    # file (as training's does); main() reports it. Then back to leaving at once.
    on_interrupt(signal.default_int_handler)
    saved = personal.save(pair, out, replace=args.replace)  # refused if it exists now
    on_interrupt(exit_at_once)
    _report(args, out, saved, base, pair)
    return 0


def _report(args, out: Path, saved: Path, base, pair) -> None:
    from mnistpad.core.personal import personal_stroke_path, summary

    result, facts = pair.image, summary(pair)
    if args.json:
        print(json_text({
            "model": out.stem, "saved": str(saved), "base": base.info.name,
            "samples_per_digit": result.per_digit, "held_out": result.held_out,
            "held_out_before": result.before, "held_out_after": result.after,
            "mnist_before": result.mnist_before, "mnist_after": result.mnist_after,
            "mnist_measured_on": result.mnist_source, "seconds": round(result.seconds, 2),
            "held_out_status": result.held_out_status.value,
            **({"strokes": facts["strokes"]} if "strokes" in facts else {}),
            **({"stroke_reader_saved": str(personal_stroke_path(saved))}
               if pair.strokes is not None else {}),
        }), flush=True)
    else:
        print(personal_line(facts))
        print(f"Saved {out.stem} to {saved}")
        if pair.strokes is not None:
            print(f"Saved its stroke reader to {personal_stroke_path(saved)}")
