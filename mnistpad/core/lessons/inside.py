"""Inside a model: what each layer computes for one drawing, its weights as images, and
which pixels pushed the reading (saliency). Qt-free; everything comes back as numpy arrays.

The window's Inside panel and ``mnistpad inspect`` both use this module. Every reading is
taken in eval mode (dropout off, batch norm frozen), as mnistpad always classifies.
"""

from __future__ import annotations

import copy
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn

from mnistpad.core.files.modelfile import atomic_write_bytes
from mnistpad.core.models.variants import Ensemble

SALIENCY_METHODS = ("gradient_x_input", "occlusion")
# Occlusion hides one OCCLUSION_PATCH x OCCLUSION_PATCH square at a time, every
# OCCLUSION_STRIDE pixels; squares without ink are skipped (hiding them changes nothing).
OCCLUSION_PATCH = 4
OCCLUSION_STRIDE = 4
GRID_COLUMNS = 32
UNITS_SHOWN = 64
WEIGHTED = (nn.Linear, nn.Conv2d)


# --------------------------------------------------------------------------- activations


@dataclass(frozen=True)
class Layer:
    """One layer's output for one image. ``values`` is (units,) or (channels, height,
    width); ``dropped`` (same shape, dropout layers only) marks the units one training
    step's dropout would zero: a sample mask, since classifying never drops anything."""

    index: int
    kind: str
    values: np.ndarray
    dropped: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape)

    @property
    def label(self) -> str:
        return f"{self.index} {self.kind} {'x'.join(str(n) for n in self.shape)}"


@dataclass(frozen=True)
class NetworkReading:
    """Every layer of one network in order; the last layer's output is ``logits``."""

    layers: list[Layer]
    logits: np.ndarray
    probabilities: np.ndarray

    @property
    def digit(self) -> int:
        return int(self.probabilities.argmax())


@dataclass(frozen=True)
class Inspection:
    """One drawing through one model. ``members`` holds one reading, or each member's for an
    ensemble; ``probabilities`` is the model's answer (an ensemble's: the members' average).
    ``model_input`` is the image as the model gets it: (784,) for MLPs, (1, 28, 28) else."""

    pixels: np.ndarray
    model_input: np.ndarray
    members: list[NetworkReading]
    probabilities: np.ndarray

    @property
    def digit(self) -> int:
        return int(self.probabilities.argmax())

    @property
    def is_ensemble(self) -> bool:
        return len(self.members) > 1


def networks(model: nn.Module) -> list[nn.Sequential]:
    """The plain layer stacks of ``model``: its members for an ensemble, else itself."""
    return list(model.members) if isinstance(model, Ensemble) else [model]


def input_shape(network: nn.Sequential) -> tuple[int, ...]:
    return (784,) if isinstance(network[0], nn.Linear) else (1, 28, 28)


def _as_pixels(pixels) -> np.ndarray:
    """A float32 copy of one 28x28 image (a copy: torch warns about read-only arrays)."""
    pixels = np.array(pixels, dtype=np.float32)
    if pixels.shape != (28, 28):
        raise ValueError(f"expected one 28x28 image, got shape {pixels.shape}")
    return pixels


def _dropped(module: nn.Module, shape: tuple[int, ...], generator: torch.Generator):
    if not isinstance(module, nn.Dropout) or module.p == 0:
        return None
    return (torch.rand(shape, generator=generator) >= 1.0 - module.p).numpy()


def read_network(network: nn.Sequential, pixels, dropout_seed: int = 0) -> NetworkReading:
    """Run one image through ``network`` in eval mode with a forward hook on every layer."""
    network.eval()
    x = torch.from_numpy(_as_pixels(pixels)).reshape(1, *input_shape(network))
    outputs: dict[int, torch.Tensor] = {}

    def recorder(index: int):
        def hook(_module, _inputs, output):
            outputs[index] = output[0]
        return hook

    handles = [m.register_forward_hook(recorder(i)) for i, m in enumerate(network)]
    try:
        with torch.inference_mode():
            logits = network(x)[0]
    finally:
        for handle in handles:
            handle.remove()
    generator = torch.Generator().manual_seed(dropout_seed)
    layers = []
    for index, module in enumerate(network):
        values = outputs[index].float().numpy()
        layers.append(Layer(index, type(module).__name__, values,
                            _dropped(module, values.shape, generator)))
    probs = logits.double().softmax(0).numpy()
    return NetworkReading(layers, logits.float().numpy(), probs)


