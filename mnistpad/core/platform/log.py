"""mnistpad's log file: what went wrong, with its traceback, for a bug report.

Users see one plain sentence for a failure; the traceback behind it goes to
``<user data folder>/logs/mnistpad.log`` (rotated at about 1 MB, three old files kept),
opened by the command line and the window alike through :func:`setup_logging`. Each file
starts with the versions of what ran, so that a log pasted into an issue says it. A user
folder that cannot be written leaves mnistpad without a log, never without its work: a log
that cannot be opened or written (its path a folder, its folder a file, a full disk, a file
size limit, a folder where a rotated file goes, a named pipe) is said once, in one line on
stderr, and given up; never logging's "--- Logging error ---" traceback for each record.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import logging.handlers
import os
import platform
import stat
import sys
from importlib import metadata
from pathlib import Path

from mnistpad.core.platform.paths import user_dir

LOGGER_NAME = "mnistpad"
FILE_NAME = "mnistpad.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def log_dir() -> Path:
    return user_dir() / "logs"


def log_file() -> Path:
    return log_dir() / FILE_NAME


_told: set[str] = set()  # the log files already said to be unwritable, in this process


def _say_unwritable(path: str | os.PathLike, error: BaseException | None) -> None:
    """One line on stderr, once per log file: it cannot be written, and why."""
    if os.fspath(path) in _told:
        return
    _told.add(os.fspath(path))
    reason = str(error) if error is not None else "unknown error"
    if isinstance(error, OSError) and error.strerror:
        reason = "not a folder" if isinstance(error, FileExistsError) else error.strerror
        if error.filename and os.fspath(error.filename) != os.fspath(path):
            reason = f"{error.filename}: {reason}"
    with contextlib.suppress(AttributeError, OSError, ValueError):  # no stderr (pythonw)
        print(f"warning: the log file {path} cannot be written ({reason}); mnistpad goes on "
              f"without it", file=sys.stderr)


class LogFile(logging.handlers.RotatingFileHandler):
    """The rotating log file, opened only as a regular file (opening a named pipe waits for
    a reader), and given up at the first record it cannot write or rotate: the error is
    said once (:func:`_say_unwritable`) and later records are dropped."""

    broken = False

    def _open(self):
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.baseFilename, flags, 0o644)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # a named pipe nobody reads
                raise OSError(exc.errno, "a named pipe, not a file", self.baseFilename) from None
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(errno.EINVAL, "not a regular file", self.baseFilename)
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)

    def emit(self, record: logging.LogRecord) -> None:
        if not self.broken:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        """An error writing or rotating (OSError) gives the file up; any other is a bug in
        the record itself (its arguments), reported as logging does."""
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)
            return
        if self.broken:
            return
        self.broken = True
        with contextlib.suppress(OSError, ValueError):  # flushing what the disk refused
            self.close()
        _say_unwritable(self.baseFilename, error)


def _file_handler(logger: logging.Logger) -> logging.handlers.RotatingFileHandler | None:
    return next((h for h in logger.handlers
                 if isinstance(h, logging.handlers.RotatingFileHandler)), None)


def _stderr_handler(logger: logging.Logger) -> logging.StreamHandler | None:
    return next((h for h in logger.handlers if type(h) is logging.StreamHandler), None)


def versions() -> dict[str, str]:
    """mnistpad's, torch's (when it is imported already: finding out must not import it),
    PySide6's (imported, else the installed distribution's: PySide6 or PySide6-Essentials),
    Python's and the system's."""
    from mnistpad import __version__

    found = {"mnistpad": __version__}
    torch = sys.modules.get("torch")
    if torch is not None:
        found["torch"] = getattr(torch, "__version__", "?")
    pyside = sys.modules.get("PySide6")
    if pyside is not None:
        found["PySide6"] = getattr(pyside, "__version__", "?")
    for distribution in ("PySide6", "PySide6-Essentials"):  # either may be the one installed
        if "PySide6" in found:
            break
        with contextlib.suppress(metadata.PackageNotFoundError):
            found["PySide6"] = metadata.version(distribution)
    found["Python"] = platform.python_version()
    found["OS"] = platform.platform()
    return found


def setup_logging(verbose: bool = False) -> logging.Logger:
    """The ``mnistpad`` logger, writing to :func:`log_file` (and with ``verbose``, to stderr
    too). Calling it again adds nothing, unless the user folder changed meanwhile
    (MNISTPAD_HOME): then the file handler moves to the new folder's log."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    target = log_file()
    handler = _file_handler(logger)
    if handler is not None and Path(handler.baseFilename) != target.absolute():
        logger.removeHandler(handler)
        handler.close()
        handler = None
    if not any(type(h) is logging.NullHandler for h in logger.handlers):
        logger.addHandler(logging.NullHandler())  # no log file: no record on stderr either
    if handler is None:
        try:
            log_dir().mkdir(parents=True, exist_ok=True)
            handler = LogFile(target, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                              encoding="utf-8", errors="backslashreplace")
        except OSError as exc:  # a read-only or full user folder: no log, the work goes on
            handler = None
            _say_unwritable(target, exc)
        if handler is not None:
            handler.setFormatter(logging.Formatter(FORMAT))
            handler.setLevel(logging.INFO)
            logger.addHandler(handler)
            logger.info("started: %s", ", ".join(f"{k} {v}" for k, v in versions().items()))
    if verbose and _stderr_handler(logger) is None:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stream.setLevel(logging.DEBUG)
        logger.addHandler(stream)
    return logger


def get_logger(name: str = "") -> logging.Logger:
    """A child of the ``mnistpad`` logger (``name`` like ``cli`` or ``ui.worker``)."""
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)
