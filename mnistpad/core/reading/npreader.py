"""Reading digits without torch: every variant's forward pass in numpy, from the model file.

``import torch`` takes seconds on a small CPU, and the window's first reading used to wait for
it. A :class:`NumpyReader` is built from the same safetensors file as
:class:`mnistpad.core.reading.classify.Classifier` (the header through :func:`read_info`, the
weights
through safetensors' numpy loader), needs nothing but numpy, and answers the same
``predict(image) -> (digit, probabilities)`` and ``probabilities(images)``, in eval mode:
dropout off, batch norm with its running statistics. It computes in float32, as torch does
(:data:`COMPUTE_DTYPE`), and returns float64 probabilities, torch's to within about 1e-6 (a
test holds every shipped model to 1e-5 on the fixture drawings); a window serves readings
with it until torch and the models are loaded, then hands over.

The network is laid out from the spec exactly as :func:`mnistpad.core.models.variants.build_model`
builds it (the same module indices, so the same weight names), and every weight in the file
must be used, as torch's strict loading requires.

The stroke reader's network (:mod:`mnistpad.core.strokes.network`) has its numpy reader too:
:class:`NumpyStrokeReader` (made by :func:`stroke_reader_early`), with the surface of
:class:`mnistpad.core.strokes.reader.StrokeReader` that reading a drawing uses, in float64,
so the first readings combine the strokes' probabilities as they will once torch has loaded.
"""

from __future__ import annotations

import ctypes
import functools
import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from mnistpad.core.files.modelfile import IMAGE, STROKES, ModelInfo, check_weights, read_info
from mnistpad.core.models.specs import VariantSpec
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.core.strokes.features import CHANNELS, POINTS, TrajectoryReading
from mnistpad.core.strokes.network_shape import KERNELS, POOL_AFTER, WIDTHS

BATCH_NORM_EPS = 1e-5  # nn.BatchNorm1d's default, which variants.py keeps
COMPUTE_DTYPE = np.float32
Layer = Callable[[np.ndarray], np.ndarray]
_serial_threads = threading.local()


@functools.cache
def _openblas_local_threads():
    """OpenBLAS's ``openblas_set_num_threads_local`` in the library numpy loaded, or None.

    A reading is a handful of small matrix products; spread over OpenBLAS's threads on a
    busy two-core machine, a cnn reading took 20-40 ms instead of 0.7 ms, and drawn's 300 ms
    instead of 20 (measured under load). The call sets the count for the calling thread
    only, so numpy elsewhere in the process keeps its threads."""
    from pathlib import Path as _Path

    libs = _Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for lib in sorted(libs.glob("*openblas*")) if libs.is_dir() else []:
        try:
            return ctypes.CDLL(str(lib)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
    return None


def _serial_blas() -> None:
    """One BLAS thread for the calling thread (once per thread); nothing where numpy's BLAS
    is not an OpenBLAS that offers it."""
    if getattr(_serial_threads, "done", False):
        return
    _serial_threads.done = True
    setter = _openblas_local_threads()
    if setter is not None:
        setter.argtypes = [ctypes.c_int]
        setter(1)


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def _flatten(x: np.ndarray) -> np.ndarray:
    return x.reshape(len(x), -1)  # (N, C, H, W) in C, H, W order, as nn.Flatten


def _linear(weight: np.ndarray, bias: np.ndarray) -> Layer:
    weight_t = np.ascontiguousarray(weight.T)
    return lambda x: x @ weight_t + bias


def _batch_norm(weight, bias, mean, var) -> Layer:
    scale = weight / np.sqrt(var + BATCH_NORM_EPS)
    shift = bias - mean * scale
    return lambda x: x * scale + shift


def _conv3x3(weight: np.ndarray, bias: np.ndarray) -> Layer:
    """3x3 convolution, stride 1, zero padding 1 (NCHW), as one matrix product over the
    image's 3x3 patches."""
    cout = weight.shape[0]
    kernel = np.ascontiguousarray(weight.reshape(cout, -1).T)  # (C*9, Cout)

    def conv(x: np.ndarray) -> np.ndarray:
        n, c, h, w = x.shape
        padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
        patches = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))
        columns = patches.transpose(0, 2, 3, 1, 4, 5).reshape(n * h * w, c * 9)
        out = columns @ kernel + bias
        return out.reshape(n, h, w, cout).transpose(0, 3, 1, 2)

    return conv


