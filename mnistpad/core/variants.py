"""The lab variants as data: one table of specs and one builder.

Every model of "Lab 10: NN, ReLU, Xavier, Dropout, and Adam" (and the two CNNs of Lab 11)
is a :class:`VariantSpec` row in :data:`LAB_VARIANTS`. A user's own variation is the same
spec with other knobs (``dataclasses.replace`` or :func:`VariantSpec.with_overrides`).
:func:`build_model` turns any spec into a ``torch.nn.Module``, and a model file stores the
spec next to the weights so that loading rebuilds the very same network.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import torch
from torch import nn

from mnistpad.core.errors import ModelFileError

ARCHS = ("mlp", "cnn", "deepcnn", "ensemble")
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
    (:func:`mnistpad.core.pendigits.augmented_copies`); 0 trains on MNIST alone.
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

    def __post_init__(self) -> None:
        problems = []
        if self.arch not in ARCHS:
            problems.append(f"arch must be one of {', '.join(ARCHS)}")
        if not all(isinstance(h, int) and not isinstance(h, bool) and h > 0 for h in self.hidden):
            problems.append("hidden layer sizes must be positive whole numbers")
        if self.init not in INITS:
            problems.append(f"init must be one of {', '.join(INITS)}")
        if self.optimizer not in OPTIMIZERS:
            problems.append(f"optimizer must be one of {', '.join(OPTIMIZERS)}")
        if self.lr_schedule not in LR_SCHEDULES:
            problems.append(f"lr_schedule must be one of {', '.join(LR_SCHEDULES)}")
        if not 0.0 < self.keep_prob <= 1.0:
            problems.append("keep_prob must be in (0, 1]")
        if not (self.learning_rate > 0 and math.isfinite(self.learning_rate)):
            problems.append("learning rate must be a positive number")
        if self.epochs < 1:
            problems.append("epochs must be at least 1")
        if self.batch_size < 1:
            problems.append("batch size must be at least 1")
        if not 0 <= self.pen_copies <= 16:
            problems.append("pen_copies must be from 0 to 16")
        if self.arch == "ensemble" and (self.members < 2 or self.member_arch not in ARCHS[:3]):
            problems.append("an ensemble needs members >= 2 and a member_arch")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def input_shape(self) -> tuple[int, ...]:
        """How one image is handed to the model: 784 flat values, or 1x28x28."""
        arch = self.member_arch if self.arch == "ensemble" else self.arch
        return (784,) if arch == "mlp" else (1, 28, 28)

    def with_overrides(self, **changes) -> VariantSpec:
        """This spec with some knobs changed; ``None`` values are ignored."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["hidden"] = list(self.hidden)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> VariantSpec:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown spec fields: {', '.join(sorted(unknown))}")
        values = dict(data)
        values["hidden"] = tuple(values.get("hidden", ()))
        return cls(**values)


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


# --------------------------------------------------------------------------- builder


def _init_linear(layer: nn.Linear, init: str) -> None:
    if init == "normal":
        nn.init.normal_(layer.weight, 0.0, 1.0)
    elif init == "xavier":
        nn.init.xavier_uniform_(layer.weight)
    else:
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    nn.init.normal_(layer.bias, 0.0, 1.0)


def _init_conv(layer: nn.Conv2d) -> None:
    nn.init.normal_(layer.weight, 0.0, 0.01)
    nn.init.zeros_(layer.bias)


class Dropout(nn.Dropout):
    """``nn.Dropout`` with the mask drawn as ``rand < keep_prob``: the same Bernoulli mask
    and 1/keep_prob scaling, 2-3x faster on the CPU than ``bernoulli_``, which was a quarter
    of deepcnn's training time. Off in eval mode, like any dropout. ``generator``, when set,
    draws the masks from it instead of torch's global generator (which a training run in
    another thread is using)."""

    generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = 1.0 - self.p
        if self.generator is None:
            noise = torch.rand_like(x)
        else:
            noise = torch.rand(x.shape, generator=self.generator, dtype=x.dtype, device=x.device)
        return x * (noise < keep) * (1.0 / keep)


def _drop(keep_prob: float) -> list[nn.Module]:
    return [Dropout(p=1.0 - keep_prob)] if keep_prob < 1.0 else []


def _mlp(spec: VariantSpec) -> nn.Sequential:
    layers: list[nn.Module] = []
    width = 784
    for size in spec.hidden:
        linear = nn.Linear(width, size)
        _init_linear(linear, spec.init)
        layers.append(linear)
        if spec.batch_norm:
            layers.append(nn.BatchNorm1d(size))
        layers += [nn.ReLU(), *_drop(spec.keep_prob)]
        width = size
    out = nn.Linear(width, 10)
    _init_linear(out, spec.init)
    layers.append(out)
    return nn.Sequential(*layers)


def _conv_block(cin: int, cout: int, keep_prob: float, pool_padding: int = 0) -> list[nn.Module]:
    conv = nn.Conv2d(cin, cout, kernel_size=3, padding=1)
    _init_conv(conv)
    return [conv, nn.ReLU(), nn.MaxPool2d(2, 2, padding=pool_padding), *_drop(keep_prob)]


def _cnn(spec: VariantSpec) -> nn.Sequential:
    fc = nn.Linear(7 * 7 * 64, 10)
    _init_linear(fc, spec.init)
    return nn.Sequential(
        *_conv_block(1, 32, 1.0),
        *_conv_block(32, 64, 1.0),
        nn.Flatten(),
        fc,
    )


def _deepcnn(spec: VariantSpec) -> nn.Sequential:
    fc1 = nn.Linear(4 * 4 * 128, 625)
    fc2 = nn.Linear(625, 10)
    _init_linear(fc1, spec.init)
    _init_linear(fc2, spec.init)
    return nn.Sequential(
        *_conv_block(1, 32, spec.keep_prob),
        *_conv_block(32, 64, spec.keep_prob),
        *_conv_block(64, 128, spec.keep_prob, pool_padding=1),
        nn.Flatten(),
        fc1,
        nn.ReLU(),
        *_drop(spec.keep_prob),
        fc2,
    )


class Ensemble(nn.Module):
    """Members trained side by side on the same batches; the output averages their
    probabilities and returns its log, so that softmax of the output is that average."""

    def __init__(self, members: list[nn.Module]):
        super().__init__()
        self.members = nn.ModuleList(members)

    def member_logits(self, x: torch.Tensor) -> list[torch.Tensor]:
        return [member(x) for member in self.members]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        probs = torch.stack([m.softmax(dim=1) for m in self.member_logits(x)]).mean(dim=0)
        return probs.clamp_min(1e-12).log()


_BUILDERS = {"mlp": _mlp, "cnn": _cnn, "deepcnn": _deepcnn}


def build_model(spec: VariantSpec) -> nn.Module:
    """A freshly initialized network for ``spec`` (uses torch's global RNG)."""
    if spec.arch == "ensemble":
        member = dataclasses.replace(spec, arch=spec.member_arch, members=1, member_arch="")
        return Ensemble([build_model(member) for _ in range(spec.members)])
    return _BUILDERS[spec.arch](spec)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def spec_from_metadata(data: dict, source: str) -> VariantSpec:
    """Rebuild a spec stored in a model file, with a one-line error naming ``source``."""
    try:
        spec = VariantSpec.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise ModelFileError(f"{source}: not a model of a known variant ({exc})") from None
    if spec.variant not in VARIANTS:
        raise ModelFileError(
            f"{source}: not a model of a known variant (unknown variant {spec.variant!r}; "
            f"known: {', '.join(VARIANTS)})"
        )
    return spec
