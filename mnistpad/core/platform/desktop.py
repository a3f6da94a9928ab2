"""The freedesktop launcher: ``mnistpad.desktop`` in ``$XDG_DATA_HOME/applications`` and the
icon in the hicolor theme under ``$XDG_DATA_HOME/icons``, so that mnistpad appears in the
application menu (GNOME, KDE, Xfce...) and its dock entry shows its icon.

The dock matches the window to the launcher by ``StartupWMClass`` (X11: the window's WM
class, the application name) and by the desktop file name (Wayland), both
:data:`APP_ID`, as :mod:`mnistpad.ui.shell.app` sets them.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

APP_ID = "mnistpad"
ICON_SIZES = (32, 48, 64, 128, 256)
_EXEC_RESERVED = set(' \t\n"\'\\><~|&;$*?#()`')


def data_home() -> Path:
    """``$XDG_DATA_HOME`` when set to an absolute path (the spec ignores a relative one),
    else ``~/.local/share``."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def launcher_path(home: Path | None = None) -> Path:
    return (home or data_home()) / "applications" / f"{APP_ID}.desktop"


def icon_paths(home: Path | None = None) -> dict[int, Path]:
    """size -> where the hicolor theme wants that size of the icon."""
    icons = (home or data_home()) / "icons" / "hicolor"
    return {size: icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in ICON_SIZES}


def quote_exec_arg(arg: str) -> str:
    """One argument of a launcher's ``Exec`` key, quoted as the Desktop Entry spec says
    (double quotes around reserved characters; ``"``, `````, ``$`` and ``\\`` escaped
    inside them; ``%`` doubled: it starts a field code)."""
    arg = arg.replace("%", "%%")
    if not any(ch in _EXEC_RESERVED for ch in arg):
        return arg
    escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return f'"{escaped}"'


def launch_command() -> list[str]:
    """What the launcher runs: the ``mnistpad`` script beside this Python when there is one
    (a pipx or venv install), else this Python with ``-m mnistpad`` (a source checkout)."""
    script = Path(sys.executable).with_name("mnistpad")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which("mnistpad")
    if found:
        return [str(Path(found).absolute())]
    return [sys.executable, "-m", "mnistpad"]


def launcher_text(command: list[str]) -> str:
    """The ``.desktop`` file for ``command``; desktop-file-validate accepts it."""
    exec_line = " ".join(quote_exec_arg(arg) for arg in command)
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        "Name=mnistpad",
        "GenericName=Handwritten Digit Lab",
        "GenericName[ko]=손글씨 숫자 실습",
        "Comment=Draw a digit, train the Lab 10 models, see what each one reads",
        "Comment[ko]=숫자를 그리고 Lab 10 모델을 학습시켜 각 모델이 읽는 결과를 봅니다",
        f"Exec={exec_line}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Education;ArtificialIntelligence;",
        "Keywords=MNIST;neural network;PyTorch;handwriting;digits;",
        f"StartupWMClass={APP_ID}",
        "StartupNotify=true",
        "",
    ])


def _png(picture, size: int) -> bytes:
    """``picture`` scaled to ``size`` x ``size``, as PNG bytes."""
    from PIL import Image

    buffer = io.BytesIO()
    picture.resize((size, size), Image.Resampling.LANCZOS).save(buffer, format="PNG")
    return buffer.getvalue()


def install(home: Path | None = None, icon: Path | None = None) -> list[Path]:
    """Write the launcher and the icon in every size of :data:`ICON_SIZES` (scaled from
    ``icon``, default the shipped ``assets/icon.png``); returns the files written. Each is
    written through a temporary file of its folder, fsynced and renamed over it: a link
    there is replaced, not written through, and a full disk leaves the file as it was (a
    :class:`~mnistpad.core.platform.errors.SaveError` naming it)."""
    from PIL import Image

    from mnistpad.core.files.atomic import write_atomic
    from mnistpad.core.platform.paths import assets_dir

    written = []
    with Image.open(icon or assets_dir() / "icon.png") as source:
        picture = source.convert("RGBA")
    for size, path in icon_paths(home).items():
        write_atomic(path, _png(picture, size))
        written.append(path)
    launcher = launcher_path(home)
    write_atomic(launcher, launcher_text(launch_command()))
    written.append(launcher)
    return written


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what :func:`install` wrote; returns the files that were there."""
    removed = []
    for path in [*icon_paths(home).values(), launcher_path(home)]:
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed
