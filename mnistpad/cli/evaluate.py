"""``mnistpad eval``: measure saved models on MNIST's test set and on the drawn digits of
the six writers no model was trained on; ``--record`` makes the figures the models' recorded
ones (:mod:`mnistpad.core.files.figures`), which the window, ``mnistpad models`` and the README
show."""

from __future__ import annotations

import json
import sys
import time

from mnistpad.cli.common import load_test_split, percent, scan_models
from mnistpad.core.platform.errors import MnistpadError


def add_parser(subparsers) -> None:
    from mnistpad.core.models.active import active_model_words

    ev = subparsers.add_parser("eval", help="accuracy of saved variants on MNIST and on drawn "
                                            "digits (--record: the figures every view shows)")
    ev.add_argument("models", nargs="*", metavar="MODEL",
                    help=f"names or files (default: {active_model_words()})")
    ev.add_argument("--all", action="store_true", help="every saved model")
    ev.add_argument("--data", help="MNIST folder (its IDX files, raw/ or MNIST/raw/); "
                                   "remembered for later commands")
    ev.add_argument("--download", action="store_true", help="download MNIST if missing")
    ev.add_argument("--device", choices=["auto", "cpu", "cuda"], default="cpu")
    ev.add_argument("--record", action="store_true",
                    help="record the measured figures, and what they were measured on, in "
                         "each model file's metadata")
    ev.add_argument("--confusion", action="store_true",
                    help="also the confusion matrix and the most confused pairs")
    ev.add_argument("--json", action="store_true", help="one JSON object per model")


def _model_paths(args) -> list:
    """The files named (their headers read only up to each one's), else the active model or,
    with ``--all``, every model listed."""
    from mnistpad.core.models.active import active_model
    from mnistpad.core.models.registry import resolve_model

    if args.models:
        return [resolve_model(ref) for ref in args.models]
    catalog = scan_models()
    if not args.all and catalog.models:
        return [active_model(catalog).path]
    paths = [m.path for m in catalog.models]
    if not paths:
        raise MnistpadError("no saved models to evaluate; train one with: mnistpad train xavier")
    return paths


def _recorded_paths(args, paths: list) -> set:
    """The files ``--record`` writes: never a shipped model (it is refused in one line when
    named or the active model; with ``--all`` it is measured and a note says it is not
    recorded)."""
    from mnistpad.core.files.outputs import is_shipped

    if not args.record:
        return set()
    shipped = [p for p in paths if is_shipped(p)]
    if shipped and not args.all:
        raise MnistpadError(f"{shipped[0]}: a shipped model; mnistpad never rewrites it, so "
                            f"--record cannot record on it (record on a copy of it)")
    if shipped:
        print(f"warning: the {len(shipped)} shipped model(s) are measured but not recorded: "
              f"mnistpad never rewrites them", file=sys.stderr)
    return {p for p in paths if p not in shipped}


def measure_model(item, test, device, confusion: bool = False) -> tuple[dict, object]:
    """(the row printed for one model, its measurement): what ``eval`` prints and
    ``--record`` records (``tools/record_shipped.py`` measures the shipped models with it)."""
    from mnistpad.core.files import figures
    from mnistpad.core.files.measure import drawn_figure, mnist_figure
    from mnistpad.core.models.specs import LAB_INFO

    info = item.info
    start = time.perf_counter()
    model = item.model.to(device)
    summary = _confusion_summary(item, test) if confusion else None
    if summary:
        mnist = figures.Figure.of(summary["accuracy"], len(test),
                                  figures.mnist_measured_on(len(test)))
    else:
        mnist = mnist_figure(model, info.spec, test)
    with_strokes = _with_strokes(item)
    # the default's picture pass over the writers' digits is the drawn figure too: not twice
    drawn = with_strokes.pop("figure", None) or drawn_figure(model, info.spec)
    lab = LAB_INFO.get(info.variant)
    row = {"name": info.name, "variant": info.variant, "lab": lab.lab if lab else "",
           "lecture_acc": lab.lecture_accuracy if lab else None,
           "test_acc": mnist.accuracy, "samples": len(test), "test_measured_on": mnist.measured_on,
           "drawn_acc": drawn.accuracy, "drawn_picture_acc": drawn.part("picture"),
           "drawn_read_with": drawn.read_with, "drawn_samples": drawn.count,
           "drawn_measured_on": drawn.measured_on,
           "drawn_renderer_version": drawn.renderer_version, "trained_on": info.training_data,
           "seconds": round(time.perf_counter() - start, 3), "file": str(info.path)}
    if summary:
        row.update({k: v for k, v in summary.items() if k not in row and k != "accuracy"})
    row.update(with_strokes)
    return row, figures.Measurement(mnist, drawn, figures.BY_EVAL)


