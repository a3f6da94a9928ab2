"""The 2-D optimizer playground: the lecture's optimizers on loss surfaces of two parameters.

The slide's simulation page, computed in numpy: a long curved valley (Rosenbrock's), a
saddle with two valleys beside it, and a bowl whose gradients come with noise, as a
mini-batch's do. Each optimizer follows the update rule of its ``torch.optim`` class with
torch's defaults (Momentum is SGD with momentum 0.9, as training uses); the tests compare the
paths with torch.optim step by step. Every optimizer sees the same noise, so the paths differ
only by the rule. No torch here: the playground needs none.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

OPTIMIZERS_2D = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
MAX_STEPS = 2000
# A path that leaves this box (in parameter units) has left the surface for good.
ESCAPE = 1e6


@dataclass(frozen=True)
class Surface:
    """A loss of two parameters. ``value`` and ``gradient`` take numpy arrays (``value``
    uses only arithmetic, so it takes torch tensors too, which the tests differentiate)."""

    name: str
    value: Callable
    gradient: Callable
    bounds: tuple[float, float, float, float]  # x min, x max, y min, y max
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    learning_rates: dict[str, float] = field(default_factory=dict)
    noise: float = 0.0  # standard deviation of the noise added to each gradient


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def _rosenbrock_gradient(x, y):
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def _saddle(x, y):
    return x * x + y**4 / 4 - y * y


def _saddle_gradient(x, y):
    return np.array([2 * x, y**3 - 2 * y])


def _bowl(x, y):
    return x * x / 2 + 2 * y * y


def _bowl_gradient(x, y):
    return np.array([x, 4 * y])


SURFACES: dict[str, Surface] = {
    "valley": Surface("valley", _rosenbrock, _rosenbrock_gradient, (-2.0, 2.0, -1.0, 3.0),
                      (-1.5, 2.5), ((1.0, 1.0),),
                      {"sgd": 0.001, "momentum": 0.0005, "adagrad": 0.5, "rmsprop": 0.01,
                       "adam": 0.05}),
    "saddle": Surface("saddle", _saddle, _saddle_gradient, (-2.0, 2.0, -2.0, 2.0),
                      (-1.8, 0.01), ((0.0, math.sqrt(2)), (0.0, -math.sqrt(2))),
                      {"sgd": 0.05, "momentum": 0.01, "adagrad": 0.3, "rmsprop": 0.01,
                       "adam": 0.05}),
    "noisy bowl": Surface("noisy bowl", _bowl, _bowl_gradient, (-2.0, 2.0, -2.0, 2.0),
                          (-1.8, 1.5), ((0.0, 0.0),),
                          {"sgd": 0.05, "momentum": 0.01, "adagrad": 0.3, "rmsprop": 0.01,
                           "adam": 0.05}, noise=1.0),
}


class _Rule:
    """One optimizer's state and update, as its torch.optim class computes it."""

    def __init__(self, name: str, lr: float):
        if name not in OPTIMIZERS_2D:
            raise ValueError(f"unknown optimizer {name!r}; choose from: {', '.join(OPTIMIZERS_2D)}")
        if not (math.isfinite(lr) and lr > 0):
            raise ValueError(f"the learning rate of {name} must be a positive number")
        self.name, self.lr, self.t = name, lr, 0
        self.a = np.zeros(2)  # momentum buffer, Adagrad's sum, RMSProp's or Adam's mean square
        self.m = np.zeros(2)  # Adam's mean

    def update(self, g: np.ndarray) -> np.ndarray:
        """The change to the parameters for gradient ``g``."""
        self.t += 1
        if self.name == "sgd":
            return -self.lr * g
        if self.name == "momentum":  # SGD(momentum=0.9): the first step is plain descent
            self.a = g.copy() if self.t == 1 else 0.9 * self.a + g
            return -self.lr * self.a
        if self.name == "adagrad":  # Adagrad(eps=1e-10)
            self.a = self.a + g * g
            return -self.lr * g / (np.sqrt(self.a) + 1e-10)
        if self.name == "rmsprop":  # RMSprop(alpha=0.99, eps=1e-8)
            self.a = 0.99 * self.a + 0.01 * g * g
            return -self.lr * g / (np.sqrt(self.a) + 1e-8)
        self.m = 0.9 * self.m + 0.1 * g  # Adam(betas=(0.9, 0.999), eps=1e-8)
        self.a = 0.999 * self.a + 0.001 * g * g
        denom = np.sqrt(self.a) / math.sqrt(1 - 0.999**self.t) + 1e-8
        return -(self.lr / (1 - 0.9**self.t)) * self.m / denom


def noisy_gradients(surface: Surface, seed: int):
    """``gradient(point)`` for ``surface``, with its noise drawn from ``seed``: called in the
    same order, two of them give the same noise (every optimizer sees the same)."""
    rng = np.random.default_rng(seed)

    def gradient(point: np.ndarray) -> np.ndarray:
        g = surface.gradient(point[0], point[1])
        if surface.noise:
            g = g + rng.normal(0.0, surface.noise, 2)
        return g

    return gradient


@dataclass
class Path2D:
    """Where one optimizer went: ``points[k]`` after k steps; ``escaped_at`` is the step at
    which it became NaN or left for infinity (the path ends before it), else None."""

    optimizer: str
    learning_rate: float
    points: np.ndarray
    losses: np.ndarray
    escaped_at: int | None = None


def optimizer_path(surface: Surface, optimizer: str, learning_rate: float,
                   start: tuple[float, float], steps: int = 300, seed: int = 0) -> Path2D:
    """``steps`` steps of ``optimizer`` on ``surface`` from ``start``."""
    if not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be from 0 to {MAX_STEPS}")
    rule = _Rule(optimizer, learning_rate)
    gradient = noisy_gradients(surface, seed)
    points = [np.array(start, dtype=float)]
    escaped = None
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, steps + 1):
            point = points[-1] + rule.update(gradient(points[-1]))
            if not (np.all(np.isfinite(point)) and np.abs(point).max() < ESCAPE):
                escaped = step
                break
            points.append(point)
    path = np.array(points)
    losses = np.array([surface.value(x, y) for x, y in path])
    return Path2D(optimizer, learning_rate, path, losses, escaped)


def race_paths(surface: Surface, learning_rates: dict[str, float],
               start: tuple[float, float], steps: int = 300, seed: int = 0) -> list[Path2D]:
    """Every optimizer of ``learning_rates`` from the same start, with the same noise."""
    return [optimizer_path(surface, name, lr, start, steps, seed)
            for name, lr in learning_rates.items()]


def loss_grid(surface: Surface, width: int, height: int) -> np.ndarray:
    """The loss at the centres of a ``height`` x ``width`` grid over the surface's bounds,
    row 0 at the top (the largest y), for drawing its contours."""
    x0, x1, y0, y1 = surface.bounds
    xs = x0 + (np.arange(width) + 0.5) * (x1 - x0) / width
    ys = y1 - (np.arange(height) + 0.5) * (y1 - y0) / height
    gx, gy = np.meshgrid(xs, ys)
    return surface.value(gx, gy)


def contour_levels(grid: np.ndarray, count: int = 14) -> np.ndarray:
    """Levels spaced evenly in log(loss - min + 1), as such pages draw them: dense near the
    minimum, where the paths end, and sparse on the steep walls."""
    low = float(grid.min())
    top = math.log1p(float(grid.max()) - low)
    return low + np.expm1(np.linspace(0, top, count + 2)[1:-1])
