"""Re-measure the shipped models and record their figures in their files (maintainers only).

    python tools/record_shipped.py --data ../shared/mnist [NAME ...] [--dry-run]

``mnistpad eval --record`` never rewrites a shipped model (the app's files are not the
user's to change). When the figures must be measured again (the stroke renderer changed,
or the pen digits did), this tool measures each shipped model exactly as ``eval --record``
does (:func:`mnistpad.cli.evaluate.measure_model`: MNIST's full test set from ``--data``
and the development writers' drawn digits, read with the strokes too for the default) and
records the measurement through the same code path
(:func:`mnistpad.core.files.measure.record`, with its ``allow_shipped`` flag). Only the
metadata changes: each file's weights are checked to be byte-identical afterwards, and the
file is put back as it was if they are not. Then run ``python bench/readme_models.py
--write`` so that the README's table shows the new figures.

The shipped stroke reader (``models/strokes/``) records no measurement: it is measured as a
part of the default's reading, which is recorded in ``drawn.safetensors``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def tensor_bytes(path: Path) -> dict[str, tuple]:
    """{name: (dtype, shape, raw bytes)} of every tensor in a safetensors file."""
    from safetensors import safe_open

    with safe_open(str(path), "pt") as handle:
        return {name: _raw(handle.get_tensor(name)) for name in handle.keys()}  # noqa: SIM118


def _raw(tensor) -> tuple:
    import torch

    flat = tensor.contiguous().reshape(-1)
    return str(tensor.dtype), tuple(tensor.shape), bytes(flat.view(torch.uint8).numpy())


def shipped_files(names: list[str]) -> list[Path]:
    """The shipped image models (all, or those named), in name order."""
    from mnistpad.core.files.modelfile import SUFFIX
    from mnistpad.core.platform.paths import shipped_models_dir

    folder = shipped_models_dir()
    files = sorted(folder.glob(f"*{SUFFIX}"))
    if names:
        missing = [n for n in names if not (folder / f"{n}{SUFFIX}").is_file()]
        if missing:
            raise SystemExit(f"not shipped: {', '.join(missing)} (in {folder})")
        files = [folder / f"{n}{SUFFIX}" for n in names]
    return files


def record_one(path: Path, test, dry_run: bool) -> dict:
    """Measure one shipped model and (unless ``dry_run``) record it, its weights checked."""
    from mnistpad.cli.evaluate import measure_model
    from mnistpad.core.files.measure import record
    from mnistpad.core.files.modelfile import load_model

    original = path.read_bytes()
    before = tensor_bytes(path)
    item = load_model(path, "cpu")
    row, measurement = measure_model(item, test, "cpu")
    if dry_run:
        return row
    record(item, measurement, allow_shipped=True)
    if tensor_bytes(path) != before:
        path.write_bytes(original)
        raise SystemExit(f"{path}: its weights changed while recording; put back as it was")
    row["weights_identical"] = True
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="shipped models (default: all)")
    parser.add_argument("--data", required=True,
                        help="the full MNIST (its IDX files, raw/ or MNIST/raw/)")
    parser.add_argument("--dry-run", action="store_true", help="measure, record nothing")
    args = parser.parse_args(argv)
    from mnistpad.core.data.mnist import load_test_split
    from mnistpad.core.files.figures import MNIST_TEST_SIZE

    test = load_test_split(args.data, download=False)
    if len(test) != MNIST_TEST_SIZE:
        raise SystemExit(f"{args.data}: {len(test):,} test digits, not MNIST's full "
                         f"{MNIST_TEST_SIZE:,}; shipped figures are measured on all of them")
    for path in shipped_files(args.names):
        row = record_one(path, test, args.dry_run)
        print(json.dumps(row, allow_nan=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
