"""``mnistpad inspect [MODEL] IMAGE``: every layer's output, the weights and the saliency maps
for one image, as PNG files. The model is the one active in the app unless named; the pictures
go to ``--out``, by default a folder named after the image in the current folder (printed)."""

from __future__ import annotations

from pathlib import Path

from mnistpad.core.platform.errors import MnistpadError


def default_out(image: str) -> Path:
    """Where the pictures go without --out: ``./<image name>-inside``."""
    return Path.cwd() / f"{Path(image).stem}-inside"


def add_parser(subparsers) -> None:
    from mnistpad.core.models.active import active_model_words

    ins = subparsers.add_parser("inspect", help="write every layer's output, the weights and "
                                                "the saliency maps for one image as PNG files")
    ins.add_argument("model", nargs="?", metavar="MODEL",
                     help=f"saved variant name or model file (default: {active_model_words()})")
    ins.add_argument("image", metavar="IMAGE", help="image file with one digit")
    ins.add_argument("--out", metavar="DIR", help="folder for the PNG files (default: "
                                                  "IMAGE-inside in the current folder)")
    ins.add_argument("--digit", type=int, choices=range(10), metavar="D",
                     help="saliency towards this digit (default: the digit read)")


def run(args) -> int:
    from mnistpad.cli.classify import SEVERAL_DIGITS_WORDS, chosen_model
    from mnistpad.core.data.blobs import several_digits
    from mnistpad.core.data.preprocess import load_image
    from mnistpad.core.lessons.inside import write_pictures
    from mnistpad.core.reading.classify import Classifier

    classifier = Classifier.from_file(chosen_model(args.model))
    pixels = load_image(args.image)
    if pixels is None:
        raise MnistpadError(f"{args.image}: no digit found (the image is blank)")
    digit, probs = classifier.predict(pixels)
    note = f" ({SEVERAL_DIGITS_WORDS})" if several_digits(pixels) else ""
    print(f"{args.image}: {classifier.name} reads {digit} ({100 * probs[digit]:.1f}%){note}")
    out = Path(args.out) if args.out else default_out(args.image)
    print(f"writing the pictures to {out}")
    for path in write_pictures(classifier.model, pixels, out, args.digit):
        print(f"wrote {path}")
    return 0
