"""What the ``mnistpad`` commands share: Ctrl+C handling, the --seed check, the progress bar,
strict JSON output, the model catalog, the MNIST folder and how figures are worded. Kept apart
from :mod:`mnistpad.cli` so that a command in its own module (``mnistpad/cli/<name>.py``) uses them
without importing the command table."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time

PROG = "mnistpad"


def json_text(value, **options) -> str:
    """JSON that strict parsers accept: a NaN or an infinity is an error here, never
    ``NaN`` in the output."""
    return json.dumps(value, allow_nan=False, **options)


def exit_at_once(signum, frame) -> None:
    """Ctrl+C while nothing needs cleaning up (parsing, importing torch, loading, checking):
    leave at once. A KeyboardInterrupt raised inside an import can be swallowed by a library's
    catch-all, and the command would run on as if nothing had been pressed."""
    sys.stderr.write(f"\n{PROG}: interrupted; nothing was saved.\n")
    sys.stderr.flush()
    os._exit(130)


def on_interrupt(handler):
    """Install ``handler`` for SIGINT (main thread only); returns the one it replaces."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, handler)


def seed_arg(text: str) -> int:
    """--seed: a whole number torch can seed with; the message names the flag."""
    from mnistpad.core.training.train import MAX_SEED

    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to {MAX_SEED}, "
                                         f"not {text[:40]!r}")
    return value


class ProgressBar:
    """A one-line progress bar on a terminal's stderr, redrawn at most 10 times a second; its
    time left is the window's (:class:`~mnistpad.core.training.eta.TimeLeft`: recent
    progress, nothing until it has settled)."""

    def __init__(self, label: str):
        from mnistpad.core.training.eta import TimeLeft

        self.label = label
        self.enabled = sys.stderr.isatty()
        self._last = 0.0
        self._time_left = TimeLeft()

    def update(self, record) -> None:
        from mnistpad.core.training.eta import duration_words

        now = time.monotonic()
        self._time_left.add(record.seconds, record.fraction, record.kind == "epoch")
        if not self.enabled or (now - self._last < 0.1 and record.kind == "batch"):
            return
        self._last = now
        bar = "#" * int(record.fraction * 30)
        left = self._time_left.seconds_left()
        left_text = "estimating..." if left is None else f"~{duration_words(left)} left"
        sys.stderr.write(
            f"\r{self.label} [{bar:<30}] epoch {record.epoch}/{record.epochs} "
            f"cost {record.cost:.4f} {record.samples_per_s:,.0f}/s {left_text} "
        )
        sys.stderr.flush()

    def fraction(self, done: float) -> None:
        """Progress of a job measured as a fraction only (no epochs or costs)."""
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.1 and done < 1):
            return
        self._last = now
        sys.stderr.write(f"\r{self.label} [{'#' * int(done * 30):<30}] {100 * done:3.0f}% ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()


# How the commands word what a figure was measured on (--json gives the names themselves).
MEASURED_ON_WORDS = {
    "mnist-test": "MNIST test set",
    "mnist-small": "1,000 shipped digits",
    "mnist-test-part": "part of MNIST's test set",
    None: "not recorded",
}


def scan_models():
    """The saved models; a file that cannot be read is skipped with a warning naming it."""
    from mnistpad.core.models.registry import scan

    catalog = scan()
    for problem in catalog.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return catalog


def data_dir(args):
    """The MNIST folder a command reads: ``--data``, MNISTPAD_DATA, the remembered one or
    the default (:func:`mnistpad.core.platform.paths.data_dir_choice`)."""
    from mnistpad.core.platform.paths import resolve_data_dir

    return resolve_data_dir(getattr(args, "data", None))


def load_data(args):
    from mnistpad.core.data.mnist import load_mnist

    return load_mnist(data_dir(args), download=args.download)


def load_test_split(args):
    from mnistpad.core.data.mnist import load_test_split

    return load_test_split(data_dir(args), download=args.download)


def remember_data_option(args) -> None:
    """A ``--data`` folder that holds MNIST becomes the one every later command and the
    window use. Failing to remember it (a read-only user folder) is logged, not an error:
    the command itself has done its work."""
    from mnistpad.core.platform.log import setup_logging
    from mnistpad.core.platform.paths import remember_data_dir

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
    """The sentence ``mnistpad adapt`` prints for :func:`mnistpad.core.personal.image.summary`."""
    held, mnist = facts["held_out"], facts["mnist"]
    if held["status"] == "measured":
        line = (f"Read {held['before']} of {held['count']} of your held-out digits before, "
                f"{held['after']} of {held['count']} now")
    else:
        line = (f"No held-out figure: that needs two samples or more of at least "
                f"{held['digits_needed']} digits ({held['digits_with_two']} have them)")
    strokes = facts.get("strokes") or {}
    if strokes.get("combined"):
        both = strokes["combined"]
        line = (f"Read {both['before']} of {both['count']} of your held-out digits before, "
                f"{both['after']} of {both['count']} now, from the picture and the strokes "
                f"together (the picture alone: {held['before']} -> {held['after']})")
    if mnist["before"] is not None and mnist["after"] is not None:
        on = MEASURED_ON_WORDS.get(mnist["measured_on"], mnist["measured_on"])
        line += (f"; MNIST {100 * mnist['before']:.2f}% -> {100 * mnist['after']:.2f}% "
                 f"({on}, {mnist['count']:,} digits)")
    if strokes.get("skipped") == "no-strokes":
        line += "; the stroke reader learned nothing: no sample holds strokes"
    elif strokes.get("skipped"):
        line += f"; the stroke reader learned nothing: {strokes['skipped']}"
    elif strokes:
        line += f"; the stroke reader learned from {strokes['samples']} drawings"
        if strokes["pen_before"] is not None:
            line += (f" (other people's pen digits {100 * strokes['pen_before']:.2f}% -> "
                     f"{100 * strokes['pen_after']:.2f}%)")
    return line + "."
