"""``mnistpad install-desktop [--uninstall]``: the application-menu launcher and icon
(see core.platform.desktop)."""

from __future__ import annotations

import sys


def add_parser(subparsers) -> None:
    desktop = subparsers.add_parser(
        "install-desktop", help="add mnistpad to the desktop's application menu (Linux: a "
                                "launcher and an icon under $XDG_DATA_HOME)")
    desktop.add_argument("--uninstall", action="store_true",
                         help="remove the launcher and the icon again")


def run(args) -> int:
    """Each file written or removed on stdout; a failure to write is one line (main())."""
    from mnistpad.core.platform import desktop

    if args.uninstall:
        removed = desktop.uninstall()
        for path in removed:
            print(f"removed {path}")
        if not removed:
            print(f"nothing to remove: no launcher at {desktop.launcher_path()}",
                  file=sys.stderr)
        return 0
    for path in desktop.install():
        print(f"wrote {path}")
    return 0
