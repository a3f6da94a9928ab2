"""``mnistpad classify IMAGE...``: the digit in each image file, read by the model active in
the app (or ``--model``); a picture with two digits side by side gets a word that one digit is
expected (:func:`mnistpad.core.data.blobs.several_digits`)."""

from __future__ import annotations

import json
import sys

from mnistpad.cli.common import PROG
from mnistpad.core.platform.errors import MnistpadError

SEVERAL_DIGITS_WORDS = "one digit is expected; this looks like several side by side"


def add_parser(subparsers) -> None:
    from mnistpad.core.models.active import active_model_words

    cl = subparsers.add_parser("classify", help="read the digit in image files")
    cl.add_argument("images", nargs="+", metavar="IMAGE", help="image files, one digit each")
    cl.add_argument("--model", help=f"saved variant name or model file (default: "
                                    f"{active_model_words()})")
    cl.add_argument("--json", action="store_true", help="one JSON object per image")


def chosen_model(reference: str | None):
    """The model file a command reads with: ``reference`` (a name or a file: the headers are
    read only up to the named model's), else the model active in the app (the whole catalog
    is listed, with a warning for each file that cannot be read)."""
    from mnistpad.cli.common import scan_models
    from mnistpad.core.models.active import active_model
    from mnistpad.core.models.registry import resolve_model

    return resolve_model(reference) if reference else active_model(scan_models()).path


def _row(image_path: str, classifier, pixels) -> dict:
    from mnistpad.core.data.blobs import several_digits

    if pixels is None:
        return {"image": image_path, "model": classifier.name, "digit": None,
                "probabilities": None}
    digit, probs = classifier.predict(pixels)
    return {"image": image_path, "model": classifier.name, "digit": digit,
            "confidence": round(float(probs[digit]), 6),
            "probabilities": [round(float(p), 6) for p in probs],
            "several_digits": several_digits(pixels)}


def run(args) -> int:
    from mnistpad.core.data.preprocess import load_image
    from mnistpad.core.reading.classify import Classifier

    classifier = Classifier.from_file(chosen_model(args.model))
    status = 0
    for image_path in args.images:
        try:
            pixels = load_image(image_path)
        except MnistpadError as exc:
            print(f"{PROG}: error: {exc}", file=sys.stderr)
            status = 1
            continue
        row = _row(image_path, classifier, pixels)
        if args.json:
            print(json.dumps(row, allow_nan=False), flush=True)
        elif row["digit"] is None:
            print(f"{image_path}: no digit found (the image is blank)")
        else:
            probs_text = " ".join(f"{d}:{p:.2f}" for d, p in enumerate(row["probabilities"]))
            note = f"  ({SEVERAL_DIGITS_WORDS})" if row["several_digits"] else ""
            print(f"{image_path}: {row['digit']} ({100 * row['confidence']:.1f}%, "
                  f"{classifier.name})  {probs_text}{note}")
    return status
