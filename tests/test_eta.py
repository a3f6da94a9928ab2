"""The time-left estimate: none while it settles, then from the recent pace only."""

from __future__ import annotations

import pytest

from mnistpad.core.training.eta import TimeLeft


def test_no_estimate_until_it_settles():
    eta = TimeLeft(window_s=20, settle_s=5)
    assert eta.seconds_left() is None
    for second in range(5):
        eta.add(second, second / 100)
        assert eta.seconds_left() is None
    eta.add(5, 0.05)
    assert eta.seconds_left() == pytest.approx(95)


def test_a_slow_start_is_forgotten():
    eta = TimeLeft(window_s=10, settle_s=5)
    eta.add(4.0, 0.001)  # four seconds for the first batch
    for second in range(5, 40):
        eta.add(second, 0.001 + (second - 4) / 200)  # then 0.5% a second
    fraction = 0.001 + 35 / 200
    assert eta.seconds_left() == pytest.approx((1 - fraction) * 200, rel=1e-6)


def test_the_window_holds_a_whole_epoch_with_its_test_pass():
    eta = TimeLeft(window_s=5, settle_s=1)
    # epochs of 10 s: 8 s of batches, then a 2 s test pass that moves nothing
    seconds, fraction = 0.0, 0.0
    for _epoch in range(3):
        for _ in range(8):
            seconds += 1
            fraction += 0.1 / 8
            eta.add(seconds, fraction)
        seconds += 2
        eta.add(seconds, fraction, epoch_ended=True)
    for _ in range(4):
        seconds += 1
        fraction += 0.1 / 8
        eta.add(seconds, fraction)
    # the pace over the last whole epoch: 0.1 per 10 s, test pass included
    assert eta.seconds_left() == pytest.approx((1 - fraction) * 100, rel=0.05)
