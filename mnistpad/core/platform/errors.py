"""Errors a user can act on. Their text is shown as is, never as a traceback."""


class MnistpadError(Exception):
    """Base class: the message is complete and meant for the user."""


class DataError(MnistpadError):
    """MNIST is missing, truncated, corrupt, or cannot be downloaded."""


class ModelFileError(MnistpadError):
    """A model file cannot be read, or does not hold a model of a known variant."""


class TrainingCancelled(MnistpadError):
    """The user cancelled a training run; nothing was saved."""


class TrainingDiverged(MnistpadError):
    """The cost became NaN or infinite; the run stopped and nothing was saved."""


class SaveError(MnistpadError, OSError):
    """A file could not be written (folder read-only or full, ...). The message names the
    file meant, never the temporary file it was being written through."""
