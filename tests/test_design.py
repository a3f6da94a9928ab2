"""A design of one's own layers: specs, checks, parameter counts and the one builder."""

from __future__ import annotations

import json

import pytest
import torch
from torch import nn

from mnistpad.core.models.layers import LIMITS, ConvStage, Layer, image_sizes
from mnistpad.core.models.specs import (
    VARIANTS,
    VariantSpec,
    designed,
    lab_spec,
    spec_parameter_count,
    training_problems,
)
from mnistpad.core.models.variants import build_model, parameter_count

SIGMOID_NET = (Layer(128, "sigmoid"), Layer(64, "sigmoid"))
MIXED_NET = (Layer(300, "tanh", 0.8, True), Layer(100, "relu"), Layer(50, "sigmoid", 0.5))
SMALL_CNN = (ConvStage(8, 5), ConvStage(16, 3, pool=False, padding="valid", keep_prob=0.9),
             ConvStage(4, 1))


def test_a_design_builds_its_layers_in_the_labs_order():
    spec = designed(lab_spec("xavier"), MIXED_NET)
    kinds = [type(m).__name__ for m in build_model(spec)]
    assert kinds == ["Linear", "BatchNorm1d", "Tanh", "Dropout", "Linear", "ReLU",
                     "Linear", "Sigmoid", "Dropout", "Linear"]
    assert spec.hidden == (300, 100, 50) and spec.keep_prob == 0.5 and spec.batch_norm
    assert spec.optimizer == "adam" and spec.init == "xavier"  # the recipe is the base's


def test_a_cnn_design_follows_the_image_through_its_stages():
    spec = designed(lab_spec("cnn"), (Layer(32),), SMALL_CNN)
    assert image_sizes(SMALL_CNN) == [14, 12, 6]
    model = build_model(spec).eval()
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    flatten = next(m for m in model if isinstance(m, nn.Linear))
    assert flatten.in_features == 4 * 6 * 6


@pytest.mark.parametrize("spec", [
    designed(lab_spec("xavier"), SIGMOID_NET),
    designed(lab_spec("batchnorm"), MIXED_NET),
    designed(lab_spec("softmax"), ()),
    designed(lab_spec("cnn"), (Layer(32, "tanh", 0.7, True),), SMALL_CNN),
    designed(lab_spec("deepcnn"), (), (ConvStage(6, 7), ConvStage(6), ConvStage(6), ConvStage(6))),
    *VARIANTS.values(),
], ids=lambda s: s.variant)
def test_the_count_from_the_spec_is_what_the_builder_builds(spec):
    assert spec_parameter_count(spec) == parameter_count(build_model(spec))


def test_the_lecture_exercise_net_has_its_textbook_count():
    spec = designed(lab_spec("xavier"), SIGMOID_NET)
    assert spec_parameter_count(spec) == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10


def test_a_design_goes_through_json_and_back():
    spec = designed(lab_spec("deepcnn"), MIXED_NET, SMALL_CNN)
    data = json.loads(json.dumps(spec.to_dict()))
    assert data["layers"][0] == {"width": 300, "activation": "tanh", "keep_prob": 0.8,
                                 "batch_norm": True}
    assert VariantSpec.from_dict(data) == spec


def test_a_lab_recipe_writes_no_design_keys():
    """Files of the lab recipes read as before, by older versions too."""
    for spec in VARIANTS.values():
        assert "layers" not in spec.to_dict() and "convs" not in spec.to_dict()
        assert not spec.is_designed


@pytest.mark.parametrize(("layers", "convs", "fragment"), [
    ((Layer(0),), (), "hidden layer 1: width must be a whole number from 1 up, not 0"),
    ((Layer(64), Layer(32, "swish")), (), "hidden layer 2: unknown activation 'swish'; "
                                         "choose one of: relu, sigmoid, tanh"),
    ((Layer(64, keep_prob=0.0),), (), "keep_prob must be from 0.05 to 1"),
    ((), (ConvStage(8, 4),), "conv stage 1: kernel must be one of 1, 3, 5, 7"),
    ((), (ConvStage(8, 7, padding="valid"),) * 3, "conv stage 3 shrinks the 3x3 image below "
                                                  "1 pixel"),
])
def test_invalid_designs_are_refused_in_one_line(layers, convs, fragment):
    with pytest.raises(ValueError, match=r"^[^\n]*$") as caught:
        designed(lab_spec("cnn" if convs else "xavier"), layers, convs)
    assert fragment in str(caught.value)


def test_designs_past_the_limits_are_valid_but_not_trainable():
    wide = designed(lab_spec("xavier"), (Layer(4097),))
    assert training_problems(wide) == ["hidden layer 1: 4,097 units, more than 4,096"]
    big = designed(lab_spec("xavier"), (Layer(4096),) * 3)
    assert spec_parameter_count(big) == 36_818_954 and training_problems(big) == []
    too_big = designed(lab_spec("xavier"), (Layer(4096),) * 4)
    assert training_problems(too_big) == ["53,600,266 parameters, more than 50,000,000"]
    assert all(training_problems(spec) == [] for spec in VARIANTS.values())
    assert "\n" not in LIMITS and "4,096" in LIMITS


def test_hostile_design_json_is_refused_as_a_value_error():
    base = lab_spec("xavier").to_dict()
    for layers in ("512", [512], [{"width": 5, "colour": 1}], [{}], [{"width": "5"}]):
        with pytest.raises(ValueError):
            VariantSpec.from_dict({**base, "layers": layers})
    with pytest.raises(ValueError, match="conv stages need arch cnn"):
        VariantSpec.from_dict({**base, "convs": [{"channels": 4}]})
    with pytest.raises(ValueError, match="hidden must repeat"):
        VariantSpec.from_dict({**base, "hidden": [3], "layers": [{"width": 5}]})
