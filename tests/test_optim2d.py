"""The 2-D playground's paths follow each optimizer's update rule: compared step by step with
torch.optim minimizing the same function, with the same noisy gradients."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mnistpad.core.lessons.optim2d import (
    OPTIMIZERS_2D,
    SURFACES,
    contour_levels,
    loss_grid,
    noisy_gradients,
    optimizer_path,
    race_paths,
)

TORCH_OPTIMIZERS = {
    "sgd": lambda p, lr: torch.optim.SGD(p, lr=lr),
    "momentum": lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9),
    "adagrad": lambda p, lr: torch.optim.Adagrad(p, lr=lr),
    "rmsprop": lambda p, lr: torch.optim.RMSprop(p, lr=lr),
    "adam": lambda p, lr: torch.optim.Adam(p, lr=lr),
}


def torch_path(surface, name, lr, start, steps, seed):
    """The same steps by torch.optim: autograd's gradient of ``surface.value``, plus the
    same noise as the playground's (drawn from the same seed, in the same order)."""
    param = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = TORCH_OPTIMIZERS[name]([param], lr)
    noise = np.random.default_rng(seed)
    points = [param.detach().numpy().copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        surface.value(param[0], param[1]).backward()
        if surface.noise:
            param.grad += torch.from_numpy(noise.normal(0.0, surface.noise, 2))
        optimizer.step()
        points.append(param.detach().numpy().copy())
    return np.array(points)


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("name", OPTIMIZERS_2D)
def test_each_path_is_torch_optims_path(surface, name):
    s = SURFACES[surface]
    lr = s.learning_rates[name]
    ours = optimizer_path(s, name, lr, s.start, steps=200, seed=3)
    assert ours.escaped_at is None
    theirs = torch_path(s, name, lr, s.start, 200, seed=3)
    np.testing.assert_allclose(ours.points, theirs, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", OPTIMIZERS_2D)
def test_another_rule_would_not_match(name):
    """The comparison can fail: each optimizer's path differs from every other's."""
    s = SURFACES["valley"]
    ours = optimizer_path(s, name, 0.001, s.start, steps=20)
    for other in OPTIMIZERS_2D:
        if other != name:
            theirs = torch_path(s, other, 0.001, s.start, 20, seed=0)
            assert not np.allclose(ours.points, theirs, rtol=1e-6)


@pytest.mark.parametrize("surface", list(SURFACES))
def test_the_analytic_gradient_is_autograds(surface):
    s = SURFACES[surface]
    for x, y in [(-1.3, 0.7), (0.4, -1.1), (1.9, 2.2)]:
        p = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
        s.value(p[0], p[1]).backward()
        np.testing.assert_allclose(s.gradient(x, y), p.grad.numpy(), rtol=1e-12)


def test_every_optimizer_sees_the_same_noise():
    s = SURFACES["noisy bowl"]
    a, b = noisy_gradients(s, 1), noisy_gradients(s, 1)
    point = np.array([0.5, 0.5])
    assert np.array_equal(a(point), b(point))
    assert not np.array_equal(a(point), s.gradient(0.5, 0.5))


def test_a_path_that_blows_up_ends_and_says_when():
    s = SURFACES["valley"]
    path = optimizer_path(s, "sgd", 0.05, s.start, steps=100)
    assert path.escaped_at is not None and len(path.points) == path.escaped_at
    assert np.all(np.isfinite(path.points))


def test_tuned_optimizers_get_near_the_valleys_floor():
    s = SURFACES["valley"]
    paths = race_paths(s, {"adam": s.learning_rates["adam"]}, s.start, steps=1000)
    assert paths[0].losses[-1] < 0.01 * paths[0].losses[0]


def test_contours_of_a_grid():
    s = SURFACES["saddle"]
    grid = loss_grid(s, 40, 30)
    assert grid.shape == (30, 40)
    levels = contour_levels(grid, 10)
    assert len(levels) == 10 and np.all(np.diff(levels) > 0)
    assert grid.min() < levels[0] and levels[-1] < grid.max()
