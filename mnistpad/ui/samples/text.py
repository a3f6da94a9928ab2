"""How personalizing's figures (data: numbers and names) are said on screen, in the window's
language: the job returns numbers, the words live here, so a result shown is said again after
a language switch."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

translate = QCoreApplication.translate  # each call names its context, so lupdate finds it


def _percent(value: float) -> str:
    return QLocale().toString(100 * value, "f", 2) + "%"


def measured_on_text(measured_on: str, count: int) -> str:
    """What an MNIST figure was measured on ("mnist-test", "mnist-small" or a part)."""
    number = QLocale().toString(count)
    if measured_on == "mnist-test":
        return translate("PersonalSummary", "MNIST test set, {0} digits").format(number)
    if measured_on == "mnist-small":
        return translate("PersonalSummary",
                         "the {0} MNIST digits that ship with mnistpad").format(number)
    return translate("PersonalSummary", "part of MNIST's test set, {0} digits").format(number)


def held_out_text(held: dict) -> str:
    if held["status"] == "measured":
        return translate("PersonalSummary", "read {0} of {1} of your held-out digits before, "
                         "{2} of {1} now").format(held["before"], held["count"], held["after"])
    return translate("PersonalSummary", "no held-out figure: that needs two samples or more of "
                     "at least {0} digits ({1} have them)").format(held["digits_needed"],
                                                                   held["digits_with_two"])


def combined_held_out_text(combined: dict) -> str:
    return translate("PersonalSummary", "read {0} of {1} of your held-out digits before, {2} of "
                     "{1} now, from the picture and the strokes together").format(
        combined["before"], combined["count"], combined["after"])


def strokes_text(strokes: dict) -> str:
    """What personalizing did to the stroke reader, or why it learned nothing."""
    if "skipped" in strokes:
        if strokes["skipped"] == "no-strokes":
            return translate("PersonalSummary", "the stroke reader learned nothing: none of "
                             "your samples has strokes (a picture from a file has none)")
        return translate("PersonalSummary", "the stroke reader learned nothing: {0}").format(
            strokes["skipped"])
    words = [translate("PersonalSummary", "the stroke reader learned from {0} drawings").format(
        strokes["samples"])]
    if strokes["before"] is not None:
        words.append(translate("PersonalSummary", "read {0} of {1} of your held-out digits "
                               "from the strokes before, {2} of {1} now").format(
            strokes["before"], strokes["held_out"], strokes["after"]))
    if strokes["pen_before"] is not None:
        words.append(translate("PersonalSummary", "other people's pen digits {0} -> {1}")
                     .format(_percent(strokes["pen_before"]), _percent(strokes["pen_after"])))
    return ", ".join(words)


def summary_text(facts: dict) -> str:
    """One line: the held-out figure (or why there is none; for the default model, read
    with both its parts), then MNIST before and after, then the stroke reader's part."""
    strokes = facts.get("strokes") or {}
    combined = strokes.get("combined")
    parts = [combined_held_out_text(combined) if combined else held_out_text(facts["held_out"])]
    mnist = facts["mnist"]
    if mnist["before"] is not None and mnist["after"] is not None:
        parts.append(translate("PersonalSummary", "MNIST {0} -> {1} ({2})").format(
            _percent(mnist["before"]), _percent(mnist["after"]),
            measured_on_text(mnist["measured_on"], mnist["count"])))
    if strokes:
        parts.append(strokes_text(strokes))
    return "; ".join(parts)
