"""torchvision is imported only to download MNIST. A torchvision built for another torch fails
on import with a message that names neither package's version ("operator torchvision::nms
does not exist"): :func:`import_mnist_dataset` says that the two do not match and how to
install a matching pair."""

from __future__ import annotations

from importlib import metadata

from mnistpad.core.platform.errors import DataError


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def mismatch_words(exc: BaseException) -> str:
    """One sentence: the versions installed, the error, and the fix."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return (f"torchvision {_version('torchvision')} does not match torch {_version('torch')} "
            f"({first}). Reinstall them as a matching pair, e.g. "
            f"'pip install --upgrade --force-reinstall torch torchvision' (or, for a torch "
            f"you keep, the torchvision its release notes name: "
            f"https://pytorch.org/get-started/previous-versions/).")


def import_mnist_dataset():
    """torchvision's MNIST class, or a DataError that says the versions do not match."""
    try:
        from torchvision.datasets import MNIST
    except (RuntimeError, ImportError, AttributeError, OSError) as exc:
        if isinstance(exc, ModuleNotFoundError) and exc.name == "torchvision":
            raise DataError("torchvision is not installed; it downloads MNIST: "
                            "pip install torchvision (matching your torch)") from exc
        raise DataError(mismatch_words(exc)) from exc
    return MNIST