def inspect(model: nn.Module, pixels, dropout_seed: int = 0) -> Inspection:
    """Every layer's output of ``model`` (each member's, for an ensemble) for one 28x28
    image in [0, 1]. ``dropout_seed`` fixes the sample of what dropout would drop."""
    pixels = _as_pixels(pixels)
    stacks = networks(model)
    members = [read_network(net, pixels, dropout_seed) for net in stacks]
    probs = np.mean([m.probabilities for m in members], axis=0)
    model_input = pixels.reshape(input_shape(stacks[0])).copy()
    return Inspection(pixels, model_input, members, probs)


# --------------------------------------------------------------------------- weights


@dataclass(frozen=True)
class WeightImages:
    """Weights as a stack of images ``images`` (n, h, w) with one label per image; ``units``
    is the unit or channel each image belongs to (the order shown). ``kind`` is "templates"
    (softmax), "units" (an MLP's first layer) or "filters" (a CNN's first convolution)."""

    kind: str
    title: str
    images: np.ndarray
    labels: list[str]
    units: np.ndarray

    def shown(self) -> tuple[np.ndarray, Tiling]:
        """The images to show (an MLP's strongest :data:`UNITS_SHOWN` units) and their
        layout: softmax's ten in two rows of five, the others eight to a row."""
        images = self.images[:UNITS_SHOWN]
        return images, Tiling.for_shape(images.shape, 5 if self.kind == "templates" else 8)


def _weight(module: nn.Module) -> np.ndarray:
    return module.weight.detach().float().cpu().numpy()


def softmax_templates(model: nn.Module) -> np.ndarray:
    """A one-layer (softmax) model's weights as ten 28x28 templates, one per digit."""
    (layer,) = [m for m in networks(model)[0] if isinstance(m, WEIGHTED)]
    if not (isinstance(layer, nn.Linear) and layer.in_features == 784):
        raise ValueError("only a softmax model (784-10) has weight templates")
    return _weight(layer).reshape(10, 28, 28)


def weight_images(model: nn.Module, member: int = 0) -> WeightImages:
    """What the first layer looks for: softmax's ten templates, an MLP's first-layer units
    as 28x28 images (strongest first: by the length of the unit's weight vector), or a
    CNN's first convolution's 3x3 filters."""
    network = networks(model)[member]
    weighted = [m for m in network if isinstance(m, WEIGHTED)]
    first = weighted[0]
    if isinstance(first, nn.Conv2d):
        filters = _weight(first)[:, 0]
        units = np.arange(len(filters))
        return WeightImages("filters", "first convolution's 3x3 filters", filters,
                            [f"filter {c}" for c in units], units)
    if len(weighted) == 1:
        units = np.arange(10)
        return WeightImages("templates", "softmax weight templates, one per digit",
                            softmax_templates(model), [f"digit {d}" for d in units], units)
    rows = _weight(first)
    units = np.argsort(-np.linalg.norm(rows, axis=1), kind="stable")
    return WeightImages("units", "first layer's units, strongest first",
                        rows[units].reshape(-1, 28, 28), [f"unit {u}" for u in units], units)


@dataclass(frozen=True)
class IncomingWeights:
    """The weights a unit or channel reads its input with, shaped like that input:
    (28, 28) for a first layer of an MLP, (channels, h, w) for a layer after a flatten or a
    convolution's kernels, (units,) otherwise. ``layer`` is the weighted layer's index."""

    layer: int
    unit: int
    kind: str
    values: np.ndarray