def _max_pool2(padding: int) -> Layer:
    """2x2 max-pooling, stride 2, with ``padding`` (-inf) on every side, as nn.MaxPool2d."""

    def pool(x: np.ndarray) -> np.ndarray:
        if padding:
            x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)),
                       constant_values=-np.inf)
        h, w = x.shape[2] // 2 * 2, x.shape[3] // 2 * 2  # an odd last row or column drops
        # the four corners of every 2x2 window, as strided views: no copy of x
        top = np.maximum(x[:, :, 0:h:2, 0:w:2], x[:, :, 0:h:2, 1:w:2])
        bottom = np.maximum(x[:, :, 1:h:2, 0:w:2], x[:, :, 1:h:2, 1:w:2])
        return np.maximum(top, bottom)

    return pool


class _Weights:
    """The file's tensors as ``dtype`` arrays, handed out by name; remembers which were
    used."""

    def __init__(self, tensors: dict[str, np.ndarray], source: str, dtype=COMPUTE_DTYPE):
        self.tensors = tensors
        self.used: set[str] = set()
        self.source = source
        self.dtype = dtype

    def __call__(self, prefix: str, *names: str) -> list[np.ndarray]:
        found = []
        for name in names:
            key = f"{prefix}{name}"
            if key not in self.tensors:
                raise ModelFileError(f"{self.source}: its weights do not match its spec "
                                     f"(missing {key!r})")
            self.used.add(key)
            found.append(self.tensors[key].astype(self.dtype))
        return found

    def shaped(self, prefix: str, shapes: dict[str, tuple[int, ...]]) -> list[np.ndarray]:
        """As calling it, and each tensor must have its shape, as torch's loading requires."""
        found = self(prefix, *shapes)
        for (name, shape), array in zip(shapes.items(), found, strict=True):
            if array.shape != shape:
                raise ModelFileError(f"{self.source}: its weights do not match its spec "
                                     f"({prefix}{name} is {array.shape}, not {shape})")
        return found

    def check_all_used(self) -> None:
        left = sorted(k for k in set(self.tensors) - self.used
                      if not k.endswith("num_batches_tracked"))
        if left:
            raise ModelFileError(f"{self.source}: its weights do not match its spec "
                                 f"(unexpected {', '.join(left[:3])})")


def _mlp(spec: VariantSpec, weights: _Weights, prefix: str) -> list[Layer]:
    layers, index = [], 0
    for _ in spec.hidden:
        layers.append(_linear(*weights(f"{prefix}{index}.", "weight", "bias")))
        index += 1
        if spec.batch_norm:
            layers.append(_batch_norm(*weights(f"{prefix}{index}.", "weight", "bias",
                                               "running_mean", "running_var")))
            index += 1
        layers.append(_relu)
        index += 1 + (spec.keep_prob < 1.0)  # ReLU, and the dropout when there is one
    layers.append(_linear(*weights(f"{prefix}{index}.", "weight", "bias")))
    return layers


def _conv_blocks(weights: _Weights, prefix: str, pool_paddings: list[int],
                 dropout: bool) -> tuple[list[Layer], int]:
    """Conv, ReLU, max-pool (and dropout) blocks; the layers and the next module index."""
    layers, index = [], 0
    for padding in pool_paddings:
        layers += [_conv3x3(*weights(f"{prefix}{index}.", "weight", "bias")), _relu,
                   _max_pool2(padding)]
        index += 3 + dropout
    return layers, index


def _cnn(spec: VariantSpec, weights: _Weights, prefix: str) -> list[Layer]:
    layers, index = _conv_blocks(weights, prefix, [0, 0], dropout=False)
    return layers + [_flatten, _linear(*weights(f"{prefix}{index + 1}.", "weight", "bias"))]


def _deepcnn(spec: VariantSpec, weights: _Weights, prefix: str) -> list[Layer]:
    dropout = spec.keep_prob < 1.0
    layers, index = _conv_blocks(weights, prefix, [0, 0, 1], dropout)
    fc1 = index + 1  # after Flatten
    fc2 = fc1 + 2 + dropout  # after ReLU and the dropout
    return layers + [_flatten, _linear(*weights(f"{prefix}{fc1}.", "weight", "bias")), _relu,
                     _linear(*weights(f"{prefix}{fc2}.", "weight", "bias"))]


