"""The Evaluate tab's summary in words: the accuracy and confidence, the comparison of two
models, a personal model scored on its own samples and, for the default model, what it read
from (the picture and the strokes, each part's accuracy and the combination's; or the
pictures alone, and why). Plain functions, worded in the language installed when called:
the panel calls them again on a language change."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

from mnistpad.core.evaluation.evaluate import CONFIDENT_ERROR, Comparison, Evaluation
from mnistpad.core.strokes.combination import NO_READER
from mnistpad.core.strokes.files import reads_strokes
from mnistpad.ui.i18n.parts_text import combination_words, why_picture_alone

translate = QCoreApplication.translate


def summary_text(ev: Evaluation, comparison: Comparison | None, state, data_set: str,
                 own_samples: bool) -> str:
    """The summary of ``ev`` (and of ``comparison``'s two models when given) on the data set
    named ``data_set``; ``own_samples``: that set is the user's own samples. ``state`` (the
    app's) knows the models by name."""
    right, wrong = ev.mean_confidence(True), ev.mean_confidence(False)
    text = translate("EvaluateSummary",
                     "<b>{0}</b> on {1}: accuracy <b>{2:.2f}%</b> ({3:,} / {4:,}). Mean "
                     "confidence {5} when right, {6} when wrong. Confident errors (wrong "
                     "with probability above {7:.0%}): <b>{8}</b>.").format(
        escape(ev.model), escape(data_set), 100 * ev.accuracy, ev.correct, len(ev),
        "-" if right is None else f"{100 * right:.1f}%",
        "-" if wrong is None else f"{100 * wrong:.1f}%", CONFIDENT_ERROR,
        ev.confident_errors())
    for shown in [ev] if comparison is None else [comparison.a, comparison.b]:
        text += parts_note(shown, state, data_set)
        if own_samples:
            text += trained_on_note(shown, state)
    if comparison is not None:
        c = comparison
        text += "<br>" + translate("EvaluateSummary",
                                   "{0} right where {1} is wrong: <b>{2}</b>; the reverse: "
                                   "<b>{3}</b>; both wrong: {4}.").format(
            escape(c.a.model), escape(c.b.model), c.side("a").count(),
            c.side("b").count(), c.both_wrong())
    return text


def parts_note(ev: Evaluation, state, data_set: str) -> str:
    """For a model that reads the strokes too: each part's accuracy and the combined
    one's, or that it read the pictures alone, and why."""
    parts = ev.parts
    if parts is None:
        if not reads_strokes(state.find_name(ev.model)):
            return ""
        if ev.data.strokes is None:
            return "<br>" + translate("EvaluateSummary",
                                      "<b>{0}</b> read the pictures alone: {1} has no "
                                      "strokes. On the canvas it reads your strokes too."
                                      ).format(escape(ev.model), escape(data_set))
        return "<br>" + translate("EvaluateSummary",
                                  "<b>{0}</b> read the pictures alone: {1}.").format(
            escape(ev.model), why_picture_alone(NO_READER))
    text = "<br>" + translate(
        "EvaluateSummary",
        "<b>{0}</b> reads each drawing from its picture and its strokes, combined as {1}: "
        "the picture alone <b>{2:.2f}%</b>, the strokes alone <b>{3:.2f}%</b>, together "
        "<b>{4:.2f}%</b>.").format(
        escape(ev.model), combination_words(parts.combination),
        100 * parts.picture_accuracy, 100 * parts.strokes_accuracy, 100 * ev.accuracy)
    if parts.unread:
        text += " " + translate("EvaluateSummary",
                                "{0} drawings had no strokes to read: their pictures alone "
                                "were read.").format(parts.unread)
    return text


def trained_on_note(ev: Evaluation, state) -> str:
    """A personal model scored on the samples it was fine-tuned on (``ev`` being on the
    user's own samples) says so: those figures measure memory, not reading."""
    info = state.find_name(ev.model)
    if info is None:
        return ""
    from mnistpad.core.personal.checks import samples_trained_on

    trained = samples_trained_on(info, ev.images, ev.labels)
    if trained == 0:
        return ""
    if trained is None:
        return "<br>" + translate("EvaluateSummary",
                                  "<b>{0} was fine-tuned on some of these samples</b>: "
                                  "its figures here overstate how it reads new drawings."
                                  ).format(escape(ev.model))
    return "<br>" + translate("EvaluateSummary",
                              "<b>{0} was fine-tuned on {1} of these {2} samples</b>: its "
                              "figures here overstate how it reads new drawings.").format(
        escape(ev.model), trained, len(ev))