def _with_strokes(item) -> dict:
    """For a model that reads strokes too (the default): its reading of the same drawn
    digits as the app reads them, picture and strokes combined (the Evaluate tab's figures:
    :mod:`mnistpad.core.evaluation.parts`); else nothing. That reading is the model's drawn
    figure (returned as ``figure``), with the picture alone and the strokes alone as its
    parts: one pass over the writers' digits gives all three."""
    from mnistpad.core.strokes.files import pair_problem, reads_strokes, stroke_model_for
    from mnistpad.core.strokes.readers import load_stroke_reader

    if not reads_strokes(item.info):
        return {}
    problem = pair_problem(item.info)  # a personal stroke reader of another save: not used
    if problem:
        print(f"warning: {problem}", file=sys.stderr)
    reader = load_stroke_reader(stroke_model_for(item.info))
    if reader is None:
        return {}
    from mnistpad.core.data.sources import find_source
    from mnistpad.core.evaluation.evaluate import evaluate, load_data_set
    from mnistpad.core.evaluation.parts import (
        EvaluationParts,
        combination_of,
        combined,
        stroke_readings,
    )
    from mnistpad.core.files import figures
    from mnistpad.core.reading.classify import Classifier

    data = load_data_set(find_source("writers"), item.info.path.parent)
    picture = evaluate(Classifier(item), data)
    parts = EvaluationParts(picture, stroke_readings(reader, data.strokes), reader.name,
                            combination_of(reader))
    both = combined(picture.probabilities, parts.strokes, parts.combination)
    count = len(data)
    figure = figures.Figure.of(
        float((both.argmax(1) == data.labels).mean()), count, figures.DRAWN_WRITERS,
        figures.READ_BOTH, (("picture", round(picture.accuracy * count)),
                            ("strokes", round(parts.strokes_accuracy * count))))
    return {"figure": figure, "drawn_with_strokes_acc": figure.accuracy,
            "drawn_strokes_alone_acc": figure.part("strokes"),
            "stroke_model": reader.info.path.name}


def run(args) -> int:
    from mnistpad.core.files.measure import record
    from mnistpad.core.files.modelfile import load_model
    from mnistpad.core.training.train import resolve_device

    paths = _model_paths(args)
    recorded = _recorded_paths(args, paths)  # a shipped model named is refused before any work
    loaded = [load_model(p, "cpu") for p in paths]  # every file is checked before the data loads
    test = load_test_split(args)
    device = resolve_device(args.device)
    if not args.json:
        print(f"{'name':<16} {'variant':<13} {'lab':<7} {'lecture':>8} {'MNIST':>7} "
              f"{'drawn':>7}  file")
    for item in loaded:
        row, measurement = measure_model(item, test, device, args.confusion)
        if item.info.path in recorded:
            record(item, measurement)  # on the bytes measured: refused if the file changed
        if args.json:
            print(json.dumps(row, allow_nan=False), flush=True)
            continue
        print(f"{row['name']:<16} {row['variant']:<13} {row['lab']:<7} "
              f"{percent(row['lecture_acc']):>8} {percent(row['test_acc']):>7} "
              f"{percent(row['drawn_acc']):>7}  {row['file']}", flush=True)
        if "drawn_with_strokes_acc" in row:
            print(f"{'':<16} drawn: read with its strokes ({row['stroke_model']}), as the "
                  f"window reads a drawing; the picture alone "
                  f"{percent(row['drawn_picture_acc'])}, the strokes alone "
                  f"{percent(row['drawn_strokes_alone_acc'])}", flush=True)
        if args.confusion:
            print(_confusion_text(row), flush=True)
    if not args.json:
        print(f"MNIST: the {len(test):,} test digits; drawn: the pen-drawn digits of 6 writers "
              f"never trained on, drawn by mnistpad's stroke renderer"
              + ("; recorded in the model files" if args.record else ""))
    return 0


def _confusion_summary(item, test) -> dict:
    from mnistpad.core.evaluation.evaluate import DataSet, evaluate
    from mnistpad.core.reading.classify import Classifier

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
