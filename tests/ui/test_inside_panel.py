"""The Inside panel, driven with real strokes, keys and clicks in the main window."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import QEvent, QObject, QPoint, Qt

from mnistpad.core.lessons import inside
from mnistpad.core.models.registry import scan

pytestmark = pytest.mark.skipif(not scan().models, reason="no shipped models in models/")


def open_panel(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.inside.isVisible)
    return window.inside


def settle(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: panel.up_to_date)


def choose_model(window, name: str) -> None:
    index = window.picker.findText(name, Qt.MatchFlag.MatchStartsWith)
    window.picker.setCurrentIndex(index)
    assert window.state.active_classifier().name == name


@pytest.fixture
def drawn(window, qtbot, stroke_samples, draw_strokes):
    """``drawn(sample, model=None)``: pick ``model``, open the panel, draw stroke sample
    ``sample`` with real mouse events and wait for the panel; returns the panel."""
    def draw(sample: int, model: str | None = None):
        if model is not None:
            choose_model(window, model)
        panel = open_panel(window, qtbot)
        draw_strokes(window.canvas, stroke_samples[sample]["strokes"])
        settle(qtbot, panel)
        return panel
    return draw


def hooked_outputs(network, pixels) -> list[np.ndarray]:
    """This test's own forward hooks on every layer, in eval mode."""
    outputs = []
    handles = [m.register_forward_hook(lambda _m, _i, out: outputs.append(out[0].clone()))
               for m in network]
    with torch.no_grad():
        network.eval()(torch.as_tensor(pixels).reshape(1, *inside.input_shape(network)))
    for handle in handles:
        handle.remove()
    return [o.numpy() for o in outputs]


def cell_centre(cell_map, cell: int) -> QPoint:
    """The widget position of the middle of ``cell`` in a 1D grid or a map of channels."""
    tiling = cell_map.tiling
    row, col = divmod(cell, tiling.columns)
    y = row * (tiling.cell_h + tiling.gap) + tiling.cell_h / 2
    x = col * (tiling.cell_w + tiling.gap) + tiling.cell_w / 2
    height, width = tiling.size
    return QPoint(int(x * cell_map.width() / width), int(y * cell_map.height() / height))


def test_panel_shows_what_independent_hooks_record(window, qtbot, drawn):
    panel = drawn(3, "deepcnn")
    np.testing.assert_array_equal(panel.pixels, window.state.pixels)
    expected = hooked_outputs(window.state.active_classifier().model, window.state.pixels)
    shown = panel.inspection.members[0].layers
    assert len(shown) == len(expected) == 17
    for layer, output in zip(shown, expected, strict=True):
        np.testing.assert_allclose(layer.values, output, rtol=1e-5, atol=1e-5)
        if layer.kind != "Flatten":
            np.testing.assert_array_equal(panel.layer_maps[layer.index].values, layer.values)
    np.testing.assert_allclose(panel.inspection.probabilities, window.state.probabilities, atol=1e-6)
    assert str(panel.inspection.digit) == window.draw.reading.prediction.text()
    assert "deepcnn reads" in panel.summary.text()
    dropout_titles = [m for m in panel.layer_maps if shown[m].dropped is not None]
    assert dropout_titles == [3, 7, 11, 15]
    # the picture shown is the core's, dropped units tinted: compare every pixel
    layer = shown[15]
    expected = inside.picture(layer.values, panel.layer_maps[15].tiling, layer.dropped)
    image = panel.layer_maps[15].picture()
    got = np.array([[image.pixelColor(x, y).getRgb()[:3] for x in range(image.width())]
                    for y in range(image.height())], dtype=np.uint8)
    np.testing.assert_array_equal(got, expected)


def test_panel_follows_model_switching_and_clears_on_an_empty_canvas(window, qtbot, drawn):
    panel = drawn(0)
    assert panel.inspection.is_ensemble and panel.member.isVisible()
    assert len(panel.inspection.members) == 3
    for name, kinds in (("softmax", ["Linear"]),
                        ("xavier", ["Linear", "ReLU", "Linear", "ReLU", "Linear"])):
        choose_model(window, name)
        settle(qtbot, panel)
        assert panel.classifier is window.state.active_classifier()
        assert [layer.kind for layer in panel.inspection.members[0].layers] == kinds
        assert sorted(panel.layer_maps) == list(range(len(kinds)))
        assert panel.summary.text().startswith(f"{name} reads {window.draw.reading.prediction.text()} ")
        assert not panel.member.isVisible()
        assert panel.vector_map.values.shape == (784,)
    assert panel.weights_map.values.shape == (64, 28, 28)  # xavier's strongest 64 units
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    settle(qtbot, panel)
    assert panel.inspection is None and panel.saliency_map is None
    assert panel.layer_maps == {} and panel.input_map.values is None
    assert "Draw a digit" in panel.summary.text()


