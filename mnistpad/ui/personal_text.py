"""How personalizing's figures (:func:`mnistpad.core.personal.summary`, data) are said on
screen, in the window's language: core returns numbers and names, the words live here.
(Each string is a literal ``translate`` call, so that lupdate finds it.)"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale


def _percent(value: float) -> str:
    return QLocale().toString(100 * value, "f", 2) + "%"


def measured_on_text(measured_on: str, count: int) -> str:
    """What an MNIST figure was measured on (a :mod:`mnistpad.core.figures` name)."""
    number = f"{count:,}"  # as the Evaluate tab writes counts
    if measured_on == "mnist-test":
        return QCoreApplication.translate("PersonalSummary",
                                          "MNIST test set, {0} digits").format(number)
    if measured_on == "mnist-small":
        return QCoreApplication.translate(
            "PersonalSummary", "the {0} MNIST digits that ship with mnistpad").format(number)
    return QCoreApplication.translate("PersonalSummary",
                                      "part of MNIST's test set, {0} digits").format(number)


def held_out_text(held: dict) -> str:
    if held["status"] == "measured":
        return QCoreApplication.translate(
            "PersonalSummary",
            "read {0} of {1} of your held-out digits before, {2} of {1} now").format(
            held["before"], held["count"], held["after"])
    return QCoreApplication.translate(
        "PersonalSummary",
        "no held-out figure: that needs two samples or more of at least {0} digits "
        "({1} have them)").format(held["digits_needed"], held["digits_with_two"])


def summary_text(facts: dict) -> str:
    """One line: the held-out figure (or why there is none), then MNIST before and after."""
    parts = [held_out_text(facts["held_out"])]
    mnist = facts["mnist"]
    if mnist["before"] is not None and mnist["after"] is not None:
        parts.append(QCoreApplication.translate("PersonalSummary", "MNIST {0} -> {1} ({2})")
                     .format(_percent(mnist["before"]), _percent(mnist["after"]),
                             measured_on_text(mnist["measured_on"], mnist["count"])))
    return "; ".join(parts)
