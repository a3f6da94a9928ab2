"""Generators of hostile and odd files for the fault suite. Each writes a real file that
looks valid as far as possible, with one thing wrong."""

from __future__ import annotations

import json
import pickle
import struct
import zlib
from pathlib import Path

import torch
from safetensors.torch import save_file

from mnistpad.core.files.modelfile import build_metadata
from mnistpad.core.models.variants import build_model, lab_spec


class MarkerPayload:
    """Unpickling this creates ``marker``: proof that a file was unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def pickle_model(path: Path, marker: Path, kind: str = "torch.save") -> Path:
    """A "model" that runs code when unpickled: a torch checkpoint or a bare pickle."""
    if kind == "torch.save":
        torch.save({"state_dict": MarkerPayload(marker)}, path)
    else:
        path.write_bytes(pickle.dumps(MarkerPayload(marker), protocol=pickle.DEFAULT_PROTOCOL))
    return path


def softmax_model(path: Path, spec_changes: dict | None = None, **meta_changes: str) -> Path:
    """A real softmax model file (its weights intact), with parts of its spec or metadata
    replaced by ``spec_changes`` / ``meta_changes`` (strings, as safetensors stores them)."""
    spec = lab_spec("softmax")
    torch.manual_seed(0)
    meta = build_metadata(path.stem, spec, test_accuracy="0.9", cost_history=[5.9, 3.1])
    if spec_changes is not None:
        meta["spec"] = json.dumps({**spec.to_dict(), **spec_changes})
    meta.update(meta_changes)
    state = build_model(spec).state_dict()
    save_file({k: v.contiguous() for k, v in state.items()}, path, metadata=meta)
    return path


def absurd_hidden(path: Path) -> Path:
    """An MLP spec asking for a hidden layer of 10^9 units (785 billion parameters)."""
    return softmax_model(path, {"variant": "deep", "arch": "mlp", "hidden": [10**9]})


def absurd_ensemble(path: Path) -> Path:
    """An ensemble of a million deepcnns."""
    return softmax_model(path, {"variant": "cnn-ensemble", "arch": "ensemble",
                                "members": 10**6, "member_arch": "deepcnn"})


def nested_json(depth: int = 100_000) -> str:
    return "[" * depth + "]" * depth


def png_header_bomb(path: Path, width: int, height: int, text: dict[str, str] | None = None
                    ) -> Path:
    """A greyscale PNG of ``width`` x ``height`` black pixels: tiny on disk, huge decoded;
    ``text`` adds tEXt chunks (a sample's strokes, for one)."""
    row = b"\x00" + bytes(width)  # filter byte + one row
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    texts = b"".join(chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
                     for key, value in (text or {}).items())
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + texts
                     + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    return path


def stroke_sample(path: Path, strokes_text: str, label: int = 1) -> Path:
    """A sample as the canvas writes it (280x280 ink and the strokes as text), with
    ``strokes_text`` as its strokes."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("mnistpad-label", str(label))
    info.add_text("mnistpad-strokes", strokes_text)
    ink = Image.new("L", (280, 280), 0)
    ink.paste(255, (130, 60, 150, 220))
    path.parent.mkdir(parents=True, exist_ok=True)
    ink.save(path, pnginfo=info)
    return path
