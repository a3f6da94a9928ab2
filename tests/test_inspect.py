"""Inside a model: layer outputs, weight images, saliency and ``mnistpad inspect``."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from mnistpad.cli import main
from mnistpad.core.files.modelfile import SUFFIX, save_result
from mnistpad.core.lessons import inside
from mnistpad.core.models.variants import build_model, lab_spec
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.classify import Classifier
from mnistpad.core.training.train import train


def shipped(name: str):
    path = shipped_models_dir() / f"{name}{SUFFIX}"
    if not path.is_file():
        pytest.skip(f"no shipped {name} model in models/")
    return Classifier.from_file(path)


def digit(mnist, index: int) -> np.ndarray:
    return mnist.test.images[index].view(28, 28).numpy()


def hooked_outputs(network: nn.Sequential, pixels: np.ndarray) -> list[torch.Tensor]:
    """Every layer's output, recorded by this test's own forward hooks in eval mode."""
    outputs = []
    handles = [m.register_forward_hook(lambda _m, _i, out: outputs.append(out[0].clone()))
               for m in network]
    network.eval()
    x = torch.as_tensor(pixels).reshape(1, *inside.input_shape(network))
    with torch.no_grad():
        network(x)
    for handle in handles:
        handle.remove()
    return outputs


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation, ties sharing their mean rank."""
    def ranks(values):
        values = np.asarray(values, dtype=np.float64).ravel()
        order = np.argsort(values, kind="stable")
        _, first, counts = np.unique(values[order], return_index=True, return_counts=True)
        out = np.empty(values.size)
        out[order] = np.repeat(first + (counts - 1) / 2, counts)
        return out
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


@pytest.fixture(scope="module")
def trained_softmax(mnist):
    return train(lab_spec("softmax").with_overrides(epochs=2), mnist, evaluate=False).model


@pytest.fixture(scope="module")
def small_ensemble():
    torch.manual_seed(3)
    return build_model(lab_spec("cnn-ensemble").with_overrides(members=2)).eval()


# --------------------------------------------------------------------------- activations


