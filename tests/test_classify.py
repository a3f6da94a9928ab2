"""Classification always runs with dropout off; the shipped models read fixture digits."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mnistpad.core.files.modelfile import SUFFIX, load_model, save_result
from mnistpad.core.models.variants import VARIANTS, lab_spec
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.classify import Classifier
from mnistpad.core.training.train import train


def shipped_files() -> dict[str, object]:
    folder = shipped_models_dir()
    return {p.stem: p for p in sorted(folder.glob(f"*{SUFFIX}"))} if folder.is_dir() else {}


needs_shipped = pytest.mark.skipif(not shipped_files(), reason="no shipped models in models/")


@pytest.mark.parametrize("name", ["dropout", "batchnorm", "deepcnn"])
def test_repeated_classification_is_identical_with_dropout_off(name, mnist, subset, tmp_path):
    spec = lab_spec(name).with_overrides(epochs=1)
    result = train(spec, subset(mnist, 100), evaluate=False)
    path = save_result(tmp_path / "m.safetensors", result)
    classifier = Classifier.from_file(path)
    digit = mnist.test.images[0].view(28, 28).numpy()
    runs = [classifier.probabilities(digit) for _ in range(5)]
    for run in runs[1:]:
        np.testing.assert_array_equal(run, runs[0])
    # the check can fail: the same weights with dropout on answer differently each time
    model = load_model(path).model.train()
    with torch.no_grad():
        x = mnist.test.images[:2].view(-1, *spec.input_shape)  # batch norm needs two
        noisy = [model(x).softmax(1) for _ in range(3)]
    assert not torch.equal(noisy[0], noisy[1]) or not torch.equal(noisy[1], noisy[2])
    # and the classifier turns dropout off by itself even if someone turned it on
    classifier.model.train()
    np.testing.assert_array_equal(classifier.probabilities(digit), runs[0])


def test_probabilities_shape_and_sum(trained_xavier, mnist):
    classifier = Classifier.from_file(trained_xavier[1])
    digits = mnist.test.images[:7].view(-1, 28, 28).numpy()
    probs = classifier.probabilities(digits)
    assert probs.shape == (7, 10) and probs.dtype == np.float64
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    digit, single = classifier.predict(digits[0])
    assert digit == int(single.argmax()) and single.shape == (10,)
    np.testing.assert_allclose(single, probs[0], atol=1e-6)
    with pytest.raises(ValueError, match="28x28"):
        classifier.probabilities(np.zeros((2, 20, 20)))


@needs_shipped
def test_all_nine_variants_are_shipped():
    assert set(shipped_files()) == set(VARIANTS)


@needs_shipped
@pytest.mark.parametrize("name", list(VARIANTS))
def test_shipped_model_reads_fixture_digits(name, mnist):
    path = shipped_files().get(name)
    if path is None:
        pytest.skip(f"{name} is not shipped")
    classifier = Classifier.from_file(path)
    assert classifier.info.variant == name and classifier.name == name
    digits = mnist.test.images.view(-1, 28, 28).numpy()
    labels = mnist.test.labels.numpy()
    predicted = classifier.probabilities(digits).argmax(axis=1)
    # the first digit of each class, one by one
    firsts = [int(np.flatnonzero(labels == d)[0]) for d in range(10)]
    correct = sum(classifier.predict(digits[i])[0] == labels[i] for i in firsts)
    assert correct >= 8
    # and all 500 fixture test digits: near the accuracy the file records (full test set)
    accuracy = (predicted == labels).mean()
    assert accuracy >= 0.88
    assert accuracy == pytest.approx(classifier.info.test_accuracy, abs=0.03)


@needs_shipped
@pytest.mark.parametrize("name", ["dropout", "batchnorm", "deepcnn", "cnn-ensemble"])
def test_readings_with_dropout_on_wobble_and_leave_the_model_alone(name, mnist):
    classifier = Classifier.from_file(shipped_files()[name])
    assert classifier.has_dropout
    digits = mnist.test.images.view(-1, 28, 28).numpy()
    # the fixture digit this model is least sure of: dropout moves its answer most
    hardest = digits[int(classifier.probabilities(digits).max(axis=1).argmin())]
    before = classifier.probabilities(hardest)
    torch.manual_seed(5)
    global_rng = torch.random.get_rng_state()
    noisy = classifier.probabilities_with_dropout_on(hardest, samples=8, seed=1)
    assert noisy.shape == (8, 10)
    np.testing.assert_allclose(noisy.sum(axis=1), 1.0, atol=1e-6)
    assert len({row.tobytes() for row in noisy}) == 8  # every try drops other units
    np.testing.assert_array_equal(
        noisy, classifier.probabilities_with_dropout_on(hardest, samples=8, seed=1))
    # nothing else changed: eval mode, the same answer, torch's global generator untouched
    assert not classifier.model.training
    np.testing.assert_array_equal(classifier.probabilities(hardest), before)
    assert torch.equal(torch.random.get_rng_state(), global_rng)


def test_readings_with_dropout_on_of_a_model_without_dropout_are_its_reading(trained_xavier,
                                                                              mnist):
    classifier = Classifier.from_file(trained_xavier[1])
    assert not classifier.has_dropout
    digit = mnist.test.images[0].view(28, 28).numpy()
    noisy = classifier.probabilities_with_dropout_on(digit, samples=3)
    for row in noisy:
        np.testing.assert_allclose(row, classifier.probabilities(digit)[0], atol=1e-6)
