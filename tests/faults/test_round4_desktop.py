"""Round four, fault 10: ``install-desktop`` writes its icons as it writes its launcher: through
a temporary file of the same folder, fsynced and renamed over the icon. A link at an icon's
place is replaced, never written through (its target became a PNG), and a disk that fills
up leaves each icon as it was, never cut short."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from PIL import Image

from mnistpad.core.platform import desktop

from .conftest import PROJECT_ROOT, child_env


def test_10_a_link_at_an_icons_place_is_replaced_not_written_through(tmp_path):
    home = tmp_path / "xdg"
    victims = {}
    for size, icon in desktop.icon_paths(home).items():
        victim = tmp_path / f"victim-{size}.txt"
        victim.write_text(f"the user's file {size}")
        icon.parent.mkdir(parents=True)
        icon.symlink_to(victim)
        victims[victim] = victim.read_text()
    desktop.install(home)
    for victim, text in victims.items():
        assert victim.read_text() == text, f"{victim} was written through a link"
    for size, icon in desktop.icon_paths(home).items():
        assert not icon.is_symlink()
        with Image.open(icon) as image:
            assert image.size == (size, size)


def _leftovers(home: Path) -> list[Path]:
    return [p for p in home.rglob("*") if p.name.endswith(".tmp")]


def test_10_a_full_disk_leaves_every_icon_whole(tmp_path):
    """``mnistpad install-desktop`` again, under a 3,000-byte file size limit (RLIMIT_FSIZE:
    writes past it fail, as on a full disk): the command fails in one line, and each icon
    is the one before, whole."""
    home = tmp_path / "xdg"
    desktop.install(home)
    before = {path: path.read_bytes() for path in desktop.icon_paths(home).values()}
    assert max(map(len, before.values())) > 3_000 > min(map(len, before.values()))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (3_000, 3_000))

    env = {**child_env(tmp_path / "mnistpad home"), "XDG_DATA_HOME": str(home)}
    proc = subprocess.run([sys.executable, "-m", "mnistpad", "install-desktop"],
                          capture_output=True, text=True, env=env, cwd=PROJECT_ROOT,
                          timeout=120, preexec_fn=limit)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if not line.startswith("warning: ")]
    assert len(errors) == 1 and errors[0].startswith("mnistpad: error: "), proc.stderr
    assert "too large" in errors[0].lower(), errors[0]
    for path, data in before.items():
        assert path.read_bytes() == data, f"{path} was left cut short"
    assert not _leftovers(home)
