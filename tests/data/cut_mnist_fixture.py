"""Cut the small MNIST fixture the tests use from the full dataset.

    python tests/data/cut_mnist_fixture.py ../shared/mnist

writes tests/data/mnist/MNIST/raw/ with 2,000 training and 500 test images (200 and 50 of
each digit, drawn at random with a fixed seed) in the original IDX format, so the tests run
mnistpad's real loading path.
"""

import struct
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SPLITS = {"train": 200, "t10k": 50}  # images per digit
SEED = 777


def read_idx(path: Path) -> np.ndarray:
    data = path.read_bytes()
    ndim = data[3]
    shape = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def write_idx(path: Path, array: np.ndarray) -> None:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(
        f">{array.ndim}I", *array.shape
    )
    path.write_bytes(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def main(source: str) -> None:
    src = Path(source) / "MNIST" / "raw"
    dst = HERE / "mnist" / "MNIST" / "raw"
    dst.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for split, per_digit in SPLITS.items():
        images = read_idx(src / f"{split}-images-idx3-ubyte")
        labels = read_idx(src / f"{split}-labels-idx1-ubyte")
        picked = np.concatenate(
            [rng.choice(np.flatnonzero(labels == d), per_digit, replace=False) for d in range(10)]
        )
        rng.shuffle(picked)
        write_idx(dst / f"{split}-images-idx3-ubyte", images[picked])
        write_idx(dst / f"{split}-labels-idx1-ubyte", labels[picked])
        print(f"{split}: {len(picked)} images -> {dst}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/mnist")
