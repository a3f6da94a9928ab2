"""Whether Qt's X11 platform plugin can load, checked before any QApplication exists.

When its platform plugin cannot load, Qt aborts the process (exit 134) and names at most one
of the missing libraries. PySide6's wheels bring Qt itself but not the system's X11 client
libraries its xcb plugin links against, and a bare Debian or Ubuntu desktop lacks several of
them. This module asks the dynamic loader for each one and names the packages that provide
the missing ones, in one line. No Qt is imported here.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# The system libraries that PySide6 6.11's xcb plugin (Qt/plugins/platforms/libqxcb.so and
# Qt/lib/libQt6XcbQpa.so.6) links against directly, with the Debian/Ubuntu package of each.
# A test compares this table with the installed plugin's own list.
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}


def loadable(soname: str) -> bool:
    """Whether the dynamic loader finds ``soname`` and everything it needs."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt will try its xcb plugin: QT_QPA_PLATFORM names it, or is unset outside a
    Wayland session (in one, Qt takes its Wayland plugin, which needs none of these)."""
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    wayland = environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY")
    return not wayland


def window_problem(environ: Mapping[str, str] = os.environ,
                   can_load: Callable[[str], bool] = loadable,
                   platform: str = sys.platform) -> str | None:
    """Why the window cannot open, in one line, or None when nothing stands in the way
    that can be seen before Qt starts."""
    if not platform.startswith("linux") or not uses_xcb(environ):
        return None
    if not environ.get("DISPLAY"):
        return ("the window cannot open: there is no display (DISPLAY is not set); the "
                "commands work without one, see 'mnistpad --help'")
    missing = [soname for soname in XCB_LIBRARIES if not can_load(soname)]
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES[soname] for soname in missing))
    return (f"the window cannot open: Qt's X11 plugin needs {', '.join(missing)}, missing "
            f"here; on Debian or Ubuntu install them with: sudo apt install {packages}")
