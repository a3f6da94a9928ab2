"""Small fully connected nets train on one torch thread, from the command line as from the
window; every other net on the threads it is given."""

from __future__ import annotations

import torch

from mnistpad.core.models.specs import VARIANTS, lab_spec
from mnistpad.core.training.threads import is_small_net, threads_for


def test_only_the_small_fully_connected_nets_take_one_thread():
    small = [v for v in VARIANTS if is_small_net(lab_spec(v))]
    assert small == ["softmax"]
    assert threads_for(lab_spec("softmax"), 2) == 1
    assert threads_for(lab_spec("cnn"), 2) == 2 and threads_for(lab_spec("xavier"), 3) == 3
    # a bigger batch is more work per step: the softmax at 1,000 digits a batch splits well
    assert threads_for(lab_spec("softmax").with_overrides(batch_size=1000), 2) == 2


def test_mnistpad_train_uses_the_same_rule(cli, monkeypatch, mnist_dir, tmp_path):
    import mnistpad.core.training.train as train_module
    from mnistpad.core.platform.errors import MnistpadError

    set_to = []

    def stop(*args, **kwargs):  # once the count is set: this test trains nothing
        raise MnistpadError("stopped by the test")

    monkeypatch.setattr(torch, "set_num_threads", set_to.append)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    monkeypatch.setattr(train_module, "train", stop)
    for variant, expected in (("softmax", 1), ("xavier", 2)):
        status, _, err = cli("train", variant, "--epochs", 1, "--data", mnist_dir,
                             "--out", tmp_path)
        assert status == 1 and "stopped by the test" in err
        assert set_to[-1] == expected
