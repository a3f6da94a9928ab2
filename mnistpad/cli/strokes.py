"""``mnistpad train strokes``: train the stroke reader and choose how it joins the image model.

Registered in :mod:`mnistpad.cli` as a variant of ``train`` (``run``). It trains on the pen
digits of writers 1-24 on the CPU (minutes), after choosing the combination with the default
image model by writer-level cross-validation over those writers (one stroke reader per fold;
without a saved image model the plain average is recorded). The file goes to ``--out`` or
``<user data folder>/models/strokes/strokes.safetensors``, which the app then reads with.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mnistpad.core.platform.errors import MnistpadError

PROG = "mnistpad"


# ``train``'s flags that shape an image model's training and mean nothing here: the stroke
# reader's network is its own (mnistpad.core.strokes.network), always Xavier-initialized, and
# it trains on the CPU on the pen digits, not on MNIST. Given, they are refused, not ignored.
NOT_FOR_STROKES = {"hidden": "--hidden", "activation": "--activation",
                   "batch_norm": "--batch-norm", "init": "--init", "device": "--device",
                   "data": "--data", "download": "--download"}


def check_flags(args) -> None:
    """Refuse, in one line naming them, the flags given that do not apply to the stroke
    reader."""
    unset = {"download": False}  # the others are None when not given (--no-batch-norm: False)
    given = [flag for key, flag in NOT_FOR_STROKES.items()
             if getattr(args, key, unset.get(key)) != unset.get(key)]
    if given:
        names = given[0] if len(given) == 1 else f"{', '.join(given[:-1])} and {given[-1]}"
        raise MnistpadError(
            f"{names} {'does' if len(given) == 1 else 'do'} not apply to the stroke reader "
            f"(its network is its own, Xavier-initialized, trained on the CPU on pen digits); "
            f"it takes --epochs, --batch-size, --lr, --optimizer, --keep-prob, --seed, --out "
            f"and --json")


def _spec(args):
    from mnistpad.core.models.specs import STROKE_VARIANTS

    return STROKE_VARIANTS[args.variant].with_overrides(
        epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.lr,
        optimizer=args.optimizer, keep_prob=args.keep_prob)


def _out_path(args) -> Path:
    from mnistpad.core.files.modelfile import SUFFIX
    from mnistpad.core.strokes.reader import NAME, user_stroke_models_dir

    if not args.out:
        return user_stroke_models_dir() / f"{NAME}{SUFFIX}"
    path = Path(args.out)
    if path.is_dir():
        return path / f"{NAME}{SUFFIX}"
    return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)


def _say(args, **record) -> None:
    line = record.pop("line", None)
    if args.json:
        if record:
            print(json.dumps(record, allow_nan=False), flush=True)
    elif line:
        print(line, flush=True)


def _image_classifier():
    """The default image model the combination is chosen with, or ``None`` if none is saved."""
    from mnistpad.core.models.registry import default_model, scan
    from mnistpad.core.platform.errors import ModelFileError
    from mnistpad.core.reading.classify import Classifier

    catalog = scan()
    try:
        return Classifier.from_file(default_model(catalog).path)
    except ModelFileError as exc:
        print(f"warning: {exc}; the combination keeps its default", file=sys.stderr)
        return None


def run(args) -> int:
    import torch

    from mnistpad.core.data.pendigits import TRAINING_WRITERS, by_writers
    from mnistpad.core.files.modelfile import (
        check_writable,
        expected_file_size,
        save_result,
        update_metadata,
    )
    from mnistpad.core.strokes.combination import Combination
    from mnistpad.core.strokes.reader import INPUT_CONVENTION
    from mnistpad.core.strokes.training import choose_combination, train_stroke_reader

    check_flags(args)
    spec = _spec(args)  # every knob is checked before anything runs
    path = _out_path(args)
    check_writable(path, expected_file_size(spec))
    torch.set_num_threads(max(1, min(torch.get_num_threads(), 4)))
    combination, cv = Combination(), None
    classifier = _image_classifier()
    if classifier is not None:
        _say(args, line=f"Choosing the combination with {classifier.name}: {spec.epochs} "
                        f"epochs per fold, writers {TRAINING_WRITERS[0]}-{TRAINING_WRITERS[-1]} "
                        f"in folds of writers...")
        cv = choose_combination(spec, classifier, seed=args.seed, on_fold=lambda i, n: _say(
            args, fold=i, folds=n, line=f"  fold {i} of {n}"))
        combination = cv.chosen.combination
        _say(args, combination=json.loads(combination.to_json()), cross_validation=cv.summary(),
             line=f"Chosen: {combination.rule} of probabilities, image weight "
                  f"{combination.image_weight:g} (errors over writers 1-24, cross-validated: "
                  f"image {cv.summary()['image_errors']}, strokes "
                  f"{cv.summary()['stroke_errors']}, combined {cv.chosen.errors})")

    def on_progress(record):
        _say(args, model=path.stem, epoch=record.epoch, cost=record.cost,
             seconds=round(record.seconds, 3),
             line=f"Epoch: {record.epoch:04d} cost = {record.cost:.9f}  ({record.seconds:.0f}s)")

    _say(args, line=f"Training {path.stem}: {spec.epochs} epochs, batch {spec.batch_size}, "
                    f"{spec.optimizer} lr {spec.learning_rate:g}, keep_prob {spec.keep_prob:g}")
    result = train_stroke_reader(spec, by_writers(TRAINING_WRITERS), seed=args.seed,
                                 on_progress=on_progress)
    save_result(path, result, name=path.stem)
    update_metadata(path, input=INPUT_CONVENTION, combination=combination.to_json(),
                    combination_chosen_by=json.dumps(
                        cv.summary() if cv else {"chosen": "default (not cross-validated)"}))
    _say(args, model=path.stem, saved=str(path), drawn_acc=result.drawn_accuracy,
         training_data=result.training_data, seconds=round(result.seconds, 2),
         line=f"Learning finished\nDrawn digits of unseen writers (strokes alone): "
              f"{result.drawn_accuracy:.4f}\nSaved {path.stem} to {path}")
    return 0