_BUILDERS = {"mlp": _mlp, "cnn": _cnn, "deepcnn": _deepcnn}


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits.astype(np.float64)
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _run(layers: list[Layer], x: np.ndarray) -> np.ndarray:
    for layer in layers:
        x = layer(x)
    return x


def _finite(array: np.ndarray) -> bool:
    return array.dtype.kind != "f" or bool(np.isfinite(array).all())


def _read_file(path: str | os.PathLike, kind: str) -> tuple[ModelInfo, dict[str, np.ndarray]]:
    """A model file's header (checked by :func:`read_info`: a file of another ``kind`` is
    refused) and its tensors as numpy arrays, refused as torch's loading refuses them
    (:func:`~mnistpad.core.files.modelfile.check_weights`): a NaN weight would read every drawing
    as NaN."""
    from safetensors import SafetensorError, safe_open

    info = read_info(path, kind)
    try:
        with safe_open(os.fspath(info.path), framework="np") as fh:
            tensors = {key: fh.get_tensor(key) for key in fh.keys()}  # noqa: SIM118
    except (SafetensorError, OSError, ValueError) as exc:
        raise ModelFileError(f"{info.path}: the weights cannot be read ({exc})") from None
    check_weights(info.path, tensors, _finite)
    return info, tensors


class NumpyReader:
    """A model file's network in numpy, eval mode; see the module docstring.

    :meth:`probabilities` takes images of shape (N, 28, 28) or (28, 28) in [0, 1] and returns
    the ten probabilities per image as a float64 array of shape (N, 10), as the Classifier.
    """

    def __init__(self, info: ModelInfo, tensors: dict[str, np.ndarray]):
        self.info = info
        spec = info.spec
        if spec.arch != "ensemble" and spec.arch not in _BUILDERS:
            raise ModelFileError(f"{info.path}: not an image model (a '{info.variant}' model "
                                 f"reads {spec.arch})")
        weights = _Weights(tensors, str(info.path))
        if spec.arch == "ensemble":
            member = spec.with_overrides(arch=spec.member_arch, members=1, member_arch="")
            self._members = [_BUILDERS[member.arch](member, weights, f"members.{i}.")
                             for i in range(spec.members)]
        else:
            self._members = [_BUILDERS[spec.arch](spec, weights, "")]
        weights.check_all_used()
        self._ensemble = spec.arch == "ensemble"
        self._shape = spec.input_shape

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> NumpyReader:
        return cls(*_read_file(path, IMAGE))

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def path(self) -> Path:
        return self.info.path

    def probabilities(self, images) -> np.ndarray:
        _serial_blas()
        x = np.asarray(images, dtype=np.float32)
        if x.ndim == 2:
            x = x[None]
        if x.shape[1:] != (28, 28):
            raise ValueError(f"expected 28x28 images, got shape {x.shape}")
        x = x.astype(COMPUTE_DTYPE).reshape(-1, *self._shape)
        if not self._ensemble:
            return _softmax(_run(self._members[0], x))
        # Ensemble.forward: the log of the members' mean probability (clamped as torch
        # does), which the softmax turns back into that mean, normalized.
        mean = np.mean([_softmax(_run(m, x)) for m in self._members], axis=0)
        return _softmax(np.log(np.maximum(mean, 1e-12)))

    def predict(self, image) -> tuple[int, np.ndarray]:
        """The predicted digit and the ten probabilities for one 28x28 image."""
        probs = self.probabilities(image)[0]
        return int(probs.argmax()), probs


# ----------------------------------------------------------------------------- strokes


def _conv1d(weight: np.ndarray, bias: np.ndarray) -> Layer:
    """1-D convolution, stride 1, zero padding ``kernel // 2`` (odd kernels), on (N, L, C)
    trajectories (channels last), as one matrix product over the windows along the path."""
    cout, cin, kernel = weight.shape
    matrix = np.ascontiguousarray(weight.reshape(cout, cin * kernel).T)  # (C*k, Cout)
    pad = kernel // 2

    def conv(x: np.ndarray) -> np.ndarray:
        n, length, _ = x.shape
        padded = np.zeros((n, length + 2 * pad, cin))
        padded[:, pad:pad + length] = x
        # (N, L, C, k) windows as a strided view (np.pad and sliding_window_view cost more
        # than a small layer's product), copied once into the product's rows
        s_n, s_l, s_c = padded.strides
        windows = np.lib.stride_tricks.as_strided(
            padded, (n, length, cin, kernel), (s_n, s_l, s_c, s_l), writeable=False)
        out = windows.reshape(n * length, cin * kernel) @ matrix
        out += bias
        return out.reshape(n, length, cout)

    return conv


