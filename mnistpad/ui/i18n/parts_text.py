"""Words for the default model's reading in parts (the picture, the strokes, their
combination), shared by the views that show them: the Draw tab's notes and every-model
table, the Inside panel and the Evaluate tab. Core gives reasons and rules as names
(:mod:`mnistpad.core.strokes.combination`); these turn them into sentences in the language
installed now, so call them from a view's ``retranslate`` or when it shows a reading."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def why_picture_alone(reason: str) -> str:
    """Why a drawing was read from its picture alone (a reason of ``read_drawing``)."""
    from mnistpad.core.strokes.combination import ERASED, NO_READER, NO_STROKES

    if reason == NO_STROKES:
        return QCoreApplication.translate("PartsText", "a picture has no strokes")
    if reason == ERASED:
        return QCoreApplication.translate("PartsText", "the eraser changed the picture")
    if reason == NO_READER:
        return QCoreApplication.translate("PartsText",
                                          "the stroke reader could not be loaded")
    return QCoreApplication.translate("PartsText", "the strokes say too little")


def combination_words(combination) -> str:
    """How the two parts are combined: the rule and the picture's weight."""
    weight = f"{combination.image_weight:.1f}"
    strokes = f"{1 - combination.image_weight:.1f}"
    if combination.rule == "log":
        text = QCoreApplication.translate(
            "PartsText", "a weighted mean of the log-probabilities: picture {0}, strokes {1}")
    else:
        text = QCoreApplication.translate(
            "PartsText", "a weighted mean of the probabilities: picture {0}, strokes {1}")
    return text.format(weight, strokes)


def part_names() -> tuple[str, str, str]:
    """The names of the two parts and of their combination, as row labels."""
    return (QCoreApplication.translate("PartsText", "picture"),
            QCoreApplication.translate("PartsText", "strokes"),
            QCoreApplication.translate("PartsText", "together"))
