"""A module imported on its first use, for modules that import torch: the window appears
before torch is loaded (it takes seconds on a small CPU), and loads it in the background."""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule:
    """Stands for the module ``name``; the first attribute read imports it."""

    def __init__(self, name: str):
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str):
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)


def module(name: str) -> LazyModule:
    return LazyModule(name)
