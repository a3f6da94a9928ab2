"""Render the README's screenshots from the real app.

    python assets/make_screenshots.py [--data ../shared/mnist] [--epochs 3] [--language ko]

assets/screenshot-draw.png: the Draw tab after a digit from tests/data/strokes.json is drawn
with real mouse events. assets/screenshot-evaluate.png: the Evaluate tab, deepcnn on the
drawn digits of the unseen writers, its most confused cell clicked. assets/screenshot-train.png:
the Train tab after two real runs, nn (N(0,1) init) and xavier, overlaid as in the lecture's
slide. With ``--language ko`` the window is in Korean and only the Draw tab is rendered, to
assets/screenshot-draw-ko.png (it needs a font with Hangul, e.g. fonts-nanum). With
``--appearance dark`` the Draw tab is rendered in the dark scheme at device pixel ratio 2, to
assets/screenshot-dark.png.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "mnist"))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=48, help="index into strokes.json")
    parser.add_argument("--language", choices=["en", "ko"], default="en")
    parser.add_argument("--appearance", choices=["light", "dark"], default="light")
    args = parser.parse_args()
    os.environ["MNISTPAD_HOME"] = tempfile.mkdtemp(prefix="mnistpad-shots-")
    if args.appearance == "dark":
        os.environ["QT_SCALE_FACTOR"] = "2"

    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from mnistpad.ui.shell.app import create_main_window
    from ui.replay import draw
    from mnistpad.ui.shell.settings import settings

    settings().setValue("language", args.language)
    from mnistpad.ui.widgets.appearance import follow_appearance

    follow_appearance(app, settings()).set_choice(args.appearance)

    window = create_main_window(wait_for_models=True)
    window.resize(1000, 640)
    app.processEvents()

    sample = json.loads((ROOT / "tests/data/strokes.json").read_text())["samples"][args.sample]
    draw(window.canvas, sample["strokes"])
    for _ in range(5):
        app.processEvents()
    if args.appearance == "dark":
        window.grab().save(str(ROOT / "assets" / "screenshot-dark.png"))
        window.close()
        return
    if args.language != "en":
        window.grab().save(str(ROOT / "assets" / f"screenshot-draw-{args.language}.png"))
        window.close()
        return
    window.grab().save(str(ROOT / "assets" / "screenshot-draw.png"))

    evaluate = window.evaluate
    window.tabs.setCurrentWidget(evaluate)
    loop = QEventLoop()
    evaluate.evaluated.connect(loop.quit)
    evaluate.choose(ROOT / "models" / "deepcnn.safetensors", "writers")
    loop.exec()
    worst = evaluate.evaluation.confused_pairs()[0]
    evaluate.show_cell(worst.true, worst.read)
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(ROOT / "assets" / "screenshot-evaluate.png"))

    panel = window.training
    window.state.data_dir = Path(args.data)  # the MNIST folder the whole app uses
    window.tabs.setCurrentWidget(panel)
    for variant in ("nn", "xavier"):
        panel.variant.setCurrentIndex(panel.variant.findData(variant))
        panel.epochs.setValue(args.epochs)
        loop = QEventLoop()
        panel.runEnded.connect(loop.quit)
        assert panel.start()
        loop.exec()
        panel.runEnded.disconnect(loop.quit)
    panel.log_scale.setChecked(True)
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(ROOT / "assets" / "screenshot-train.png"))
    window.close()


if __name__ == "__main__":
    main()
