"""The lab variants as data: structure, parameter counts, init, and spec validation."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
import torch
from torch import nn

from mnistpad.core.models.variants import (
    DEFAULT_VARIANT,
    LAB_INFO,
    LAB_VARIANTS,
    VARIANTS,
    Ensemble,
    VariantSpec,
    build_model,
    lab_spec,
    parameter_count,
)

# Parameter counts of the lecture's networks (docs/labs.md).
LAB_PARAMETERS = {
    "softmax": 7_850,
    "nn": 269_322,
    "xavier": 269_322,
    "deep": 1_195_018,
    "dropout": 1_195_018,
    "batchnorm": 1_199_114,
    "cnn": 50_186,
    "deepcnn": 1_379_557,
}

L, R, D, B = "Linear", "ReLU", "Dropout", "BatchNorm1d"
C, P, F = "Conv2d", "MaxPool2d", "Flatten"
LAYERS = {
    "softmax": [L],
    "nn": [L, R, L, R, L],
    "xavier": [L, R, L, R, L],
    "deep": [L, R] * 4 + [L],
    "dropout": [L, R, D] * 4 + [L],
    "batchnorm": [L, B, R, D] * 4 + [L],
    "cnn": [C, R, P, C, R, P, F, L],
    "deepcnn": [C, R, P, D] * 3 + [F, L, R, D, L],
}
# (in, out) of each Linear layer
LINEAR_SHAPES = {
    "softmax": [(784, 10)],
    "nn": [(784, 256), (256, 256), (256, 10)],
    "xavier": [(784, 256), (256, 256), (256, 10)],
    "deep": [(784, 512)] + [(512, 512)] * 3 + [(512, 10)],
    "dropout": [(784, 512)] + [(512, 512)] * 3 + [(512, 10)],
    "batchnorm": [(784, 512)] + [(512, 512)] * 3 + [(512, 10)],
    "cnn": [(3136, 10)],
    "deepcnn": [(2048, 625), (625, 10)],
}


def layer_names(model: nn.Module) -> list[str]:
    return [type(layer).__name__ for layer in model]


def test_the_table_holds_the_eight_lab_steps_and_the_two_ensembles():
    assert list(LAB_VARIANTS) == list(LAB_PARAMETERS)
    assert set(VARIANTS) == {*LAB_PARAMETERS, "cnn-ensemble", "drawn"}
    assert set(LAB_INFO) == set(VARIANTS)
    for name, spec in VARIANTS.items():
        assert spec.variant == name


@pytest.mark.parametrize("name", list(LAB_PARAMETERS))
def test_lab_variant_structure_and_parameter_count(name, mnist):
    spec = lab_spec(name)
    model = build_model(spec)
    assert layer_names(model) == LAYERS[name]
    linears = [(m.in_features, m.out_features) for m in model if isinstance(m, nn.Linear)]
    assert linears == LINEAR_SHAPES[name]
    assert parameter_count(model) == LAB_PARAMETERS[name]
    # real digits go through in the spec's input shape and come out as ten logits
    x = mnist.test.images[:5].view(-1, *spec.input_shape)
    assert model.eval()(x).shape == (5, 10)


def test_convolutions_of_the_cnns():
    cnn = [m for m in build_model(lab_spec("cnn")) if isinstance(m, nn.Conv2d)]
    deep = build_model(lab_spec("deepcnn"))
    deep_convs = [m for m in deep if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels) for c in cnn] == [(1, 32), (32, 64)]
    assert [(c.in_channels, c.out_channels) for c in deep_convs] == [(1, 32), (32, 64), (64, 128)]
    for conv in cnn + deep_convs:
        assert conv.kernel_size == (3, 3) and conv.padding == (1, 1)
    pools = [m.padding for m in deep if isinstance(m, nn.MaxPool2d)]
    assert pools == [0, 0, 1]  # the third pool is padded: 7x7 -> 4x4, so fc1 takes 4*4*128


def test_the_ensemble_is_three_deepcnns_that_average_probabilities():
    model = build_model(VARIANTS["cnn-ensemble"])
    assert isinstance(model, Ensemble) and len(model.members) == 3
    assert parameter_count(model) == 3 * LAB_PARAMETERS["deepcnn"]
    model.eval()
    x = torch.rand(4, 1, 28, 28)
    members = torch.stack([m(x).softmax(1) for m in model.members]).mean(0)
    torch.testing.assert_close(model(x).softmax(1), members)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_dropout_exactly_where_keep_prob_is_below_one(name):
    spec = VARIANTS[name]
    dropouts = [m for m in build_model(spec).modules() if isinstance(m, nn.Dropout)]
    if spec.keep_prob < 1:
        assert dropouts
        assert all(math.isclose(d.p, 1 - spec.keep_prob) for d in dropouts)
    else:
        assert dropouts == []
    assert (spec.keep_prob < 1) == (
        name in {"dropout", "batchnorm", "deepcnn", "cnn-ensemble", "drawn"})


def test_only_the_drawn_variant_trains_on_pen_digits():
    """The lecture's variants and cnn-ensemble stay MNIST-only; drawn is cnn-ensemble's
    network and recipe plus the pen digits."""
    assert {name for name, spec in VARIANTS.items() if spec.pen_copies} == {"drawn"}
    drawn, ensemble = VARIANTS["drawn"], VARIANTS["cnn-ensemble"]
    assert dataclasses.replace(drawn, variant="cnn-ensemble", pen_copies=0) == ensemble
    assert DEFAULT_VARIANT == "drawn"
    with pytest.raises(ValueError, match="pen_copies"):
        drawn.with_overrides(pen_copies=-1)


def test_keep_prob_override_adds_and_removes_dropout():
    off = build_model(lab_spec("dropout").with_overrides(keep_prob=1.0))
    assert not any(isinstance(m, nn.Dropout) for m in off)
    on = build_model(lab_spec("xavier").with_overrides(keep_prob=0.5))
    assert layer_names(on) == [L, R, D, L, R, D, L]
    assert all(m.p == 0.5 for m in on if isinstance(m, nn.Dropout))


@pytest.mark.parametrize("name", list(VARIANTS))
def test_batch_norm_in_the_batchnorm_variant_only(name):
    norms = [m for m in build_model(VARIANTS[name]).modules() if isinstance(m, nn.BatchNorm1d)]
    assert bool(norms) == (name == "batchnorm")


def test_normal_init_has_unit_std_and_xavier_stays_within_glorot_bounds():
    torch.manual_seed(0)
    normal = build_model(lab_spec("nn"))[0].weight.detach()
    xavier_layers = [m for m in build_model(lab_spec("xavier")) if isinstance(m, nn.Linear)]
    assert abs(normal.std().item() - 1.0) < 0.02 and abs(normal.mean().item()) < 0.01
    for layer in xavier_layers:
        w = layer.weight.detach()
        bound = math.sqrt(6.0 / (layer.in_features + layer.out_features))
        assert w.abs().max().item() <= bound
        assert w.abs().max().item() > 0.95 * bound  # uniform: it reaches the bound
        assert abs(w.std().item() - bound / math.sqrt(3)) < 0.05 * bound
        # biases are N(0, 1), as in the lecture, for both inits
        assert 0.7 < layer.bias.detach().std().item() < 1.3


def test_conv_weights_are_small_normal_with_zero_bias():
    torch.manual_seed(0)
    conv = build_model(lab_spec("cnn"))[3]  # 32 -> 64, 18,432 weights
    assert isinstance(conv, nn.Conv2d)
    assert abs(conv.weight.detach().std().item() - 0.01) < 0.001
    assert torch.count_nonzero(conv.bias).item() == 0


def test_he_init_is_available():
    torch.manual_seed(0)
    w = build_model(lab_spec("xavier").with_overrides(init="he"))[0].weight.detach()
    assert abs(w.std().item() - math.sqrt(2 / 784)) < 0.005


@pytest.mark.parametrize("name", list(VARIANTS))
def test_spec_round_trips_through_dict_and_json(name):
    spec = VARIANTS[name]
    assert VariantSpec.from_dict(spec.to_dict()) == spec
    assert VariantSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


def test_custom_spec_round_trip():
    spec = lab_spec("deep").with_overrides(hidden=(64, 32), optimizer="rmsprop", epochs=3,
                                           learning_rate=0.05, keep_prob=0.9, batch_norm=True)
    data = json.loads(json.dumps(spec.to_dict()))
    assert data["hidden"] == [64, 32]
    back = VariantSpec.from_dict(data)
    assert back == spec and back.hidden == (64, 32)


def test_with_overrides_ignores_none():
    spec = lab_spec("xavier")
    assert spec.with_overrides(epochs=None, learning_rate=None) == spec
    assert spec.with_overrides(epochs=2).epochs == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"arch": "rnn"}, "arch must be one of"),
        ({"init": "zeros"}, "init must be one of"),
        ({"optimizer": "lbfgs"}, "optimizer must be one of"),
        ({"lr_schedule": "step"}, "lr_schedule must be one of"),
        ({"keep_prob": 0.0}, "keep_prob"),
        ({"keep_prob": 1.5}, "keep_prob"),
        ({"keep_prob": float("nan")}, "keep_prob"),
        ({"learning_rate": 0.0}, "learning rate"),
        ({"learning_rate": -0.1}, "learning rate"),
        ({"learning_rate": float("inf")}, "learning rate"),
        ({"learning_rate": float("nan")}, "learning rate"),
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 0}, "batch size"),
        ({"hidden": (256, 0)}, "hidden"),
        ({"hidden": (-5,)}, "hidden"),
        ({"hidden": (2.5,)}, "hidden"),
        ({"arch": "ensemble", "members": 1, "member_arch": "cnn"}, "ensemble"),
        ({"arch": "ensemble", "members": 3, "member_arch": ""}, "ensemble"),
        ({"arch": "ensemble", "members": 3, "member_arch": "ensemble"}, "ensemble"),
    ],
)
def test_invalid_specs_raise_value_error(changes, message):
    with pytest.raises(ValueError, match=message):
        lab_spec("xavier").with_overrides(**changes)


def test_several_problems_are_reported_together():
    with pytest.raises(ValueError) as info:
        VariantSpec("xavier", "mlp", (256,), init="bogus", epochs=0)
    assert "init must be one of" in str(info.value) and "epochs" in str(info.value)


def test_from_dict_rejects_unknown_fields_and_lab_spec_unknown_names():
    with pytest.raises(ValueError, match="unknown spec fields: colour"):
        VariantSpec.from_dict({**lab_spec("nn").to_dict(), "colour": "red"})
    with pytest.raises(ValueError, match="unknown variant 'resnet'"):
        lab_spec("resnet")