@pytest.mark.parametrize("name", ["dropout", "batchnorm", "deepcnn"])
def test_every_layer_equals_an_independent_forward_hook(name, mnist):
    torch.manual_seed(1)
    model = build_model(lab_spec(name)).eval()
    pixels = digit(mnist, 0)
    result = inside.inspect(model, pixels)
    (reading,) = result.members
    expected = hooked_outputs(model, pixels)
    assert [layer.kind for layer in reading.layers] == [type(m).__name__ for m in model]
    assert len(reading.layers) == len(expected)
    for layer, output in zip(reading.layers, expected, strict=True):
        assert layer.shape == tuple(output.shape)
        np.testing.assert_allclose(layer.values, output.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(reading.logits, expected[-1].numpy(), rtol=1e-5, atol=1e-5)
    assert not model.training


def test_readings_agree_with_the_classifier_and_label_type_and_shape(trained_xavier, mnist):
    _result, path = trained_xavier
    classifier = Classifier.from_file(path)
    pixels = digit(mnist, 1)
    result = inside.inspect(classifier.model, pixels)
    np.testing.assert_allclose(result.probabilities, classifier.probabilities(pixels)[0],
                               atol=1e-6)
    assert result.model_input.shape == (784,)
    np.testing.assert_array_equal(result.model_input, pixels.ravel())
    labels = [layer.label for layer in result.members[0].layers]
    assert labels == ["0 Linear 256", "1 ReLU 256", "2 Linear 256", "3 ReLU 256", "4 Linear 10"]
    frozen = pixels.copy()
    frozen.flags.writeable = False  # e.g. an image read straight from a buffer
    np.testing.assert_array_equal(inside.inspect(classifier.model, frozen).probabilities,
                                  result.probabilities)
    relu = result.members[0].layers[1].values
    assert relu.min() >= 0 and (relu == 0).any() and (relu > 0).any()


def test_dropout_masks_mark_what_training_would_drop_without_changing_the_reading(mnist):
    torch.manual_seed(1)
    model = build_model(lab_spec("dropout")).eval()
    result = inside.inspect(model, digit(mnist, 2), dropout_seed=5)
    layers = result.members[0].layers
    masks = [layer for layer in layers if layer.dropped is not None]
    assert [layer.kind for layer in masks] == ["Dropout"] * 4
    for layer in masks:
        np.testing.assert_array_equal(layer.values, layers[layer.index - 1].values)
        assert 0.2 < layer.dropped.mean() < 0.4  # keep_prob 0.7
    again = inside.inspect(model, digit(mnist, 2), dropout_seed=5).members[0].layers
    np.testing.assert_array_equal(again[masks[0].index].dropped, masks[0].dropped)


def test_ensemble_gives_each_member_and_the_average(small_ensemble, mnist):
    pixels = digit(mnist, 3)
    result = inside.inspect(small_ensemble, pixels)
    assert result.is_ensemble and len(result.members) == 2
    for member, network in zip(result.members, small_ensemble.members, strict=True):
        expected = hooked_outputs(network, pixels)
        np.testing.assert_allclose(member.layers[0].values, expected[0].numpy(), atol=1e-5)
        np.testing.assert_allclose(member.logits, expected[-1].numpy(), atol=1e-5)
    average = np.mean([m.probabilities for m in result.members], axis=0)
    np.testing.assert_allclose(result.probabilities, average)
    with torch.no_grad():
        model_probs = small_ensemble(torch.as_tensor(pixels).reshape(1, 1, 28, 28)).exp()[0]
    np.testing.assert_allclose(result.probabilities, model_probs.numpy(), atol=1e-5)


# --------------------------------------------------------------------------- weights


def test_softmax_templates_are_the_weight_rows_reshaped(trained_softmax, mnist):
    weight = trained_softmax[0].weight.detach().numpy()
    templates = inside.softmax_templates(trained_softmax)
    assert templates.shape == (10, 28, 28)
    for d in range(10):
        np.testing.assert_array_equal(templates[d], weight[d].reshape(28, 28))
    images = inside.weight_images(trained_softmax)
    assert images.kind == "templates" and images.labels[3] == "digit 3"
    np.testing.assert_array_equal(images.images, templates)
    # what a template means: ink times template, summed, plus the bias, is the digit's logit
    pixels = digit(mnist, 4)
    logits = inside.inspect(trained_softmax, pixels).members[0].logits
    by_template = (templates * pixels).sum(axis=(1, 2)) + trained_softmax[0].bias.detach().numpy()
    np.testing.assert_allclose(logits, by_template, rtol=1e-4, atol=1e-4)


def test_mlp_units_strongest_first_and_cnn_filters():
    torch.manual_seed(2)
    mlp = build_model(lab_spec("xavier"))
    units = inside.weight_images(mlp)
    rows = mlp[0].weight.detach().numpy()
    norms = np.linalg.norm(units.images.reshape(256, -1), axis=1)
    assert units.kind == "units" and units.images.shape == (256, 28, 28)
    assert np.all(np.diff(norms) <= 0)
    assert sorted(units.units.tolist()) == list(range(256))
    np.testing.assert_array_equal(units.images[0], rows[units.units[0]].reshape(28, 28))
    cnn = build_model(lab_spec("cnn"))
    filters = inside.weight_images(cnn)
    assert filters.kind == "filters" and filters.images.shape == (32, 3, 3)
    np.testing.assert_array_equal(filters.images, cnn[0].weight.detach().numpy()[:, 0])


def test_incoming_weights_are_shaped_like_what_the_unit_reads(mnist):
    torch.manual_seed(4)
    model = build_model(lab_spec("deepcnn")).eval()
    pixels = digit(mnist, 5)
    layers = inside.inspect(model, pixels).members[0].layers
    first = inside.incoming_weights(model, 1, 7)  # a ReLU channel: its convolution's kernel
    assert (first.layer, first.kind, first.values.shape) == (0, "Conv2d", (1, 3, 3))
    assert inside.incoming_weights(model, 4, 9).values.shape == (32, 3, 3)
    assert inside.incoming_weights(model, 12, 0) is None  # a flatten has no units of its own
    fc1 = inside.incoming_weights(model, 14, 11)
    assert (fc1.layer, fc1.values.shape) == (13, (128, 4, 4))
    # laid out like the maps it reads: weights times maps, summed, plus bias, is the unit
    maps = layers[11].values
    unit = (fc1.values * maps).sum() + model[13].bias[11].item()
    assert unit == pytest.approx(float(layers[13].values[11]), rel=1e-4, abs=1e-4)
    mlp = build_model(lab_spec("xavier"))
    assert inside.incoming_weights(mlp, 1, 3).values.shape == (28, 28)
    assert inside.incoming_weights(mlp, 3, 3).values.shape == (256,)
    with pytest.raises(ValueError, match="no layer 5"):
        inside.incoming_weights(mlp, 5, 0)


# --------------------------------------------------------------------------- saliency


def test_saliency_of_a_linear_model_is_exact(trained_softmax, mnist):
    pixels = digit(mnist, 6)
    template = inside.softmax_templates(trained_softmax)[2]
    np.testing.assert_allclose(inside.gradient_x_input(trained_softmax, pixels, 2),
                               template * pixels, rtol=1e-5, atol=1e-6)
    heat = inside.occlusion(trained_softmax, pixels, 2)
    corners = inside.occlusion_patches(pixels)
    size = inside.OCCLUSION_PATCH
    assert corners and all(pixels[y:y + size, x:x + size].any() for y, x in corners)
    y, x = corners[0]
    patch = (template * pixels)[y:y + size, x:x + size].sum()
    covering = [c for c in corners if c[0] <= y < c[0] + size and c[1] <= x < c[1] + size]
    assert covering == [(y, x)]  # stride = size: one square per pixel
    assert heat[y, x] == pytest.approx(patch, rel=1e-4, abs=1e-5)
    far = np.ones((28, 28), bool)
    for cy, cx in corners:
        far[cy:cy + size, cx:cx + size] = False
    assert np.all(heat[far] == 0)
    with pytest.raises(ValueError, match="unknown saliency method"):
        inside.saliency(trained_softmax, pixels, 2, "guided")


def test_batches_run_a_channels_last_copy_with_the_same_answers(small_ensemble, mnist):
    pixels = digit(mnist, 7)
    fast = inside.for_batches(small_ensemble)
    assert fast is not small_ensemble
    conv = fast.members[0][4].weight  # 32 -> 64 channels: the two orders differ
    assert conv.is_contiguous(memory_format=torch.channels_last) and not conv.is_contiguous()
    np.testing.assert_allclose(inside.occlusion(fast, pixels, 4),
                               inside.occlusion(small_ensemble, pixels, 4), rtol=1e-4, atol=1e-4)
    mlp = build_model(lab_spec("xavier"))
    assert inside.for_batches(mlp) is mlp


def _maps(model, mnist, method):
    out = []
    for index in range(6):
        pixels = digit(mnist, index)
        target = inside.inspect(model, pixels).digit
        out.append((pixels, inside.saliency(model, pixels, target, method)))
    return out


def _randomization_scores(trained, randomized, mnist, method):
    """Mean rank correlations between the trained and the re-initialized model's maps: of
    the signed maps, and of their sizes where the ink is (off the ink both are zero)."""
    signed, sizes = [], []
    for (pixels, a), (_, b) in zip(_maps(trained, mnist, method), _maps(randomized, mnist, method),
                                   strict=True):
        ink = pixels > 0
        signed.append(rank_correlation(a, b))
        sizes.append(rank_correlation(np.abs(a[ink]), np.abs(b[ink])))
    return np.mean(signed), np.mean(sizes)


@pytest.mark.parametrize("method", inside.SALIENCY_METHODS)
@pytest.mark.parametrize("name", ["xavier", "cnn"])
def test_saliency_passes_the_model_randomization_check(name, method, mnist, trained_xavier):
    """Adebayo et al. (2018): a map that explains the model must change when the model's
    weights are re-initialized; a map that stays is an edge detector of the input."""
    if name == "xavier":
        trained = Classifier.from_file(trained_xavier[1]).model
    else:
        trained = shipped(name).model
    spec = lab_spec(name)
    torch.manual_seed(11)
    randomized = build_model(spec).eval()
    signed, sizes = _randomization_scores(trained, randomized, mnist, method)
    assert signed < 0.5 and sizes < 0.7, (signed, sizes)
    # the measure can tell a model from itself: slightly perturbed weights keep the map
    torch.manual_seed(12)
    nudged = build_model(spec).eval()
    nudged.load_state_dict(trained.state_dict())
    with torch.no_grad():
        for p in nudged.parameters():
            p.add_(torch.randn_like(p) * 1e-3 * p.abs().mean())
    signed, sizes = _randomization_scores(trained, nudged, mnist, method)
    assert signed > 0.9 and sizes > 0.9, (signed, sizes)


# --------------------------------------------------------------------------- pictures


def test_tiling_places_and_locates_cells():
    tiling = inside.Tiling.for_shape((10, 3, 4))
    assert (tiling.columns, tiling.rows, tiling.size) == (8, 2, (7, 39))
    values = np.arange(120, dtype=np.float32).reshape(10, 3, 4)
    placed = tiling.place(values)
    assert tiling.locate(4, 5 + 2) == (9, 0, 2)
    assert placed[4, 7] == values[9, 0, 2]
    assert tiling.locate(3, 0) is None and np.isnan(placed[3, 0])  # the gap between rows
    assert tiling.locate(4, 2 * 5 + 1) is None  # after the last cell
    assert inside.Tiling.for_shape((1, 3, 3)).size == (3, 3)  # one kernel: no gaps around
    strip = inside.Tiling.for_shape((100,))
    assert (strip.columns, strip.rows) == (32, 4)
    rgb = inside.colorize(np.array([-2.0, 0.0, 1.0, np.nan]))
    assert rgb[1].tolist() == [0, 0, 0] and rgb[0, 2] > rgb[0, 0] and rgb[2, 0] > rgb[2, 2]
    assert rgb[3].tolist() == inside.GAP.tolist()


# --------------------------------------------------------------------------- CLI


def test_inspect_writes_the_files_it_says_it_writes(mnist, tmp_path, capsys, trained_xavier):
    image = tmp_path / "seven.png"
    Image.fromarray((digit(mnist, 0) * 255).astype(np.uint8)).save(image)
    out = tmp_path / "inside"
    status = main(["inspect", str(trained_xavier[1]), str(image), "--out", str(out),
                   "--digit", "3"])
    printed = capsys.readouterr().out.splitlines()
    assert status == 0
    assert "reads" in printed[0]
    assert printed[1] == f"writing the pictures to {out}"
    said = [line.removeprefix("wrote ") for line in printed[2:]]
    assert all(line.startswith("wrote ") for line in printed[2:])
    assert sorted(str(p) for p in out.iterdir()) == sorted(said)
    names = [p.rsplit("/", 1)[-1] for p in said]
    assert names == ["input.png", "layer00-linear.png", "layer01-relu.png",
                     "layer02-linear.png", "layer03-relu.png", "layer04-linear.png",
                     "weights-units.png", "saliency-gradient-x-input-3.png",
                     "saliency-occlusion-3.png"]
    with Image.open(out / "input.png") as png:
        assert png.format == "PNG" and png.size == (560, 560)
    with Image.open(out / "layer01-relu.png") as png:  # 256 units: 8 rows of 32 cells
        assert png.size[0] / png.size[1] == 32 / 8


def test_inspect_of_a_blank_image_is_a_one_line_error(tmp_path, capsys, trained_xavier):
    blank = tmp_path / "blank.png"
    Image.new("L", (28, 28)).save(blank)
    status = main(["inspect", str(trained_xavier[1]), str(blank), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("mnistpad: error:") and "blank" in err
    assert not (tmp_path / "o").exists()


def test_inspect_of_an_ensemble_writes_each_member(mnist, subset, tmp_path, capsys):
    spec = lab_spec("cnn-ensemble").with_overrides(members=2)
    path = tmp_path / "ens.safetensors"
    result = train(spec.with_overrides(epochs=1), subset(mnist, 200, 50), evaluate=False)
    save_result(path, result)
    image = tmp_path / "d.png"
    Image.fromarray((digit(mnist, 1) * 255).astype(np.uint8)).save(image)
    assert main(["inspect", str(path), str(image), "--out", str(tmp_path / "o")]) == 0
    names = {p.name for p in (tmp_path / "o").iterdir()}
    assert {"member1-layer00-conv2d.png", "member2-layer16-linear.png",
            "member2-layer15-dropout.png", "weights-filters.png"} <= names
    assert not any(name.startswith("member3") for name in names)