def test_weights_follow_the_model_and_member_with_nothing_drawn(window, qtbot):
    panel = open_panel(window, qtbot)
    settle(qtbot, panel)
    assert panel.inspection is None and panel.member.isVisible()
    panel.member.setCurrentIndex(2)
    third = window.state.active_classifier().model.members[2][0].weight.detach().numpy()[:, 0]
    np.testing.assert_array_equal(panel.weights_map.values, third)
    choose_model(window, "softmax")
    settle(qtbot, panel)
    assert not panel.member.isVisible() and panel.inspection is None
    np.testing.assert_array_equal(panel.weights_map.values,
                                  inside.softmax_templates(window.state.active_classifier().model))
    assert panel.weights_map.text_at(QPoint(0, 0)).startswith("digit 0: weight at row 0, column 0")


def test_hidden_panel_computes_nothing_until_shown(window, qtbot, stroke_samples,
                                                  draw_strokes):
    panel = window.inside
    assert not panel.isVisible()
    draw_strokes(window.canvas, stroke_samples[1]["strokes"])
    qtbot.waitUntil(lambda: window.draw.reading.comparison.item(0, 1) is not None)
    assert panel.inspection is None and not panel.up_to_date
    open_panel(window, qtbot)
    settle(qtbot, panel)
    assert panel.inspection is not None and panel.saliency_map is not None


def test_saliency_follows_the_chosen_digit_and_method(window, qtbot, drawn):
    panel = drawn(2, "cnn")
    read = panel.inspection.digit
    model = window.state.active_classifier().model
    np.testing.assert_allclose(panel.saliency_map,
                               inside.gradient_x_input(model, window.state.pixels, read), atol=1e-6)
    other = (read + 1) % 10
    panel.target.setCurrentIndex(panel.target.findData(other))
    settle(qtbot, panel)
    np.testing.assert_allclose(panel.saliency_map,
                               inside.gradient_x_input(model, window.state.pixels, other), atol=1e-6)
    panel.method.setCurrentIndex(panel.method.findData("occlusion"))
    settle(qtbot, panel)
    np.testing.assert_allclose(panel.saliency_map,  # a channels-last copy: float rounding
                               inside.occlusion(model, window.state.pixels, other), atol=1e-4)
    centre = QPoint(panel.input_map.width() // 2, panel.input_map.height() // 2)
    text = panel.input_map.text_at(centre)
    assert "Pixel at row 14, column 14" in text and f"Saliency towards {other}" in text
    # a live reading in the middle of a stroke: new layers, no saliency map until its end
    window.draw.read_canvas(settled=False)
    qtbot.waitUntil(lambda: panel.up_to_date)
    assert panel.saliency_map is None and panel.inspection is not None
    assert "Saliency" not in panel.input_map.text_at(centre)
    window.draw.read_canvas()
    settle(qtbot, panel)
    assert panel.saliency_map is not None


def test_hover_names_a_cell_and_a_click_shows_its_incoming_weights(window, qtbot, drawn):
    panel = drawn(4, "xavier")
    relu = panel.layer_maps[1]
    values = panel.inspection.members[0].layers[1].values
    unit = int(values.argmax())
    assert relu.text_at(cell_centre(relu, unit)).startswith(
        f"Layer 1 (ReLU), unit {unit}: {values[unit]:.4f}")
    qtbot.mouseClick(relu, Qt.MouseButton.LeftButton, pos=cell_centre(relu, unit))
    weights = window.state.active_classifier().model[0].weight.detach().numpy()
    assert (panel.incoming.layer, panel.incoming.unit) == (0, unit)
    np.testing.assert_array_equal(panel.incoming_map.values, weights[unit].reshape(28, 28))
    # a unit of the weight gallery: the strongest first-layer unit
    qtbot.mouseClick(panel.weights_map, Qt.MouseButton.LeftButton,
                     pos=cell_centre(panel.weights_map, 0))
    strongest = int(np.linalg.norm(weights, axis=1).argmax())
    assert panel.incoming.unit == strongest


def test_ensemble_members_each_show_their_own_layers(window, qtbot, drawn):
    panel = drawn(6)
    members = window.state.active_classifier().model.members
    for index in (2, 0):
        panel.member.setCurrentIndex(index)
        expected = hooked_outputs(members[index], window.state.pixels)
        np.testing.assert_allclose(panel.layer_maps[0].values, expected[0], atol=1e-5)
        np.testing.assert_allclose(panel.layer_maps[16].values, expected[16], atol=1e-5)
    for n, member in enumerate(panel.inspection.members, start=1):
        assert f"{n}: {member.digit} (" in panel.summary.text()


class PaintWatch(QObject):
    """Notes, at each paint of the prediction label, its text and whether the panel had
    already done its work for the drawing."""

    def __init__(self, window):
        super().__init__()
        self.window, self.seen = window, []
        window.draw.reading.prediction.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            self.seen.append((self.window.draw.reading.prediction.text(), self.window.inside.up_to_date))
        return False


def test_the_prediction_is_painted_before_the_panel_does_its_work(window, qtbot, drawn,
                                                                 stroke_samples, draw_strokes):
    panel = drawn(0)
    watch = PaintWatch(window)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    settle(qtbot, panel)
    watch.seen.clear()
    (stroke,) = stroke_samples[7]["strokes"]
    draw_strokes(window.canvas, [stroke])
    qtbot.waitUntil(lambda: panel.up_to_date and bool(watch.seen))
    digit = window.draw.reading.prediction.text()
    assert digit != "" and panel.inspection is not None
    assert watch.seen[0] == (digit, False)
