"""What several ``mnistpad`` commands share: the model catalog, the MNIST folder, figures."""

from __future__ import annotations

import sys

PROG = "mnistpad"

# How the commands word what a figure was measured on (--json gives the names themselves).
MEASURED_ON_WORDS = {
    "mnist-test": "MNIST test set",
    "mnist-small": "1,000 shipped digits",
    "mnist-test-part": "part of MNIST's test set",
    None: "not recorded",
}


def scan_models():
    """The saved models; a file that cannot be read is skipped with a warning naming it."""
    from mnistpad.core.registry import scan

    catalog = scan()
    for problem in catalog.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return catalog


def data_dir(args):
    """The MNIST folder a command reads: ``--data``, MNISTPAD_DATA, the remembered one or
    the default (:func:`mnistpad.core.paths.data_dir_choice`)."""
    from mnistpad.core.paths import resolve_data_dir

    return resolve_data_dir(getattr(args, "data", None))


def load_data(args):
    from mnistpad.core.data import load_mnist

    return load_mnist(data_dir(args), download=args.download)


def load_test_split(args):
    from mnistpad.core.data import load_test_split

    return load_test_split(data_dir(args), download=args.download)


def remember_data_option(args) -> None:
    """A ``--data`` folder that holds MNIST becomes the one every later command and the
    window use. Failing to remember it (a read-only user folder) is logged, not an error:
    the command itself has done its work."""
    from mnistpad.core.log import setup_logging
    from mnistpad.core.paths import remember_data_dir

    folder = getattr(args, "data", None)
    if not folder:
        return
    try:
        remember_data_dir(folder)
    except OSError as exc:
        setup_logging().getChild("cli").warning("could not remember the MNIST folder %s: %s",
                                                folder, exc)


def percent(value) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


def personal_line(facts: dict) -> str:
    """The sentence ``mnistpad adapt`` prints for :func:`mnistpad.core.personal.summary`."""
    held, mnist = facts["held_out"], facts["mnist"]
    if held["status"] == "measured":
        line = (f"Read {held['before']} of {held['count']} of your held-out digits before, "
                f"{held['after']} of {held['count']} now")
    else:
        line = (f"No held-out figure: that needs two samples or more of at least "
                f"{held['digits_needed']} digits ({held['digits_with_two']} have them)")
    if mnist["before"] is not None and mnist["after"] is not None:
        on = MEASURED_ON_WORDS.get(mnist["measured_on"], mnist["measured_on"])
        line += (f"; MNIST {100 * mnist['before']:.2f}% -> {100 * mnist['after']:.2f}% "
                 f"({on}, {mnist['count']:,} digits)")
    return line + "."
