"""A field of a QObject that emits its signal whenever its value changes, by construction.

``active = Notifying("activeModelChanged")`` in a class body makes every assignment of
``self.active``, wherever it is made, emit ``activeModelChanged(value)`` when the value is new:
no code path can change what a view shows and forget to tell it (an explicit ``emit`` after
each assignment was forgotten in one of them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def same_object(old: Any, new: Any) -> bool:
    return old is new


def equal(old: Any, new: Any) -> bool:
    """Equal values (for dataclasses: equal fields); never asks arrays, which answer with an
    array."""
    return old is new or (type(old) is type(new) and bool(old == new))


_UNSET = object()


class Notifying:
    """The descriptor (see the module doc). ``signal`` names the owner's signal; with
    ``carries_value`` it is emitted with the new value, else with nothing. ``same(old, new)``
    says when an assignment changes nothing (default: the same object): then nothing is
    emitted."""

    def __init__(self, signal: str, carries_value: bool = True,
                 same: Callable[[Any, Any], bool] = same_object):
        self.signal = signal
        self.carries_value = carries_value
        self.same = same
        self.attribute = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = f"_{name}_value"

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return obj.__dict__.get(self.attribute)

    def __set__(self, obj, value) -> None:
        old = obj.__dict__.get(self.attribute, _UNSET)
        obj.__dict__[self.attribute] = value
        if old is not _UNSET and self.same(old, value):
            return
        signal = getattr(obj, self.signal)
        if self.carries_value:
            signal.emit(value)
        else:
            signal.emit()


def notifying_fields(cls: type) -> dict[str, Notifying]:
    """Each notifying field of ``cls`` (and its bases) by name: what the tests go through."""
    fields = {}
    for klass in reversed(cls.__mro__):
        fields.update({name: value for name, value in vars(klass).items()
                       if isinstance(value, Notifying)})
    return fields

