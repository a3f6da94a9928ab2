"""A saved model as a standalone PyTorch script, written the way the lecture's lab code reads.

The lecture is taught through its lab scripts (``linear1 = torch.nn.Linear(784, 512)``, one
``relu``, one ``dropout``, ``torch.nn.Sequential(linear1, relu, dropout, ...)``). A learner who
trained a model here can read the same kind of script for it: :func:`script` writes one that
imports only torch and safetensors and defines ``build_model()`` for exactly the file's spec,
with its layers in the order the app builds them, so that the file's tensors load into it with
``load_state_dict(strict=True)`` and, in eval mode, it reads a digit as the app does.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from mnistpad import __version__
from mnistpad.core.models.layers import ACTIVATION_CLASSES, IMAGE_SIZE, ConvStage, Layer
from mnistpad.core.models.specs import LAB_INFO, VariantSpec

_INIT_LINES = {
    "normal": "torch.nn.init.normal_({0}.weight)  # the lecture's random_normal: N(0, 1)",
    "xavier": "torch.nn.init.xavier_uniform_({0}.weight)  # the lecture's xavier_initializer",
    "he": "torch.nn.init.kaiming_normal_({0}.weight, nonlinearity=\"relu\")  # He init",
}


@dataclass
class _Code:
    """The lines of ``build_model()`` being written, and the modules in their order."""

    lines: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    shared: dict[str, str] = field(default_factory=dict)  # name -> constructor

    def add(self, name: str, constructor: str, shape: str = "") -> None:
        if shape:
            self.lines.append(f"# {shape}")
        self.lines.append(f"{name} = {constructor}")
        self.order.append(name)

    def use_shared(self, name: str, constructor: str) -> None:
        """A module without weights, made once and used wherever the lab code reuses it."""
        self.shared.setdefault(name, constructor)
        self.order.append(name)


def _shape(*dims: int) -> str:
    return "(N, " + ", ".join(str(d) for d in dims) + ")"


def _dropout(code: _Code, keep_prob: float, uniform_keep: float | None) -> None:
    if keep_prob >= 1.0:
        return
    if uniform_keep is not None:
        code.use_shared("dropout", "torch.nn.Dropout(p=1 - keep_prob)")
    else:
        name = f"dropout_{str(keep_prob).replace('.', '')}"
        code.use_shared(name, f"torch.nn.Dropout(p=1 - {keep_prob:g})")


def _conv_stages(code: _Code, stages: tuple[ConvStage, ...], uniform_keep) -> tuple[int, int]:
    channels, size = 1, IMAGE_SIZE
    for n, stage in enumerate(stages, 1):
        padding = stage.kernel // 2 if stage.padding == "same" else 0
        after_conv = size + 2 * padding - stage.kernel + 1
        code.add(f"conv{n}", f"torch.nn.Conv2d({channels}, {stage.channels}, kernel_size="
                             f"{stage.kernel}, stride=1, padding={padding})",
                 f"{_shape(channels, size, size)} -> "
                 f"{_shape(stage.channels, after_conv, after_conv)}")
        code.lines.append(f"torch.nn.init.normal_(conv{n}.weight, std=0.01)")
        code.lines.append(f"torch.nn.init.zeros_(conv{n}.bias)")
        code.use_shared("relu", "torch.nn.ReLU()")
        channels, size = stage.channels, stage.output_size(size)
        if stage.pool:
            code.add(f"pool{n}", f"torch.nn.MaxPool2d(kernel_size=2, stride=2, "
                                 f"padding={after_conv % 2})", f"-> {_shape(channels, size, size)}")
        _dropout(code, stage.keep_prob, uniform_keep)
    if stages:
        code.add("flatten", "torch.nn.Flatten()",
                 f"{_shape(channels, size, size)} -> {_shape(channels * size * size)}")
    return channels * size * size if stages else IMAGE_SIZE * IMAGE_SIZE, size


def _fc_layers(code: _Code, spec: VariantSpec, width: int, uniform_keep) -> None:
    """Linear, batch norm, activation, dropout per hidden layer, then the 10-way output;
    named linear1, linear2... as in Lab 10, fc1, fc2... (or fc alone) after convolutions."""
    layers: tuple[Layer, ...] = spec.fc_layers()
    prefix = "fc" if spec.conv_stages() else "linear"
    for n, layer in enumerate([*layers, None], 1):
        name = "fc" if prefix == "fc" and not layers else f"{prefix}{n}"
        out = 10 if layer is None else layer.width
        code.add(name, f"torch.nn.Linear({width}, {out}, bias=True)",
                 f"{_shape(width)} -> {_shape(out)}")
        code.lines.append(_INIT_LINES[spec.init].format(name))
        code.lines.append(f"torch.nn.init.normal_({name}.bias)")
        width = out
        if layer is None:
            break
        if layer.batch_norm:
            code.add(f"bn{n}", f"torch.nn.BatchNorm1d({out})")
        code.use_shared(layer.activation, f"torch.nn.{ACTIVATION_CLASSES[layer.activation]}()")
        _dropout(code, layer.keep_prob, uniform_keep)


def _uniform_keep(spec: VariantSpec) -> float | None:
    """The one keep_prob of every dropout in the network, or None when they differ."""
    keeps = {x.keep_prob for x in (*spec.conv_stages(), *spec.fc_layers())} - {1.0}
    return keeps.pop() if len(keeps) == 1 else None


def _builder(spec: VariantSpec, function: str) -> list[str]:
    """``def function():`` returning the Sequential of one network (a member, for ensembles)."""
    code, keep = _Code(), _uniform_keep(spec)
    width, _ = _conv_stages(code, spec.conv_stages(), keep)
    _fc_layers(code, spec, width, keep)
    shared = [f"{name} = {constructor}" for name, constructor in code.shared.items()]
    body = [*shared, *code.lines, "return torch.nn.Sequential(",
            *textwrap.wrap(", ".join(code.order), 84, initial_indent="    ",
                           subsequent_indent="    "), ")"]
    return [f"def {function}():", *(f"    {line}" for line in body)]


_ENSEMBLE = '''

class Ensemble(torch.nn.Module):
    """The members read the same image; the output is the log of their averaged
    probabilities, so that softmax of the output is that average."""

    def __init__(self, members):
        super().__init__()
        self.members = torch.nn.ModuleList(members)

    def forward(self, x):
        probs = torch.stack([m(x).softmax(dim=1) for m in self.members]).mean(dim=0)
        return probs.clamp_min(1e-12).log()


def build_model():
    return Ensemble([build_member() for _ in range({members})])
'''

_MAIN = '''

def read_pgm(path):
    """A 28x28 8-bit binary PGM (``convert digit.png -resize 28x28 digit.pgm``) as 784
    pixels in [0, 1]. Like MNIST: ink bright on black, the digit centered in a 20x20 box."""
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(b"P5") or data.split()[1:3] != [b"28", b"28"]:
        raise SystemExit(f"{{path}}: not a 28x28 binary PGM image")
    return torch.frombuffer(bytearray(data[-784:]), dtype=torch.uint8).float() / 255


def load_weights(path):
    """The model's tensors from ``path``: by default the weights file named above, looked
    for beside this script (wherever it is run from)."""
    path = Path(path) if path else Path(__file__).resolve().with_name(WEIGHTS)
    if not path.is_file():
        raise SystemExit(f"{{path}}: no such weights file; usage: python {{Path(__file__).name}}"
                         " [WEIGHTS.safetensors] [digit.pgm]")
    return load_file(path)


if __name__ == "__main__":
    model = build_model()
    model.load_state_dict(load_weights(sys.argv[1] if len(sys.argv) > 1 else None), strict=True)
    model.eval()  # dropout off (keep_prob = 1), batch norm frozen: always when reading digits
    image = read_pgm(sys.argv[2]) if len(sys.argv) > 2 else torch.zeros(784)  # blank: no ink
    with torch.no_grad():
        probs = model(image.view({input_shape})).softmax(dim=1)[0]
    print("digit:", int(probs.argmax()), "probabilities:", [round(float(p), 4) for p in probs])
'''


def comment(text: str) -> str:
    """``text`` as one comment line of generated code. A value read from a file (a model's
    name, a file name) enters a script only as a comment like this, its control characters
    (line breaks among them) replaced, or as the ``repr()`` of a plain string: never as code,
    and never inside a string literal it could close."""
    return "# " + "".join(c if c.isprintable() else " " for c in str(text))


def _header(spec: VariantSpec, name: str, weights: str) -> list[str]:
    lab = LAB_INFO.get(spec.variant)
    if spec.is_designed or lab is None:
        origin = f"its own layers, starting from {spec.variant}"
    else:
        step = f"Lab {lab.lab}" if lab.lab != "beyond" else "beyond the lecture"
        origin = f"{spec.variant}, {step}: {lab.summary}"
    keep = _uniform_keep(_network_spec(spec))
    lines = [
        '"""A model trained with mnistpad, as a standalone PyTorch script.',
        "",
        f"Written by mnistpad {__version__} from the model file's spec.",
        "Usage: python this_script.py [WEIGHTS.safetensors] [digit.pgm]",
        "(the weights default to the file named in WEIGHTS, beside this script)",
        '"""',
        comment(f"Model: {name}: {origin}."),
        comment(f"Trained with {spec.optimizer}, learning rate {spec.learning_rate:g}, "
                f"batch size {spec.batch_size}, {spec.epochs} epochs."),
        "import sys",
        "from pathlib import Path",
        "",
        "import torch",
        "from safetensors.torch import load_file",
        "",
        f"WEIGHTS = {str(weights)!r}",
        "",
    ]
    if keep is not None:
        lines += [f"keep_prob = {keep:g}  # while training; model.eval() turns dropout off", ""]
    return lines


def _network_spec(spec: VariantSpec) -> VariantSpec:
    """The spec of one network: an ensemble's member, else ``spec`` itself."""
    if spec.arch != "ensemble":
        return spec
    return spec.with_overrides(arch=spec.member_arch, members=1, member_arch="")


def script(spec: VariantSpec, name: str, weights: str) -> str:
    """The standalone script for a model of ``spec``, whose weights file is ``weights``."""
    lines = [*_header(spec, name, weights), ""]
    if spec.arch == "ensemble":
        lines += _builder(_network_spec(spec), "build_member")
        text = "\n".join(lines) + "\n" + _ENSEMBLE.replace("{members}", str(spec.members))
    else:
        text = "\n".join(lines + _builder(spec, "build_model")) + "\n"
    input_shape = "1, 784" if spec.input_shape == (784,) else "1, 1, 28, 28"
    return text + _MAIN.format(input_shape=input_shape)


def script_for_file(path) -> str:
    """The script for a saved model file (its header is checked; the weights are not read)."""
    from mnistpad.core.files.modelfile import read_info

    info = read_info(path)
    return script(info.spec, info.name, info.path.name)
