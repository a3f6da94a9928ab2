"""The reader hand-over: numpy until torch's classifier is handed over, the same reading
either side of it (that it imports no torch: test_npreader)."""

from __future__ import annotations

import numpy as np

from mnistpad.core.npreader import NumpyReader
from mnistpad.core.paths import shipped_models_dir
from mnistpad.core.readers import Readers


def test_numpy_reads_until_the_classifier_is_handed_over(mnist):
    from mnistpad.core.classify import Classifier

    path = shipped_models_dir() / "dropout.safetensors"
    readers = Readers()
    first = readers.reader(path)
    assert isinstance(first, NumpyReader) and readers.reader(path) is first
    image = mnist.test.images[0].reshape(28, 28).numpy()
    digit, before = first.predict(image)
    classifier = Classifier.from_file(path)
    readers.hand_over(path, classifier)
    assert readers.has_torch(path) and readers.reader(path) is classifier
    again, after = readers.reader(path).predict(image)
    assert again == digit and np.abs(after - before).max() < 1e-5
    readers.forget(path)
    assert isinstance(readers.reader(path), NumpyReader)
