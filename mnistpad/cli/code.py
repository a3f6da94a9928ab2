"""``mnistpad code MODEL``: a saved model as a standalone PyTorch script (see
core.lessons.codegen)."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(subparsers) -> None:
    code = subparsers.add_parser(
        "code", help="print a saved model as a standalone PyTorch script (torch + safetensors)")
    code.add_argument("model", metavar="MODEL", help="saved variant name or model file")
    code.add_argument("--out", metavar="FILE", help="write the script to FILE instead of "
                                                    "printing it")


def run(args) -> int:
    """The script on stdout, or written atomically to ``--out``; a file that is not a model
    is a one-line error (main() prints it) and nothing is written."""
    from mnistpad.core.files.modelfile import atomic_write_bytes
    from mnistpad.core.lessons.codegen import script_for_file
    from mnistpad.core.models.registry import resolve_model

    text = script_for_file(resolve_model(args.model))
    if args.out is None:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    atomic_write_bytes(out, text.encode("utf-8"))
    print(f"wrote {out}", file=sys.stderr)
    return 0
