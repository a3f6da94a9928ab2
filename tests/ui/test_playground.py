"""The 2-D playground alone, through real clicks: choose a start on the surface, play,
pause, step, reset, change a learning rate and the surface."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from mnistpad.core.lessons.optim2d import SURFACES, optimizer_path
from mnistpad.ui.lessons.playground import FRAME_MS, Playground


@pytest.fixture
def playground(qtbot):
    view = Playground(steps=200)
    qtbot.addWidget(view)
    view.resize(900, 520)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.pause()


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_click_on_the_surface_starts_every_optimizer_there(qtbot, playground):
    view = playground.view
    target = view.to_widget(0.5, 2.0)
    with qtbot.waitSignals([playground.frameShown] * 5, timeout=10_000):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton,
                         pos=QPoint(round(target.x()), round(target.y())))
    assert playground.playing
    assert playground.start == pytest.approx((0.5, 2.0), abs=0.02)
    assert len(playground.paths) == 5
    for path in playground.paths:
        expected = optimizer_path(SURFACES["valley"], path.optimizer, path.learning_rate,
                                  playground.start, 200)
        np.testing.assert_array_equal(path.points, expected.points)
    qtbot.waitUntil(lambda: view.painted_frames >= 5)
    assert FRAME_MS <= 1000 / 30  # at least 30 frames a second while it plays


def test_pause_step_and_reset(qtbot, playground):
    click(qtbot, playground.play_button)
    qtbot.waitUntil(lambda: playground.frame >= 3, timeout=10_000)
    click(qtbot, playground.play_button)
    assert not playground.playing
    frame = playground.frame
    click(qtbot, playground.step_button)
    assert playground.frame == frame + 1 and not playground.playing
    assert playground.step_label.text() == f"step {frame + 1} of 200"
    click(qtbot, playground.reset_button)
    assert playground.frame == 0 and playground.view.frame == 0


def test_the_animation_stops_at_the_paths_end(qtbot):
    view = Playground(steps=12)
    qtbot.addWidget(view)
    view.show()
    click(qtbot, view.play_button)
    qtbot.waitUntil(lambda: not view.playing, timeout=10_000)
    assert view.frame == 12 and view.play_button.text() == "Play"


def test_a_learning_rate_per_optimizer_changes_only_its_path(qtbot, playground):
    before = {p.optimizer: p.points.copy() for p in playground.paths}
    spin = playground.rates["sgd"]
    spin.selectAll()
    qtbot.keyClicks(spin, "0.0003")
    qtbot.keyClick(spin, Qt.Key.Key_Tab)
    after = {p.optimizer: p for p in playground.paths}
    assert after["sgd"].learning_rate == pytest.approx(0.0003)
    assert not np.array_equal(after["sgd"].points, before["sgd"])
    assert np.array_equal(after["adam"].points, before["adam"])


def test_an_optimizer_left_out_has_no_path(qtbot, playground):
    check = playground.checks["adagrad"]
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    assert "adagrad" not in {p.optimizer for p in playground.paths}
    assert playground.legend["adagrad"].text() == ""


def test_another_surface_brings_its_start_and_rates(qtbot, playground):
    playground.surface_box.setCurrentIndex(playground.surface_box.findData("noisy bowl"))
    bowl = SURFACES["noisy bowl"]
    assert playground.start == bowl.start
    assert playground.rates["adam"].value() == pytest.approx(bowl.learning_rates["adam"])
    assert playground.frame == 0
    click(qtbot, playground.step_button)
    assert playground.legend["adam"].text().startswith("loss ")
