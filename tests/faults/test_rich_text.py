"""Round three, fault 14: markup in a model's name (or any string from a file) is shown as
text, never rendered. The helper in ui/widgets/rich_text.py is checked here, with the views that use
it; Evaluate's summary is the lead's file (ui/evaluate/panel.py) and waits for it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from mnistpad.core.files.modelfile import read_info

from .hostile import softmax_model

MARKUP = "<big style='color:green'>accuracy 99.99%</big>"


def shown(text: str, rich: bool = True) -> str:
    """What a person sees of ``text`` shown as rich text."""
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def test_14_the_helpers_show_markup_as_text(qapp):
    from mnistpad.ui.widgets.rich_text import escaped, literal_tooltip

    assert shown(f"<b>{escaped(MARKUP)}</b> on MNIST") == f"{MARKUP} on MNIST"
    assert shown(escaped("a & b <i>c</i>")) == "a & b <i>c</i>"
    assert shown(literal_tooltip(f"{MARKUP}\nline two")) == f"{MARKUP}\nline two"


def test_14_the_samples_tab_shows_a_hostile_name_as_text(qtbot, tmp_path):
    from mnistpad.ui.samples.panel import SamplesPanel

    info = read_info(softmax_model(tmp_path / "m.safetensors", name=MARKUP))
    from mnistpad.ui.state.jobs import JobRunner

    panel = SamplesPanel(JobRunner())
    qtbot.addWidget(panel)
    panel.set_model(info)
    assert MARKUP in shown(panel.personalize_button.toolTip())
    panel.result_label.setText(panel.tr("Saved {0}: {1}.{2}").format(info.name, "", ""))
    assert panel.result_label.textFormat() == Qt.TextFormat.PlainText


def test_14_evaluates_summary_shows_a_hostile_name_as_text(qtbot, tmp_path, mnist_dir):
    from PySide6.QtCore import QSettings

    from mnistpad.core.evaluation.evaluate import EvaluationCache
    from mnistpad.core.models.registry import Catalog
    from mnistpad.ui.evaluate.panel import EvaluatePanel
    from mnistpad.ui.state.app_state import AppState
    from mnistpad.ui.state.jobs import JobRunner

    path = softmax_model(tmp_path / "m.safetensors", name=MARKUP)
    info = read_info(path)
    runner = JobRunner()
    state = AppState(runner, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                     Catalog(models=[info]))
    with qtbot.waitSignal(state.modelsLoaded, timeout=60_000):
        state.start_loading()
    panel = EvaluatePanel(state, runner, cache=EvaluationCache(tmp_path / "cache"))
    qtbot.addWidget(panel)
    state.data_dir = mnist_dir
    panel.refresh_choices()
    with qtbot.waitSignal(panel.evaluated, timeout=60_000):
        panel.choose(path)
    assert shown(panel.summary.text()).startswith(f"{MARKUP} on ")
