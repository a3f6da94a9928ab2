"""mnistpad's log file: what went wrong, with its traceback, for a bug report.

Users see one plain sentence for a failure; the traceback behind it goes to
``<user data folder>/logs/mnistpad.log`` (rotated at about 1 MB, three old files kept),
opened by the command line and the window alike through :func:`setup_logging`. Each file
starts with the versions of what ran, so that a log pasted into an issue says it. A user
folder that cannot be written leaves mnistpad without a log, never without its work.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import platform
import sys
from importlib import metadata
from pathlib import Path

from mnistpad.core.paths import user_dir

LOGGER_NAME = "mnistpad"
FILE_NAME = "mnistpad.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def log_dir() -> Path:
    return user_dir() / "logs"


def log_file() -> Path:
    return log_dir() / FILE_NAME


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
    if handler is None:
        try:
            log_dir().mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        except OSError:
            handler = None  # a read-only or full user folder: no log, the work goes on
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
