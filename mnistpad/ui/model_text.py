"""How a saved model is described on screen: the model list's line and its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from mnistpad.core.modelfile import ModelInfo
from mnistpad.core.specs import LAB_INFO


def _percent(value: float | None) -> str:
    return QCoreApplication.translate("describe", "not scored") if value is None else (
        QLocale().toString(100 * value, "f", 2) + "%")


def describe(info: ModelInfo) -> str:
    """The model list's line: name, where it comes from (the lab step, or the variant a
    model of another name was made from; nothing when that repeats the name), MNIST
    accuracy and drawn-digit accuracy."""
    lab = LAB_INFO.get(info.variant)
    scores = QCoreApplication.translate("describe", "MNIST {0}, drawn {1}").format(
        _percent(info.test_accuracy), _percent(info.drawn_accuracy))
    if lab and lab.lab != "beyond":
        where = QCoreApplication.translate("describe", "lab {0}").format(lab.lab)
    else:
        where = "" if info.variant == info.name else info.variant
    return f"{info.name}  ({where + ', ' if where else ''}{scores})"


def explain(info: ModelInfo) -> str:
    """A tooltip on a model: what it was trained on and how well it reads."""
    return QCoreApplication.translate(
        "describe",
        "{0}\nMNIST test set: {1}\nDrawn digits of 6 writers never trained on: {2}\n"
        "Trained on: {3}\n{4}").format(
        info.name, _percent(info.test_accuracy), _percent(info.drawn_accuracy),
        info.training_data, info.path)
