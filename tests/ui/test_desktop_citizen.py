"""A good desktop citizen: the window prints nothing on the terminal and logs what it found
wrong; it follows light and dark; its Help menu opens the user's folders."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# The app as `mnistpad` starts it (ui.shell.app.start), its models loaded, then closed.
START_THE_APP = """
import sys
from PySide6.QtCore import QEventLoop
from mnistpad.ui.shell.app import start
app, window = start(["mnistpad"] + sys.argv[1:])
if not window.state.models_ready:
    loop = QEventLoop()
    window.state.modelsLoaded.connect(loop.quit)
    loop.exec()
window.close()
"""


def _run(code: str, home: Path, *args: str, **env) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "QT_QPA_PLATFORM": "offscreen",
           "MNISTPAD_HOME": str(home), **env}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, env=env, cwd=PROJECT_ROOT, timeout=300)


@pytest.fixture
def broken_model(mnistpad_home) -> Path:
    models = mnistpad_home / "models"
    models.mkdir()
    broken = models / "half-written.safetensors"
    broken.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    return broken


def test_the_window_prints_nothing_and_logs_a_broken_model_with_its_traceback(
        mnistpad_home, broken_model):
    proc = _run(START_THE_APP, mnistpad_home)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""
    log = (mnistpad_home / "logs" / "mnistpad.log").read_text(encoding="utf-8")
    assert "started: mnistpad" in log and "PySide6" in log
    assert f"cannot read {broken_model}" in log
    assert "Traceback (most recent call last)" in log
    assert f"model file skipped: {broken_model}" in log


def test_verbose_also_writes_the_log_on_the_terminal(mnistpad_home, broken_model):
    proc = _run(START_THE_APP, mnistpad_home, "--verbose")
    assert proc.returncode == 0, proc.stderr
    assert f"model file skipped: {broken_model}" in proc.stderr


# Draw tab in light then dark at device pixel ratio 2; the window's, the canvas's and the
# text's pixels, and the charts' background, as JSON.
RENDER_BOTH_SCHEMES = """
import json
from PySide6.QtCore import QPoint
from mnistpad.ui.shell.app import start
from mnistpad.ui.widgets.appearance import follow_appearance
from PySide6.QtCore import QEventLoop
app, window = start(["mnistpad"])
window.resize(800, 600)
if not window.state.models_ready:
    loop = QEventLoop()
    window.state.modelsLoaded.connect(loop.quit)
    loop.exec()
appearance = follow_appearance(app, window._settings)
found = {}
for scheme in ("light", "dark"):
    appearance.set_choice(scheme)
    app.processEvents()
    shot = window.grab()
    image = shot.toImage()
    chart = window.training.runs.run_chart
    chart.build()
    canvas = window.canvas.mapTo(window, window.canvas.target_rect().topLeft() + QPoint(10, 10))
    status = window.statusBar().mapTo(window, window.statusBar().rect().topLeft())
    found[scheme] = {
        "ratio": shot.devicePixelRatio(), "size": [image.width(), image.height()],
        "window": [window.width(), window.height()],
        "chrome": image.pixelColor(2 * status.x() + 4, 2 * status.y() + 4).lightness(),
        "canvas": image.pixelColor(2 * canvas.x(), 2 * canvas.y()).lightness(),
        "chart": chart.cost_plot.backgroundBrush().color().lightness(),
        "axis": chart.cost_plot.getAxis("left").textPen().color().lightness(),
        "remembered": window._settings.value("appearance"),
    }
window.close()
print(json.dumps(found))
"""


def test_light_and_dark_at_device_pixel_ratio_2(mnistpad_home):
    proc = _run(RENDER_BOTH_SCHEMES, mnistpad_home, QT_SCALE_FACTOR="2")
    assert proc.returncode == 0, proc.stderr
    light, dark = json.loads(proc.stdout.strip().splitlines()[-1]).values()
    for scheme in (light, dark):
        assert scheme["ratio"] == 2
        assert scheme["size"] == [2 * side for side in scheme["window"]]
        assert scheme["canvas"] == 0  # white ink on black in both: what the model sees
    assert light["chrome"] > 180 > 80 > dark["chrome"]
    assert light["chart"] > 180 > 80 > dark["chart"]
    assert light["axis"] < 100 < 180 < dark["axis"]  # the axes' text stays readable
    assert (light["remembered"], dark["remembered"]) == ("light", "dark")


class _OpenedUrls(QObject):
    def __init__(self):
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_help_opens_the_data_and_log_folders(window, mnistpad_home):
    opened = _OpenedUrls()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        window.menus.folders.open_data.trigger()
        window.menus.folders.open_log.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(url.toLocalFile()) for url in opened.urls] == [mnistpad_home,
                                                               mnistpad_home / "logs"]
    help_texts = [a.text() for a in window.menus.help_menu.actions()]
    assert "Open &Data Folder" in help_texts and "Open &Log Folder" in help_texts


def test_the_appearance_menu_switches_the_palette_live_and_remembers(window, qtbot):
    from mnistpad.ui.widgets.appearance import is_dark

    menu = window.menus.appearance_menu
    assert menu.choice_actions["system"].isChecked()
    try:
        menu.choice_actions["dark"].trigger()
        qtbot.waitUntil(lambda: is_dark(window.palette()))  # the palette arrives by event
        assert is_dark(window.canvas.palette()) and is_dark(window.training.palette())
        assert window._settings.value("appearance") == "dark"
        menu.choice_actions["light"].trigger()
        qtbot.waitUntil(lambda: not is_dark(window.palette()))
    finally:
        menu.choice_actions["system"].trigger()
        qtbot.waitUntil(lambda: not is_dark(window.palette()))
    assert window._settings.value("appearance") == "system"


def test_a_refused_file_is_logged_with_its_traceback(window, monkeypatch, tmp_path,
                                                     mnistpad_home):
    from PySide6.QtWidgets import QMessageBox

    from mnistpad.core.platform.log import log_file, setup_logging

    setup_logging()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    picture, model = tmp_path / "not-a-picture.png", tmp_path / "not-a-model.safetensors"
    picture.write_bytes(b"no image here")
    model.write_bytes(b"no model here")
    assert not window.files.open_image(picture) and not window.files.open_model(model)
    assert len(shown) == 2
    for handler in logging.getLogger("mnistpad").handlers:
        handler.flush()
    log = log_file().read_text(encoding="utf-8")
    assert f"cannot open image {picture}" in log and f"cannot open model {model}" in log
    assert log.count("Traceback (most recent call last)") >= 2