def _max_pool1d_2(x: np.ndarray) -> np.ndarray:
    """nn.MaxPool1d(2) along the path of (N, L, C): an odd last point drops."""
    n, length, c = x.shape
    return x[:, :length // 2 * 2].reshape(n, length // 2, 2, c).max(axis=2)


def _stroke_net(weights: _Weights) -> list[Layer]:
    """:class:`mnistpad.core.strokes.network.StrokeNet` in eval mode on channels-last
    trajectories: each convolution with its batch norm's running statistics folded in, ReLU,
    max-pooling after :data:`POOL_AFTER`; then the flattened positions (the dropout is off)
    and the last layer, its columns put in channels-last order."""
    layers, index, width = [], 0, CHANNELS
    for i, (out, kernel) in enumerate(zip(WIDTHS, KERNELS, strict=True)):
        weight, bias = weights.shaped(f"features.{index}.",
                                      {"weight": (out, width, kernel), "bias": (out,)})
        gamma, beta, mean, var = weights.shaped(f"features.{index + 1}.", dict.fromkeys(
            ("weight", "bias", "running_mean", "running_var"), (out,)))
        scale = gamma / np.sqrt(var + BATCH_NORM_EPS)
        layers += [_conv1d(weight * scale[:, None, None], (bias - mean) * scale + beta), _relu]
        index += 3  # Conv1d, BatchNorm1d, ReLU
        if i in POOL_AFTER:
            layers.append(_max_pool1d_2)
            index += 1
        width = out
    positions = POINTS // 2 ** len(POOL_AFTER)
    weight, bias = weights.shaped("head.2.", {"weight": (10, width * positions), "bias": (10,)})
    weight = weight.reshape(10, width, positions).transpose(0, 2, 1).reshape(10, -1)
    return [*layers, _flatten, _linear(weight, bias)]


class NumpyStrokeReader(TrajectoryReading):
    """A stroke model file's network in numpy (float64, eval mode), with the surface of
    :class:`mnistpad.core.strokes.reader.StrokeReader` that reading a drawing uses: ``info``,
    ``name``, :meth:`probabilities`, :meth:`probabilities_of_features` and
    :meth:`probabilities_of_drawings`, which give torch's probabilities to within about 1e-6
    (a test holds the shipped model to 1e-5), so a reading does not change when torch's reader
    takes over."""

    BATCH = 256  # trajectories per matrix product in probabilities_of_drawings

    def __init__(self, info: ModelInfo, tensors: dict[str, np.ndarray]):
        if info.spec.arch != "strokes":
            raise ModelFileError(f"{info.path}: not a stroke model (a '{info.variant}' model "
                                 f"reads images)")
        self.info = info
        weights = _Weights(tensors, str(info.path), np.float64)
        self._layers = _stroke_net(weights)
        weights.check_all_used()

    @classmethod
    def from_file(cls, path: str | os.PathLike | None = None) -> NumpyStrokeReader:
        """As ``StrokeReader.from_file``: ``path``, or the stroke model to read with
        (:func:`~mnistpad.core.strokes.reader.default_stroke_model`)."""
        from mnistpad.core.strokes.files import default_stroke_model

        return cls(*_read_file(path if path is not None else default_stroke_model(), STROKES))

    @property
    def path(self) -> Path:
        return self.info.path

    def probabilities_of_features(self, features: np.ndarray) -> np.ndarray:
        """Ten probabilities (float64) per trajectory of shape (N, CHANNELS, POINTS)."""
        _serial_blas()
        x = np.asarray(features, dtype=np.float32)
        if x.ndim != 3 or x.shape[1:] != (CHANNELS, POINTS):
            raise ValueError(f"expected (N, {CHANNELS}, {POINTS}) trajectories, got "
                             f"{x.shape}")
        return _softmax(_run(self._layers, x.astype(np.float64).transpose(0, 2, 1)))


def stroke_reader_early(path: str | os.PathLike | None = None) -> NumpyStrokeReader:
    """The torch-free stroke reader of ``path`` or of the stroke model to read with, for the
    readings before torch has loaded (raises :class:`ModelFileError` as ``StrokeReader``)."""
    return NumpyStrokeReader.from_file(path)
