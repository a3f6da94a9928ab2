"""The editor's epoch-time probe, without a window: the real loop, timed, and cancellable."""

from __future__ import annotations

import pytest

from mnistpad.core.models.layers import Layer
from mnistpad.core.models.specs import designed, lab_spec
from mnistpad.core.platform.errors import TrainingCancelled
from mnistpad.core.training.probe import MAX_BATCHES, MIN_BATCHES, measure_epoch


def test_the_probe_times_real_batches_and_scales_them_to_an_epoch():
    spec = designed(lab_spec("xavier"), (Layer(32, "tanh", 0.8, True),)).with_overrides(
        batch_size=250)
    fractions = []
    estimate = measure_epoch(spec, report=fractions.append)
    assert estimate.spec == spec and MIN_BATCHES <= estimate.measured_batches <= MAX_BATCHES
    assert estimate.epoch_seconds == pytest.approx(estimate.batch_seconds * 240)
    assert 0 < estimate.batch_seconds < 5
    assert fractions and fractions == sorted(fractions) and 0 <= fractions[-1] <= 1


def test_the_probe_stops_when_asked():
    with pytest.raises(TrainingCancelled):
        measure_epoch(lab_spec("softmax"), should_stop=lambda: True)
