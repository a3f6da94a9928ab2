"""What the command modules (cli.py and the cli_*.py subcommands) share."""

from __future__ import annotations

import sys

PROG = "mnistpad"


def scan_models():
    """The saved models; a file that cannot be read is skipped with a warning naming it."""
    from mnistpad.core.registry import scan

    catalog = scan()
    for problem in catalog.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return catalog
