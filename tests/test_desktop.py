"""``mnistpad install-desktop``: a launcher desktop-file-validate accepts, icons in the hicolor
theme, all removed again by ``--uninstall``."""

from __future__ import annotations

import configparser
import shutil
import subprocess

import pytest
from PIL import Image

from mnistpad.core.platform import desktop


@pytest.fixture
def xdg_home(tmp_path, monkeypatch):
    home = tmp_path / "xdg data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _entry(path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_writes_launcher_and_icons_under_xdg_data_home(cli, xdg_home):
    status, out, _ = cli("install-desktop")
    assert status == 0
    launcher = xdg_home / "applications" / "mnistpad.desktop"
    assert f"wrote {launcher}" in out
    entry = _entry(launcher)
    assert entry["Type"] == "Application"
    assert entry["Icon"] == "mnistpad"
    # the window's WM class and desktop file name (ui.shell.app) are what the dock matches
    from mnistpad.ui.shell.app import DESKTOP_FILE_NAME

    assert entry["StartupWMClass"] == DESKTOP_FILE_NAME == launcher.stem
    assert entry["Terminal"] == "false"
    for size in desktop.ICON_SIZES:
        icon = xdg_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "mnistpad.png"
        with Image.open(icon) as image:
            assert image.size == (size, size)


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (desktop-file-utils)")
def test_desktop_file_validate_accepts_the_launcher(cli, xdg_home):
    cli("install-desktop")
    result = subprocess.run(["desktop-file-validate",
                             str(xdg_home / "applications" / "mnistpad.desktop")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (desktop-file-utils)")
def test_an_exec_path_with_spaces_and_percent_is_quoted(tmp_path):
    command = ["/opt/my apps/py$thon", "-m", "mnist%pad"]
    text = desktop.launcher_text(command)
    assert 'Exec="/opt/my apps/py\\$thon" -m mnist%%pad' in text
    file = tmp_path / "mnistpad.desktop"
    file.write_text(text, encoding="utf-8")
    result = subprocess.run(["desktop-file-validate", str(file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_uninstall_removes_everything_it_wrote(cli, xdg_home):
    cli("install-desktop")
    status, out, _ = cli("install-desktop", "--uninstall")
    assert status == 0 and out.count("removed ") == len(desktop.ICON_SIZES) + 1
    assert not [p for p in xdg_home.rglob("*") if p.is_file()]
    status, out, err = cli("install-desktop", "--uninstall")
    assert status == 0 and out == "" and "nothing to remove" in err


def test_a_relative_xdg_data_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop.launcher_path() == tmp_path / ".local/share/applications/mnistpad.desktop"
