"""The lab variants as data: one table of specs, without torch.

Every model of "Lab 10: NN, ReLU, Xavier, Dropout, and Adam" (and the two CNNs of Lab 11)
is a :class:`VariantSpec` row in :data:`LAB_VARIANTS`. A user's own variation is the same
spec with other knobs (``dataclasses.replace`` or :func:`VariantSpec.with_overrides`), or a
design of its own layers (:func:`designed`; the layers themselves are
:mod:`mnistpad.core.models.layers`).
:mod:`mnistpad.core.models.variants` builds a ``torch.nn.Module`` from any spec. This module imports
no torch, so that the window, ``mnistpad --help`` and ``mnistpad models`` can read specs and
model-file headers before (or without) torch is loaded.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from mnistpad.core.files.numbers import finite, is_whole
from mnistpad.core.models.layers import (
    MAX_HIDDEN_LAYERS,
    MIN_KEEP_PROB,
    ConvStage,
    Layer,
    layer_problems,
    layers_from_json,
    limit_breaches,
    network_parameters,
    stage_problems,
)
from mnistpad.core.platform.errors import ModelFileError

ARCHS = ("mlp", "cnn", "deepcnn", "ensemble", "strokes")
INITS = ("normal", "xavier", "he")
OPTIMIZERS = ("adam", "sgd", "momentum", "adagrad", "rmsprop")
OPTIMIZER_LABELS = {
    "adam": "Adam",
    "sgd": "GradientDescent",
    "momentum": "Momentum",
    "adagrad": "Adagrad",
    "rmsprop": "RMSProp",
}
LR_SCHEDULES = ("none", "cosine")


def optimizer_words(key: str) -> str:
    """An optimizer as the GUI and the CLI both name it: the lecture's name, and the CLI's
    ``--optimizer`` value too where they differ ("GradientDescent (sgd)", "Adam")."""
    label = OPTIMIZER_LABELS[key]
    return label if label.lower() == key else f"{label} ({key})"

# Ranges that train; a spec outside them is refused before anything is built. Below
# MIN_KEEP_PROB (core.models.layers) dropout keeps almost nothing (and 1/keep_prob overflows near
# 0);
# above MAX_LEARNING_RATE every optimizer here diverges on MNIST.
MAX_LEARNING_RATE = 10.0
MAX_EPOCHS = 1000
MAX_BATCH_SIZE = 10_000


@dataclass(frozen=True)
class VariantSpec:
    """Architecture and training recipe of one model variant.

    ``variant`` names the lab row it derives from (its lecture accuracy is looked up by it);
    ``init`` is the weight initialization of the fully connected layers (the lecture's
    ``random_normal`` is N(0, 1), ``xavier_initializer`` is Glorot uniform); biases of fully
    connected layers are N(0, 1) as in the lecture, and CNN convolutions are N(0, 0.01).
    ``keep_prob`` is the probability of keeping a unit while training (1 = no dropout).
    ``pen_copies`` > 0 adds the pen-drawn digits of the training writers to MNIST's training
    set, each drawn that many times on the canvas with its own random size, slant and pen
    (:func:`mnistpad.core.data.pendigits.augmented_copies`); 0 trains on MNIST alone.

    ``layers`` and ``convs`` are a design of one's own (the lecture's exercise): the hidden
    layers one by one, and for ``arch`` "cnn" the convolution stages before them. Empty, the
    arch's own are used (an MLP's ``hidden`` widths with ReLU, ``keep_prob`` and
    ``batch_norm`` on each; the Lab 11 CNNs' stages). With ``layers``, ``hidden`` repeats
    their widths; :func:`designed` makes such a spec.
    """

    variant: str
    arch: str
    hidden: tuple[int, ...] = ()
    init: str = "normal"
    keep_prob: float = 1.0
    batch_norm: bool = False
    optimizer: str = "adam"
    learning_rate: float = 0.001
    epochs: int = 15
    batch_size: int = 100
    augment: bool = False
    lr_schedule: str = "none"
    members: int = 1
    member_arch: str = ""
    pen_copies: int = 0
    layers: tuple[Layer, ...] = ()
    convs: tuple[ConvStage, ...] = ()

    def __post_init__(self) -> None:
        problems = _type_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        if self.arch not in ARCHS:
            problems.append(f"arch must be one of {', '.join(ARCHS)}")
        if not self.layers and not all(_whole(h) and h > 0 for h in self.hidden):
            problems.append("hidden layer sizes must be positive whole numbers")
        if len(self.hidden) > MAX_HIDDEN_LAYERS:
            problems.append(f"at most {MAX_HIDDEN_LAYERS} hidden layers")
        if self.init not in INITS:
            problems.append(f"init must be one of {', '.join(INITS)}")
        if self.optimizer not in OPTIMIZERS:
            problems.append(f"optimizer must be one of {', '.join(OPTIMIZERS)}")
        if self.lr_schedule not in LR_SCHEDULES:
            problems.append(f"lr_schedule must be one of {', '.join(LR_SCHEDULES)}")
        if not MIN_KEEP_PROB <= self.keep_prob <= 1.0:
            problems.append(f"keep_prob must be from {MIN_KEEP_PROB:g} to 1")
        rate = finite(self.learning_rate)  # 10^400 from a file: no float, no OverflowError
        if rate is None or rate <= 0:
            problems.append("learning rate must be a positive number")
        elif self.learning_rate > MAX_LEARNING_RATE:
            problems.append(f"learning rate must be at most {MAX_LEARNING_RATE:g}")
        if not 1 <= self.epochs <= MAX_EPOCHS:
            problems.append(f"epochs must be from 1 to {MAX_EPOCHS}")
        if not 1 <= self.batch_size <= MAX_BATCH_SIZE:
            problems.append(f"batch size must be from 1 to {MAX_BATCH_SIZE:,}")
        if not 0 <= self.pen_copies <= 16:
            problems.append("pen_copies must be from 0 to 16")
        if self.arch == "ensemble" and (self.members < 2 or self.member_arch not in ARCHS[:3]):
            problems.append("an ensemble needs members >= 2 and a member_arch")
        problems += _design_problems(self)
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def is_designed(self) -> bool:
        """True for a design of one's own layers rather than a lab arch's."""
        return bool(self.layers or self.convs)

    def conv_stages(self) -> tuple[ConvStage, ...]:
        """The convolution stages this spec builds (none for an MLP)."""
        if self.convs or self.arch == "mlp":
            return self.convs
        if self.arch == "cnn":
            return (ConvStage(32), ConvStage(64))
        if self.arch == "deepcnn":
            return tuple(ConvStage(c, keep_prob=self.keep_prob) for c in (32, 64, 128))
        return ()

    def fc_layers(self) -> tuple[Layer, ...]:
        """The fully connected hidden layers this spec builds, before the 10-way output."""
        if self.layers:
            return self.layers
        if self.arch == "mlp":
            return tuple(Layer(w, "relu", self.keep_prob, self.batch_norm) for w in self.hidden)
        if self.arch == "deepcnn":
            return (Layer(625, "relu", self.keep_prob),)
        return ()

    @property
    def input_shape(self) -> tuple[int, ...]:
        """How one image is handed to the model: 784 flat values, or 1x28x28."""
        arch = self.member_arch if self.arch == "ensemble" else self.arch
        return (784,) if arch == "mlp" else (1, 28, 28)

    def with_overrides(self, **changes) -> VariantSpec:
        """This spec with some knobs changed; ``None`` values are ignored."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_dict(self) -> dict:
        """JSON-ready; a spec without a design of its own has no ``layers`` or ``convs`` keys,
        so that its files read as before."""
        data = dataclasses.asdict(self)
        data["hidden"] = list(self.hidden)
        for key in ("layers", "convs"):
            if not data[key]:
                del data[key]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> VariantSpec:
        if not isinstance(data, dict):
            raise ValueError("the spec is not a JSON object")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown spec fields: {', '.join(sorted(unknown))}")
        values = dict(data)
        hidden = values.get("hidden", ())
        values["hidden"] = tuple(hidden) if isinstance(hidden, list) else hidden
        values["layers"] = layers_from_json(values.get("layers", ()), Layer)
        values["convs"] = layers_from_json(values.get("convs", ()), ConvStage)
        if values["layers"] and "hidden" not in data:
            values["hidden"] = tuple(layer.width for layer in values["layers"])
        return cls(**values)


def _whole(value) -> bool:
    """A whole number a file may hold (:mod:`mnistpad.core.files.numbers`): an int of
    4,000 digits is refused here, not met when its parameter count is printed."""
    return is_whole(value)


def _number(value) -> bool:
    """Of a number's type (its range is checked apart, through the parser's ``finite`` where
    it is not a plain comparison: 10^400, which JSON reads as an int, is no float)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_problems(spec: VariantSpec) -> list[str]:
    """What is of the wrong type in ``spec`` (a file's JSON can hold anything), checked
    before any comparison so that no TypeError escapes."""
    problems = []
    for f in dataclasses.fields(spec):
        value = getattr(spec, f.name)
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
        if kind == "str" and not isinstance(value, str):
            problems.append(f"{f.name} must be text")
        elif kind == "int" and not _whole(value):
            problems.append(f"{f.name} must be a whole number")
        elif kind == "float" and not _number(value):
            problems.append(f"{f.name} must be a number")
        elif kind == "bool" and not isinstance(value, bool):
            problems.append(f"{f.name} must be true or false")
    if not isinstance(spec.hidden, tuple):
        problems.append("hidden must be a list of layer sizes")
    if not (isinstance(spec.layers, tuple) and all(isinstance(x, Layer) for x in spec.layers)):
        problems.append("layers must be a list of hidden layers")
    if not (isinstance(spec.convs, tuple) and all(isinstance(x, ConvStage) for x in spec.convs)):
        problems.append("convs must be a list of conv stages")
    return problems


def _design_problems(spec: VariantSpec) -> list[str]:
    """What is wrong with a spec's own layers (see :class:`VariantSpec`)."""
    problems = layer_problems(spec.layers) + stage_problems(spec.convs)
    if spec.layers and spec.arch not in ("mlp", "cnn"):
        problems.append("layers of one's own need arch mlp or cnn")
    if spec.layers and spec.hidden != tuple(layer.width for layer in spec.layers):
        problems.append("hidden must repeat the layers' widths")
    if spec.convs and spec.arch != "cnn":
        problems.append("conv stages need arch cnn")
    return problems


def designed(base: VariantSpec, layers: tuple[Layer, ...],
             convs: tuple[ConvStage, ...] = ()) -> VariantSpec:
    """``base``'s recipe (optimizer, lr, epochs...) with these hidden layers and, for a CNN,
    these conv stages. ``keep_prob`` and ``batch_norm`` then summarize the layers (the
    smallest keep_prob, batch norm anywhere), for the lines that describe a spec."""
    arch = "cnn" if convs else "mlp"
    keeps = [x.keep_prob for x in (*layers, *convs)]
    return dataclasses.replace(
        base, arch=arch, hidden=tuple(layer.width for layer in layers), layers=tuple(layers),
        convs=tuple(convs), keep_prob=min(keeps, default=1.0),
        batch_norm=any(layer.batch_norm for layer in layers), members=1, member_arch="",
    )


def training_problems(spec: VariantSpec) -> list[str]:
    """Where a valid spec goes past what mnistpad trains, in words (empty when it trains)."""
    if spec.arch == "ensemble":
        return []
    return [str(breach) for breach in limit_breaches(spec.conv_stages(), spec.fc_layers())]


@dataclass(frozen=True)
class LabInfo:
    """What the lecture says about a variant: which step, what changed, what it scored."""

    lab: str
    summary: str
    lecture_accuracy: float | None
    threshold: float | None = None
    notes: str = field(default="")


_DEEP = (512, 512, 512, 512)

LAB_VARIANTS: dict[str, VariantSpec] = {
    "softmax": VariantSpec("softmax", "mlp", (), init="normal"),
    "nn": VariantSpec("nn", "mlp", (256, 256), init="normal"),
    "xavier": VariantSpec("xavier", "mlp", (256, 256), init="xavier"),
    "deep": VariantSpec("deep", "mlp", _DEEP, init="xavier"),
    "dropout": VariantSpec("dropout", "mlp", _DEEP, init="xavier", keep_prob=0.7),
    "batchnorm": VariantSpec(
        "batchnorm", "mlp", _DEEP, init="xavier", keep_prob=0.7, batch_norm=True,
        learning_rate=0.01,
    ),
    "cnn": VariantSpec("cnn", "cnn", init="xavier"),
    "deepcnn": VariantSpec("deepcnn", "deepcnn", init="xavier", keep_prob=0.7),
}

# Beyond the lecture, chosen by measurement (see README).
EXTRA_VARIANTS: dict[str, VariantSpec] = {
    "cnn-ensemble": VariantSpec(
        "cnn-ensemble", "ensemble", init="xavier", keep_prob=0.7, augment=True,
        lr_schedule="cosine", epochs=20, members=3, member_arch="deepcnn",
    ),
    # cnn-ensemble's recipe on MNIST plus the real pen-drawn digits of writers 1-24, each
    # drawn 4 times: the default for drawing, since it reads real drawings best.
    "drawn": VariantSpec(
        "drawn", "ensemble", init="xavier", keep_prob=0.7, augment=True,
        lr_schedule="cosine", epochs=20, members=3, member_arch="deepcnn", pen_copies=4,
    ),
}

VARIANTS: dict[str, VariantSpec] = {**LAB_VARIANTS, **EXTRA_VARIANTS}

# Not an image model: it reads a drawing's strokes (mnistpad.core.strokes.reader), so it is
# kept out of VARIANTS, whose every model reads 28x28 pixels (the lab variants stay image-only).
STROKE_VARIANTS: dict[str, VariantSpec] = {
    "strokes": VariantSpec("strokes", "strokes", init="xavier", keep_prob=0.7, augment=True,
                           lr_schedule="cosine", epochs=20, batch_size=64, learning_rate=0.002),
}
DEFAULT_VARIANT = "drawn"

LAB_INFO: dict[str, LabInfo] = {
    "softmax": LabInfo("10-1", "softmax classifier, N(0,1) init", 0.90, 0.895),
    "nn": LabInfo("10-2", "3-layer ReLU net, N(0,1) init", 0.9455, 0.943),
    "xavier": LabInfo("10-3", "same net, Xavier init", 0.9783, 0.976),
    "deep": LabInfo("10-4", "5 layers of 512, Xavier", 0.9742, 0.972),
    "dropout": LabInfo("10-5", "deep net + dropout (keep_prob 0.7)", 0.9804, 0.979),
    "batchnorm": LabInfo("10-6/7", "dropout net + batch norm, lr 0.01", 0.9826, 0.980),
    "cnn": LabInfo("11-1", "2 conv layers + fc", 0.9885, 0.986),
    "deepcnn": LabInfo("11-2", "3 conv layers + 2 fc, dropout", 0.9938, 0.992),
    "cnn-ensemble": LabInfo(
        "beyond", "3 deepcnns, augmented, cosine lr, averaged", 0.9952, 0.995,
        notes="lab 11-5 reported 99.52% for its ensemble",
    ),
    "drawn": LabInfo(
        "beyond", "cnn-ensemble trained on MNIST + real pen-drawn digits", None, 0.995,
        notes="trained on MNIST and the pen digits of writers 1-24",
    ),
}


def lab_spec(name: str) -> VariantSpec:
    try:
        return VARIANTS[name]
    except KeyError:
        raise ValueError(
            f"unknown variant {name!r}; choose one of: {', '.join(VARIANTS)}"
        ) from None


def spec_parameter_count(spec: VariantSpec) -> int:
    """The trainable parameters :func:`build_model` would create for ``spec``, computed
    without allocating them, so that an absurd spec is refused before anything is built.
    (A test checks it against built models for every variant in :data:`VARIANTS`.)"""
    if spec.arch == "ensemble":
        member = dataclasses.replace(spec, arch=spec.member_arch, members=1, member_arch="")
        return spec.members * spec_parameter_count(member)
    if spec.arch == "strokes":
        return _stroke_net_parameters()
    return network_parameters(spec.conv_stages(), spec.fc_layers())


def _stroke_net_parameters() -> int:
    """The stroke reader's network (:mod:`mnistpad.core.strokes.network`), counted: each
    convolution's weights and biases and its batch norm's scale and shift, then the last
    layer over the pooled positions."""
    from mnistpad.core.strokes.features import CHANNELS, POINTS
    from mnistpad.core.strokes.network_shape import KERNELS, POOL_AFTER, WIDTHS

    total, width = 0, CHANNELS
    for out, kernel in zip(WIDTHS, KERNELS, strict=True):
        total += out * width * kernel + out + 2 * out
        width = out
    return total + width * (POINTS // 2 ** len(POOL_AFTER)) * 10 + 10


def spec_from_metadata(data: dict, source: str) -> VariantSpec:
    """Rebuild a spec stored in a model file, with a one-line error naming ``source``."""
    try:
        spec = VariantSpec.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise ModelFileError(f"{source}: not a model of a known variant ({exc})") from None
    if spec.variant not in VARIANTS and spec.variant not in STROKE_VARIANTS:
        raise ModelFileError(
            f"{source}: not a model of a known variant (unknown variant {spec.variant!r}; "
            f"known: {', '.join(VARIANTS)})"
        )
    if (spec.arch == "strokes") != (spec.variant in STROKE_VARIANTS):
        raise ModelFileError(f"{source}: its '{spec.variant}' spec has the wrong arch "
                             f"'{spec.arch}'")
    return spec
