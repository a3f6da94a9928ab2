"""Reading a safetensors file's header with the standard library alone, checked as the format
requires and bounded (listing models at start-up needs neither torch nor numpy, and a hostile
header must not cost seconds or gigabytes), and telling a pickle from safetensors."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from mnistpad.core.models.layers import MAX_PARAMETERS

# Bytes per element of the dtypes safetensors writes.
_DTYPE_SIZES = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2,
                "F16": 2, "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "I64": 8, "U64": 8, "F64": 8}
# A model's header (its tensors' table and its metadata, cost history included) is a few
# kilobytes: 4.4 KB for cnn-ensemble. Every model file is listed when the window starts, so a
# header is read only up to this size and with at most MAX_TENSORS entries; a hostile 95 MB
# header would otherwise take seconds and gigabytes before the window shows.
MAX_HEADER = 1_000_000
MAX_TENSORS = 1_000
# The most bytes read of a model file: its weights at float64 and its header.
MAX_FILE = 8 * MAX_PARAMETERS + MAX_HEADER + 8


def _header_length(head: bytes, size: int) -> int:
    length = int.from_bytes(head[:8], "little")
    if length > size - 8:
        raise ValueError("the header runs past the end of the file")
    if length > MAX_HEADER:
        raise ValueError(f"its header is {length:,} bytes, more than the {MAX_HEADER:,} "
                         f"mnistpad reads")
    return length


def _read_header(path: Path) -> tuple[dict[str, str], dict[str, list[int]]]:
    """(metadata, tensor shapes) from a safetensors file's header, checked as the format
    requires (every tensor's bytes inside the file and of its dtype and shape). Read with
    the standard library only: listing models needs neither torch nor numpy."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        length = _header_length(fh.read(8), size)
        return _check_header(fh.read(length), size - 8 - length)


def _check_header(text: bytes, data_size: int) -> tuple[dict[str, str], dict[str, list[int]]]:
    """(metadata, tensor shapes) of a header's JSON, checked against ``data_size`` bytes of
    tensor data."""
    header = json.loads(text)
    if not isinstance(header, dict):
        raise ValueError("the header is not a JSON object")
    meta = header.pop("__metadata__", None) or {}
    if not (isinstance(meta, dict) and all(isinstance(k, str) and isinstance(v, str)
                                           for k, v in meta.items())):
        raise ValueError("its metadata is not a table of strings")
    if len(header) > MAX_TENSORS:
        raise ValueError(f"its header lists {len(header):,} tensors, more than the "
                         f"{MAX_TENSORS:,} mnistpad reads")
    shapes = {}
    for key, entry in header.items():
        try:
            dtype, shape, (begin, end) = entry["dtype"], entry["shape"], entry["data_offsets"]
            valid = (dtype in _DTYPE_SIZES and isinstance(shape, list)
                     and all(isinstance(d, int) and d >= 0 for d in shape)
                     and isinstance(begin, int) and isinstance(end, int)
                     and 0 <= begin <= end <= data_size
                     and end - begin == math.prod(shape) * _DTYPE_SIZES[dtype])
        except (KeyError, TypeError, ValueError):
            valid = False
        if not valid:
            raise ValueError(f"tensor {key!r} is not where its header says")
        shapes[key] = shape
    return meta, shapes


def _sniff(path: Path) -> str | None:
    """A plain-words reason when the file is recognisably not safetensors."""
    with open(path, "rb") as fh:
        head = fh.read(9)
    if len(head) < 8:
        return "the file is empty or truncated"
    header_len = int.from_bytes(head[:8], "little")
    if head[8:9] == b"{" and header_len <= path.stat().st_size - 8:
        # safetensors, whatever its first bytes: a header of 640, 896, 1,152 or 1,408 bytes
        # starts with a pickle's first two bytes (0x80, then 2-5)
        return None
    if head.startswith(b"PK\x03\x04"):
        return ("it is a PyTorch checkpoint (a zipped pickle); mnistpad never unpickles files, "
                "since a pickle can run code")
    if head[:1] == b"\x80" and head[1:2] in {bytes([v]) for v in range(2, 6)}:
        return "it is a Python pickle; mnistpad never unpickles files, since a pickle can run code"
    if header_len > path.stat().st_size - 8:
        return "it is not a safetensors file, or it is truncated"
    return None