def _source_shape(network: nn.Sequential, index: int) -> tuple[int, ...] | None:
    """The shape of what layer ``index`` reads, as images where that makes sense."""
    module = network[index]
    if isinstance(module, nn.Conv2d):
        return (module.in_channels, *module.kernel_size)
    earlier = [m for m in list(network)[:index] if isinstance(m, WEIGHTED)]
    if not earlier:
        return (28, 28) if module.in_features == 784 else None
    if isinstance(network[index - 1], nn.Flatten) and isinstance(earlier[-1], nn.Conv2d):
        channels = earlier[-1].out_channels
        side = math.isqrt(module.in_features // channels)
        if channels * side * side == module.in_features:
            return (channels, side, side)
    return (module.in_features,)


def incoming_weights(model: nn.Module, layer: int, unit: int,
                     member: int = 0) -> IncomingWeights | None:
    """Incoming weights of ``unit`` (a unit, or a channel of maps) of layer ``layer``. A
    layer without weights of its own (ReLU, pooling, dropout, batch norm) shows those of the
    linear or convolution layer before it, whose unit or channel it passes on. None for a
    flatten, whose units are positions, not units."""
    network = networks(model)[member]
    if not 0 <= layer < len(network):
        raise ValueError(f"no layer {layer}: the network has layers 0 to {len(network) - 1}")
    index = layer
    while index >= 0 and not isinstance(network[index], WEIGHTED):
        if isinstance(network[index], nn.Flatten):
            return None
        index -= 1
    if index < 0:
        return None
    module = network[index]
    values = _weight(module)[unit].reshape(_source_shape(network, index))
    return IncomingWeights(index, unit, type(module).__name__, values)


# --------------------------------------------------------------------------- saliency


def _digit_score(model: nn.Module, x: torch.Tensor, digit: int) -> torch.Tensor:
    """The logit of ``digit`` per image (for an ensemble: the members' mean logit). Logits,
    not probabilities: a confident softmax saturates and its gradient all but vanishes."""
    stacks = networks(model)
    scores = [net(x.reshape(-1, *input_shape(net)))[:, digit] for net in stacks]
    return torch.stack(scores).mean(dim=0)


def gradient_x_input(model: nn.Module, pixels, digit: int) -> np.ndarray:
    """Gradient of ``digit``'s logit with respect to each pixel, times the pixel: how much
    each pixel's ink pushes the reading towards ``digit`` (negative: away from it)."""
    model.eval()
    x = torch.from_numpy(_as_pixels(pixels)).reshape(1, 28, 28).requires_grad_(True)
    with torch.enable_grad():
        score = _digit_score(model, x, digit).sum()
        (grad,) = torch.autograd.grad(score, x)
    return (grad * x).detach()[0].numpy()


def occlusion_patches(pixels: np.ndarray) -> list[tuple[int, int]]:
    """Top-left corners of the occlusion squares that cover some ink."""
    corners = range(0, 28 - OCCLUSION_PATCH + 1, OCCLUSION_STRIDE)
    return [(y, x) for y in corners for x in corners
            if pixels[y:y + OCCLUSION_PATCH, x:x + OCCLUSION_PATCH].any()]


def for_batches(model: nn.Module) -> nn.Module:
    """``model`` as it runs batches fastest on the CPU: for CNNs a copy with the weights in
    channels-last order (the occlusion batch of cnn-ensemble: 45 ms instead of 70 ms on one
    busy thread); MLPs as they are. Same answers either way."""
    if not any(isinstance(m, nn.Conv2d) for m in model.modules()):
        return model
    return copy.deepcopy(model).to(memory_format=torch.channels_last).eval()


def occlusion(model: nn.Module, pixels, digit: int) -> np.ndarray:
    """How much ``digit``'s logit falls when a square of the drawing is hidden (set to the
    black background), averaged over the squares covering each pixel; one batch."""
    model.eval()
    pixels = _as_pixels(pixels)
    corners = occlusion_patches(pixels)
    batch = np.repeat(pixels[None], len(corners) + 1, axis=0)
    for n, (y, x) in enumerate(corners, start=1):
        batch[n, y:y + OCCLUSION_PATCH, x:x + OCCLUSION_PATCH] = 0.0
    with torch.inference_mode():
        scores = _digit_score(model, torch.from_numpy(batch), digit).double().numpy()
    drop = np.zeros((28, 28))
    cover = np.zeros((28, 28))
    for n, (y, x) in enumerate(corners, start=1):
        drop[y:y + OCCLUSION_PATCH, x:x + OCCLUSION_PATCH] += scores[0] - scores[n]
        cover[y:y + OCCLUSION_PATCH, x:x + OCCLUSION_PATCH] += 1
    return (drop / np.maximum(cover, 1)).astype(np.float32)


def saliency(model: nn.Module, pixels, digit: int, method: str = "gradient_x_input"):
    """A 28x28 map for ``digit`` by ``method`` (one of :data:`SALIENCY_METHODS`)."""
    if method == "gradient_x_input":
        return gradient_x_input(model, pixels, digit)
    if method == "occlusion":
        return occlusion(model, pixels, digit)
    raise ValueError(f"unknown saliency method {method!r}; choose one of: "
                     f"{', '.join(SALIENCY_METHODS)}")


# --------------------------------------------------------------------------- pictures

POSITIVE = np.array([255, 170, 40], dtype=np.float32)
NEGATIVE = np.array([70, 150, 255], dtype=np.float32)
GAP = np.array([45, 45, 45], dtype=np.uint8)
_LEVELS = np.linspace(-1.0, 1.0, 511, dtype=np.float32)[:, None]
# Colour of each level from -1 to 1 in 511 steps (a table: 5x faster than blending per cell).
_PALETTE = (np.clip(_LEVELS, 0, 1) * POSITIVE + np.clip(-_LEVELS, 0, 1) * NEGATIVE).astype(
    np.uint8)


def colorize(values: np.ndarray, scale: float | None = None) -> np.ndarray:
    """Values as RGB (uint8, shape + (3,)): positive warm, negative blue, zero black, each
    as bright as its size relative to ``scale`` (default: the largest size). NaN (the gaps
    between tiles) is grey."""
    values = np.asarray(values, dtype=np.float32)
    gaps = np.isnan(values)
    level = np.where(gaps, np.float32(0), values)
    if scale is None:
        scale = float(np.abs(level).max()) if level.size else 0.0
    if scale > 0:
        level = np.clip(level * np.float32(255 / scale), -255, 255)
    else:
        level = np.zeros_like(level)
    out = _PALETTE[np.rint(level).astype(np.int16) + 255]
    out[gaps] = GAP
    return out


def overlay(pixels: np.ndarray, saliency_map: np.ndarray) -> np.ndarray:
    """The drawing in grey with a saliency map on top (RGB uint8, 28x28x3). The colour scale
    ends at the 95th percentile of the map's sizes, so that one extreme pixel does not
    leave the rest invisible."""
    ink = np.clip(_as_pixels(pixels), 0, 1)[..., None] * 110.0
    sizes = np.abs(saliency_map[saliency_map != 0])
    scale = float(np.percentile(sizes, 95)) if sizes.size else None
    heat = colorize(saliency_map, scale or None).astype(np.float32)
    alpha = np.clip(heat.max(axis=-1, keepdims=True) / 255.0, 0, 1)
    return (ink * (1 - alpha) + heat * alpha).astype(np.uint8)


@dataclass(frozen=True)
class Tiling:
    """How a layer's output is laid out as one picture: ``count`` cells of ``cell_h`` x
    ``cell_w`` pixels, ``columns`` to a row, ``gap`` pixels apart."""

    count: int
    columns: int
    cell_h: int
    cell_w: int
    gap: int

    @classmethod
    def for_shape(cls, shape: tuple[int, ...], columns: int | None = None) -> Tiling:
        if len(shape) == 1:
            return cls(shape[0], columns or min(shape[0], GRID_COLUMNS), 1, 1, 0)
        if len(shape) == 2:
            return cls(1, 1, shape[0], shape[1], 0)
        columns = columns or min(shape[0], 8 if shape[0] <= 32 else 16)
        return cls(shape[0], columns, shape[1], shape[2], 1)

    @property
    def rows(self) -> int:
        return -(-self.count // self.columns)

    @property
    def size(self) -> tuple[int, int]:
        """(height, width) of the whole picture in pixels."""
        return (self.rows * (self.cell_h + self.gap) - self.gap,
                self.columns * (self.cell_w + self.gap) - self.gap)

    def place(self, values: np.ndarray) -> np.ndarray:
        """``values`` laid out as a 2D float picture, NaN between and after the cells."""
        cells = np.asarray(values, dtype=np.float32).reshape(self.count, self.cell_h, self.cell_w)
        step_h, step_w = self.cell_h + self.gap, self.cell_w + self.gap
        padded = np.full((self.rows * self.columns, step_h, step_w), np.nan, dtype=np.float32)
        padded[:self.count, :self.cell_h, :self.cell_w] = cells
        grid = padded.reshape(self.rows, self.columns, step_h, step_w).transpose(0, 2, 1, 3)
        height, width = self.size
        return grid.reshape(self.rows * step_h, self.columns * step_w)[:height, :width]

    def locate(self, y: int, x: int) -> tuple[int, int, int] | None:
        """(cell, row in cell, column in cell) at picture pixel (y, x); None on a gap."""
        row, dy = divmod(y, self.cell_h + self.gap)
        col, dx = divmod(x, self.cell_w + self.gap)
        cell = row * self.columns + col
        if (dy >= self.cell_h or dx >= self.cell_w or col >= self.columns or cell >= self.count
                or y < 0 or x < 0):
            return None
        return cell, dy, dx


# What dropout would drop: the unit's own colour, dimmed and tinted red.
DROPPED_TINT = np.array([90, 0, 0], dtype=np.float32)


def picture(values: np.ndarray, tiling: Tiling | None = None,
            dropped: np.ndarray | None = None) -> np.ndarray:
    """A layer output or weights as one RGB picture (uint8), laid out by ``tiling``; the
    cells ``dropped`` marks are dimmed and tinted red."""
    tiling = tiling or Tiling.for_shape(np.shape(values))
    rgb = colorize(tiling.place(values))
    if dropped is not None:
        mask = tiling.place(dropped.astype(np.float32)) == 1
        rgb[mask] = (rgb[mask] * 0.25 + DROPPED_TINT).astype(np.uint8)
    return rgb


# --------------------------------------------------------------------------- files


def _png(path: Path, rgb: np.ndarray) -> Path:
    """``rgb`` enlarged with hard pixel edges: 4x, or more up to about 560 px on its longer
    side."""
    height, width = rgb.shape[:2]
    scale = max(4, 560 // max(height, width))
    image = Image.fromarray(rgb).resize((width * scale, height * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    atomic_write_bytes(path, buffer.getvalue())
    return path


def write_pictures(model: nn.Module, pixels, out_dir: Path, digit: int | None = None,
                   methods: tuple[str, ...] = SALIENCY_METHODS) -> list[Path]:
    """Write the input, every layer's output (each member's, for an ensemble), the first
    layer's weights and one saliency map per method (towards ``digit``, default: the digit
    read) as PNG files in ``out_dir``; returns the files written, in order."""
    result = inspect(model, pixels)
    digit = result.digit if digit is None else digit
    out_dir = Path(out_dir)
    written = [_png(out_dir / "input.png", colorize(result.pixels, 1.0))]
    for number, reading in enumerate(result.members, start=1):
        prefix = f"member{number}-" if result.is_ensemble else ""
        for layer in reading.layers:
            if layer.kind != "Flatten":
                name = f"{prefix}layer{layer.index:02d}-{layer.kind.lower()}.png"
                written.append(_png(out_dir / name, picture(layer.values, dropped=layer.dropped)))
    weights = weight_images(model)
    written.append(_png(out_dir / f"weights-{weights.kind}.png", picture(*weights.shown())))
    for method in methods:
        heat = saliency(model, result.pixels, digit, method)
        name = f"saliency-{method.replace('_', '-')}-{digit}.png"
        written.append(_png(out_dir / name, overlay(result.pixels, heat)))
    return written
