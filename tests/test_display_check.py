"""The check that runs before Qt: which X11 libraries Qt's xcb plugin lacks, in one line."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mnistpad import cli
from mnistpad.core.platform.display import XCB_LIBRARIES, uses_xcb, window_problem

X11 = {"DISPLAY": ":0"}
MISSING_ON_A_BARE_DESKTOP = {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"}


def bare_desktop(soname: str) -> bool:
    return soname not in MISSING_ON_A_BARE_DESKTOP


def test_missing_libraries_are_named_with_one_apt_line():
    problem = window_problem(X11, bare_desktop, "linux")
    assert "\n" not in problem
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1" in problem
    assert problem.endswith("sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1")


def test_a_package_is_named_once_for_several_of_its_libraries():
    problem = window_problem(X11, lambda soname: "glib" not in soname and "gthread" not in
                             soname, "linux")
    assert problem.endswith("sudo apt install libglib2.0-0")


def test_nothing_to_say_when_every_library_loads():
    assert window_problem(X11, lambda soname: True, "linux") is None


def test_no_display_is_said_plainly():
    problem = window_problem({}, lambda soname: True, "linux")
    assert "DISPLAY is not set" in problem and "mnistpad --help" in problem


@pytest.mark.parametrize(("environ", "xcb"), [
    ({}, True),
    ({"QT_QPA_PLATFORM": "xcb"}, True),
    ({"QT_QPA_PLATFORM": "xcb:nograb"}, True),
    ({"QT_QPA_PLATFORM": "offscreen"}, False),
    ({"QT_QPA_PLATFORM": "wayland"}, False),
    ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, False),
    ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0",
      "QT_QPA_PLATFORM": "xcb"}, True),
    ({"XDG_SESSION_TYPE": "x11"}, True),
])
def test_only_the_xcb_plugin_is_checked(environ, xcb):
    assert uses_xcb(environ) is xcb
    nothing_loads = window_problem({**environ, "DISPLAY": ":0"}, lambda soname: False, "linux")
    assert (nothing_loads is not None) is xcb


def test_other_systems_are_not_checked():
    assert window_problem({}, lambda soname: False, "darwin") is None
    assert window_problem({}, lambda soname: False, "win32") is None


def test_the_command_says_it_in_one_line_instead_of_starting_qt(monkeypatch, capsys):
    monkeypatch.setattr("mnistpad.core.platform.display.window_problem",
                        lambda: window_problem(X11, bare_desktop, "linux"))
    assert cli.main([]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mnistpad: error: the window cannot open: ")
    assert err.count("\n") == 1 and "libxcb-icccm4" in err


def _needed(library: Path) -> list[str]:
    out = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True,
                         check=True).stdout
    return [line.split("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line]


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("readelf"),
                    reason="reads the installed Linux plugin with readelf")
def test_the_table_covers_every_system_library_the_installed_plugin_needs():
    qt = Path(importlib.util.find_spec("PySide6").origin).parent / "Qt"
    bundled = {path.name for path in (qt / "lib").iterdir()}
    c_runtime = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1"}
    needed = set()
    for library in (qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"):
        needed.update(_needed(library))
    system = needed - bundled - c_runtime
    assert {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"} <= system
    assert system == set(XCB_LIBRARIES)
