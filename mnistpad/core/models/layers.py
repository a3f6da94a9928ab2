"""A network's layers as data: hidden layers, convolution stages, their shapes and sizes.

The lecture leaves the hidden layers "yours to design". A design is a list of fully connected
:class:`Layer` rows (width, activation, keep_prob, batch norm) and, for a CNN, a list of
:class:`ConvStage` rows before them. This module holds what both the specs
(:mod:`mnistpad.core.models.specs`) and the builder (:mod:`mnistpad.core.models.variants`) need to
know
about layers: their checks, the image size after each stage, and parameter counts from
arithmetic alone. It imports neither torch nor the specs, so neither imports the other.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

from mnistpad.core.files.numbers import is_whole

ACTIVATIONS = ("relu", "sigmoid", "tanh")
ACTIVATION_CLASSES = {"relu": "ReLU", "sigmoid": "Sigmoid", "tanh": "Tanh"}  # in torch.nn
KERNELS = (1, 3, 5, 7)
PADDINGS = ("same", "valid")
IMAGE_SIZE = 28
MIN_KEEP_PROB = 0.05

# What the editor and `mnistpad train` let a person train (a model file may hold more, up to
# MAX_PARAMETERS): past these an epoch on a CPU takes hours, and nothing in the lecture needs it.
MAX_WIDTH = 4096
MAX_HIDDEN_LAYERS = 64
MAX_CHANNELS = 512
MAX_CONV_STAGES = 6
# The largest model mnistpad builds from a file: ten times cnn-ensemble's 4.1 million.
MAX_PARAMETERS = 50_000_000
LIMITS = (f"hidden layers: up to {MAX_HIDDEN_LAYERS}, 1 to {MAX_WIDTH:,} units each; conv "
          f"stages: up to {MAX_CONV_STAGES}, 1 to {MAX_CHANNELS} channels, kernel "
          f"{', '.join(map(str, KERNELS))}; at most {MAX_PARAMETERS:,} parameters")


def _whole(value) -> bool:
    """A whole number a file may hold (:mod:`mnistpad.core.files.numbers`): a width of
    4,000 digits is refused, not met when its parameter count is printed."""
    return is_whole(value)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Layer:
    """One fully connected hidden layer: Linear, then batch norm if on, the activation, and
    dropout keeping ``keep_prob`` of the units while training (1 = no dropout)."""

    width: int
    activation: str = "relu"
    keep_prob: float = 1.0
    batch_norm: bool = False

    def problems(self) -> list[str]:
        if not (_whole(self.width) and self.width > 0):
            return [f"width must be a whole number from 1 up, not {self.width!r:.20}"]
        found = []
        if self.activation not in ACTIVATIONS:
            found.append(f"unknown activation {self.activation!r}; choose one of: "
                         f"{', '.join(ACTIVATIONS)}")
        if not (_number(self.keep_prob) and MIN_KEEP_PROB <= self.keep_prob <= 1.0):
            found.append(f"keep_prob must be from {MIN_KEEP_PROB:g} to 1")
        if not isinstance(self.batch_norm, bool):
            found.append("batch_norm must be true or false")
        return found


@dataclass(frozen=True)
class ConvStage:
    """One convolution stage: a ``kernel`` x ``kernel`` convolution to ``channels`` maps
    ("same" padding keeps the image size, "valid" shrinks it by kernel - 1), ReLU, a 2x2 max
    pool with stride 2 if ``pool`` (padded by 1 on an odd size, as Lab 11-2's third pool),
    then dropout keeping ``keep_prob``."""

    channels: int
    kernel: int = 3
    pool: bool = True
    padding: str = "same"
    keep_prob: float = 1.0

    def problems(self) -> list[str]:
        if not (_whole(self.channels) and self.channels > 0):
            return [f"channels must be a whole number from 1 up, not {self.channels!r:.20}"]
        found = []
        if self.kernel not in KERNELS or not _whole(self.kernel):
            found.append(f"kernel must be one of {', '.join(map(str, KERNELS))}")
        if self.padding not in PADDINGS:
            found.append(f"padding must be one of: {', '.join(PADDINGS)}")
        if not isinstance(self.pool, bool):
            found.append("pool must be true or false")
        if not (_number(self.keep_prob) and MIN_KEEP_PROB <= self.keep_prob <= 1.0):
            found.append(f"keep_prob must be from {MIN_KEEP_PROB:g} to 1")
        return found

    def output_size(self, size: int) -> int:
        """The image's side after this stage, from a side of ``size`` (may be < 1)."""
        if self.padding == "valid":
            size -= self.kernel - 1
        if self.pool and size >= 1:
            size = (size + 1) // 2
        return size


def layers_from_json(values, kind: type) -> tuple:
    """A tuple of ``kind`` (Layer or ConvStage) from a file's JSON list of objects."""
    if not isinstance(values, (list, tuple)):
        raise ValueError(f"{kind.__name__.lower()}s must be a list")
    known = {f.name for f in dataclasses.fields(kind)}
    rows = []
    for value in values:
        if isinstance(value, kind):
            rows.append(value)
            continue
        if not isinstance(value, dict) or set(value) - known:
            raise ValueError(f"each of the {kind.__name__.lower()}s must be an object with "
                             f"fields among: {', '.join(sorted(known))}")
        try:
            rows.append(kind(**value))
        except TypeError:
            raise ValueError(f"a {kind.__name__.lower()} needs its "
                             f"{dataclasses.fields(kind)[0].name}") from None
    return tuple(rows)


def image_sizes(stages: tuple[ConvStage, ...]) -> list[int]:
    """The image's side after each stage, starting from MNIST's 28."""
    sizes, size = [], IMAGE_SIZE
    for stage in stages:
        size = stage.output_size(size)
        sizes.append(size)
        if size < 1:
            break
    return sizes


def stage_problems(stages: tuple[ConvStage, ...]) -> list[str]:
    """What is wrong with a list of conv stages, in words (empty when nothing is)."""
    for number, stage in enumerate(stages, 1):
        found = stage.problems()
        if found:
            return [f"conv stage {number}: {'; '.join(found)}"]
    shrinking = shrinking_stage(stages)
    if shrinking:
        number, size = shrinking
        return [f"conv stage {number} shrinks the {size}x{size} image below 1 pixel (a "
                f"{stages[number - 1].kernel}x{stages[number - 1].kernel} 'valid' "
                f"convolution); use 'same' padding, a smaller kernel or fewer pools"]
    return []


def shrinking_stage(stages: tuple[ConvStage, ...]) -> tuple[int, int] | None:
    """(number, side of the image before it) of the first stage that leaves less than one
    pixel, or None."""
    size = IMAGE_SIZE
    for number, stage in enumerate(stages, 1):
        after = stage.output_size(size)
        if after < 1:
            return number, size
        size = after
    return None


def shape_steps(stages: tuple[ConvStage, ...], layers: tuple[Layer, ...]) -> list[str]:
    """What each step hands on: "28x28", "32x14x14"... for conv stages, then the widths,
    then "10"; "784" first for a fully connected net."""
    steps = [f"{IMAGE_SIZE}x{IMAGE_SIZE}" if stages else str(IMAGE_SIZE * IMAGE_SIZE)]
    steps += [f"{s.channels}x{size}x{size}" for s, size in zip(stages, image_sizes(stages),
                                                                strict=False)]
    return [*steps, *(str(layer.width) for layer in layers), "10"]


def layer_problems(layers: tuple[Layer, ...]) -> list[str]:
    for number, layer in enumerate(layers, 1):
        found = layer.problems()
        if found:
            return [f"hidden layer {number}: {'; '.join(found)}"]
    return []


def flat_size(stages: tuple[ConvStage, ...]) -> int:
    """Values per image handed to the first fully connected layer."""
    if not stages:
        return IMAGE_SIZE * IMAGE_SIZE
    return stages[-1].channels * image_sizes(stages)[-1] ** 2


def linear_parameters(widths: list[int]) -> int:
    return sum(a * b + b for a, b in itertools.pairwise(widths))


def network_parameters(stages: tuple[ConvStage, ...], layers: tuple[Layer, ...]) -> int:
    """Trainable parameters of conv ``stages`` then fully connected ``layers`` and the
    10-way output, from arithmetic alone (nothing is allocated)."""
    convs = sum(s.kernel ** 2 * cin * s.channels + s.channels
                for cin, s in zip([1, *(s.channels for s in stages)], stages, strict=False))
    widths = [flat_size(stages), *(layer.width for layer in layers), 10]
    batch_norm = sum(2 * layer.width for layer in layers if layer.batch_norm)
    return convs + linear_parameters(widths) + batch_norm


@dataclass(frozen=True)
class Breach:
    """One way a design goes past what mnistpad trains: ``what`` is "layers", "width",
    "stages", "channels" or "parameters"; ``number`` the layer or stage (1-based, 0 for the
    whole network); ``value`` against ``limit``. The window words it in its own language."""

    what: str
    number: int
    value: int
    limit: int

    def __str__(self) -> str:
        where = {"width": f"hidden layer {self.number}: ", "channels":
                 f"conv stage {self.number}: "}.get(self.what, "")
        noun = {"layers": "hidden layers", "width": "units", "stages": "conv stages",
                "channels": "channels", "parameters": "parameters"}[self.what]
        return f"{where}{self.value:,} {noun}, more than {self.limit:,}"


def limit_breaches(stages: tuple[ConvStage, ...], layers: tuple[Layer, ...]) -> list[Breach]:
    """Where a valid design goes past what mnistpad trains (see :data:`LIMITS`): the first
    of each kind, parameters last."""
    found = []
    if len(layers) > MAX_HIDDEN_LAYERS:
        found.append(Breach("layers", 0, len(layers), MAX_HIDDEN_LAYERS))
    found += [Breach("width", n, layer.width, MAX_WIDTH)
              for n, layer in enumerate(layers, 1) if layer.width > MAX_WIDTH][:1]
    if len(stages) > MAX_CONV_STAGES:
        found.append(Breach("stages", 0, len(stages), MAX_CONV_STAGES))
    found += [Breach("channels", n, stage.channels, MAX_CHANNELS)
              for n, stage in enumerate(stages, 1) if stage.channels > MAX_CHANNELS][:1]
    parameters = network_parameters(stages, layers)
    if parameters > MAX_PARAMETERS:
        found.append(Breach("parameters", 0, parameters, MAX_PARAMETERS))
    return found
