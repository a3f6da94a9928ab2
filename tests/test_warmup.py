"""torch's optimizers import torch._dynamo (and sympy) on first use; the warm-up imports
it ahead, in a fresh process, and training then imports nothing of it mid-run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import sys, dataclasses, builtins
import torch
from mnistpad.core.training import warmup
from mnistpad.core.data.mnist import Mnist, Split
from mnistpad.core.models.specs import lab_spec
from mnistpad.core.training.train import train
assert not warmup.training_machinery_ready(), "torch._dynamo was imported by import torch"
seconds = warmup.import_training_machinery()
assert warmup.training_machinery_ready() and seconds > 0
assert warmup.import_training_machinery() == 0.0
late = []
real_import = builtins.__import__
def spy(name, *args, **kwargs):
    if name.split(".")[0] == "sympy" or name.startswith("torch._dynamo"):
        if name not in sys.modules:
            late.append(name)
    return real_import(name, *args, **kwargs)
builtins.__import__ = spy
split = Split(torch.rand(200, 784), torch.randint(0, 10, (200,)))
train(dataclasses.replace(lab_spec("softmax"), epochs=1), Mnist(split, split, None),
      device="cpu", evaluate=False)
builtins.__import__ = real_import
assert not late, late
print("ok")
"""


def test_training_imports_no_dynamo_mid_run_after_the_warm_up():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
