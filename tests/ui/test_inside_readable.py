"""The Inside panel at its default width: nothing to scroll sideways to, the "towards" box
whole, a Linear(10) output as ten labelled squares, softmax's templates labelled with their
digits, and a colour key for the layers and the weights."""

from __future__ import annotations

import pytest

from mnistpad.core.models.registry import scan

from .test_inside_panel import drawn  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(not scan().models, reason="no shipped models in models/")


def _inside_body(panel):
    scroll = panel.widget()
    return scroll, scroll.widget()


@pytest.mark.parametrize("model", ["softmax", "cnn"])
def test_every_layer_fits_the_default_width(window, drawn, model):  # noqa: F811
    panel = drawn(0, model)
    scroll, body = _inside_body(panel)
    assert not scroll.horizontalScrollBar().isVisible()
    assert body.width() <= scroll.viewport().width()
    for widget in (panel.target, panel.method, *panel.layer_maps.values(), panel.weights_map):
        right = widget.mapTo(body, widget.rect().topRight()).x()
        assert right <= scroll.viewport().width(), widget.objectName()
    output = panel.layer_maps[max(panel.layer_maps)]
    assert output.tiling.count == 10
    assert output.height() >= 24 and output.width() >= 240  # not a 100x10 strip
    assert output.cell_labels == [str(d) for d in range(10)]
    assert panel.layers_key.isVisible() and panel.weights_key.isVisible()
    assert panel.layers_key.words[0] == "negative" and panel.layers_key.words[2] == "positive"


def test_softmax_templates_carry_their_digits_and_are_large(window, drawn):  # noqa: F811
    panel = drawn(0, "softmax")
    weights = panel.weights_map
    assert weights.cell_labels == [str(d) for d in range(10)]
    cell_px = weights.width() / weights.tiling.size[1] * weights.tiling.cell_w
    assert cell_px >= 56  # at least twice MNIST's 28 pixels
