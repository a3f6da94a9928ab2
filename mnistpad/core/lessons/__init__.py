"""The lecture's lessons as computations: activations and gradients, inside a model, the
2-D optimizers, the optimizer race, and a model as PyTorch code.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "activations",
    "codegen",
    "inside",
    "optim2d",
    "race",
]
