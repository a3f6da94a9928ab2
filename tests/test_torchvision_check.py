"""A torchvision that does not match torch is said so, with the fix, where MNIST is
downloaded."""

from __future__ import annotations

import builtins

import pytest

from mnistpad.core.data import mnist as data
from mnistpad.core.platform.errors import DataError


@pytest.fixture
def broken_torchvision(monkeypatch):
    real_import = builtins.__import__

    def fake(name, *args, **kwargs):
        if name.startswith("torchvision"):
            raise RuntimeError("operator torchvision::nms does not exist")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)


def test_a_mismatched_torchvision_is_named_with_the_fix(broken_torchvision, tmp_path):
    with pytest.raises(DataError) as caught:
        data.load_mnist(tmp_path, download=True)
    text = str(caught.value)
    assert "does not match torch" in text and "torchvision::nms" in text
    assert "pip install --upgrade --force-reinstall torch torchvision" in text
