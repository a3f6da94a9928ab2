"""How a saved model is described on screen: the model list's line and its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from mnistpad.core.files import figures
from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.models.specs import LAB_INFO


def _percent(value: float | None) -> str:
    return QCoreApplication.translate("describe", "not scored") if value is None else (
        QLocale().toString(100 * value, "f", 2) + "%")


def describe(info: ModelInfo) -> str:
    """The model list's line: name, where it comes from (the lab step, or the variant a
    model of another name was made from; nothing when that repeats the name), MNIST
    accuracy and drawn-digit accuracy."""
    lab = LAB_INFO.get(info.variant)
    mnist = _percent(info.test_accuracy)
    figure = info.measurement.mnist if info.measurement else None
    if figure is not None and figure.measured_on != "mnist-test":  # not the full test set
        mnist = QCoreApplication.translate("describe", "{0} of {1} digits").format(
            mnist, QLocale().toString(figure.count))
    scores = QCoreApplication.translate("describe", "MNIST {0}, drawn {1}").format(
        mnist, _drawn_line(info))
    if lab and lab.lab != "beyond":
        where = QCoreApplication.translate("describe", "lab {0}").format(lab.lab)
    else:
        where = "" if info.variant == info.name else info.variant
    return f"{info.name}  ({where + ', ' if where else ''}{scores})"


def _drawn_words(info: ModelInfo, stale: str, parts: str) -> str:
    """The drawn figure, as ``stale`` says it (``{0}``: the figure) when it was measured with
    another renderer or other pen digits, or as ``parts`` (``{1}``, ``{2}``: the picture and
    the strokes alone) for a reading with the strokes too (the default's); else the figure."""
    figure = info.measurement.drawn if info.measurement else None
    drawn = _percent(info.drawn_accuracy)
    if figures.drawn_stale_reason(info.measurement, info.drawn_accuracy):
        return stale.format(drawn)
    if figure is not None and figure.read_with == figures.READ_BOTH:
        return parts.format(drawn, _percent(figure.part("picture")),
                            _percent(figure.part("strokes")))
    return drawn


def _drawn_line(info: ModelInfo) -> str:
    """The drawn figure on the model list's line."""
    return _drawn_words(
        info, QCoreApplication.translate("describe", "{0} (stale)"),
        QCoreApplication.translate("describe", "{0} (picture {1}, strokes {2})"))


def _drawn_tip(info: ModelInfo) -> str:
    """The drawn figure in a model's tooltip: what "stale" or the parts mean, in words."""
    return _drawn_words(
        info, QCoreApplication.translate(
            "describe", "{0} (stale: measured with an older stroke renderer or other pen "
                        "digits)"),
        QCoreApplication.translate(
            "describe", "{0}, read with the strokes as a drawing is read (the picture alone "
                        "{1}, the strokes alone {2})"))


def explain(info: ModelInfo) -> str:
    """A tooltip on a model: what it was trained on and how well it reads."""
    from mnistpad.ui.samples.text import measured_on_text

    figure = info.measurement.mnist if info.measurement else None
    mnist = _percent(info.test_accuracy)
    if figure is not None:
        mnist += f" ({measured_on_text(figure.measured_on, figure.count)})"
    return QCoreApplication.translate(
        "describe",
        "{0}\nMNIST: {1}\nDrawn digits of 6 writers never trained on: {2}\n"
        "Trained on: {3}\n{4}").format(
        info.name, mnist, _drawn_tip(info), info.training_data, info.path)


def lab_summary(variant: str) -> str:
    """What a lab variant changes, in the window's language (core's table is English; the
    strings are repeated here so that lupdate extracts them, and a test keeps both equal)."""
    summaries = {
        "softmax classifier, N(0,1) init":
            QCoreApplication.translate("LabSummary", "softmax classifier, N(0,1) init"),
        "3-layer ReLU net, N(0,1) init":
            QCoreApplication.translate("LabSummary", "3-layer ReLU net, N(0,1) init"),
        "same net, Xavier init":
            QCoreApplication.translate("LabSummary", "same net, Xavier init"),
        "5 layers of 512, Xavier":
            QCoreApplication.translate("LabSummary", "5 layers of 512, Xavier"),
        "deep net + dropout (keep_prob 0.7)":
            QCoreApplication.translate("LabSummary", "deep net + dropout (keep_prob 0.7)"),
        "dropout net + batch norm, lr 0.01":
            QCoreApplication.translate("LabSummary", "dropout net + batch norm, lr 0.01"),
        "2 conv layers + fc":
            QCoreApplication.translate("LabSummary", "2 conv layers + fc"),
        "3 conv layers + 2 fc, dropout":
            QCoreApplication.translate("LabSummary", "3 conv layers + 2 fc, dropout"),
        "3 deepcnns, augmented, cosine lr, averaged": QCoreApplication.translate(
            "LabSummary", "3 deepcnns, augmented, cosine lr, averaged"),
        "cnn-ensemble trained on MNIST + real pen-drawn digits": QCoreApplication.translate(
            "LabSummary", "cnn-ensemble trained on MNIST + real pen-drawn digits"),
    }
    text = LAB_INFO[variant].summary
    return summaries.get(text, text)
