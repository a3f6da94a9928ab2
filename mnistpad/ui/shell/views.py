"""The views built right after the window's first paint (and their imports): the Train,
Evaluate and Samples tabs, the teaching hooks and the Inside panel. Each gets the app state
and the job runner; the window only places them."""

from __future__ import annotations


def build_views(window) -> None:
    from mnistpad.ui.evaluate.panel import EvaluatePanel
    from mnistpad.ui.inside.panel import InsidePanel
    from mnistpad.ui.lessons.activations_panel import ActivationsPanel
    from mnistpad.ui.lessons.design_tab import DesignTab
    from mnistpad.ui.lessons.race_tab import RaceTab
    from mnistpad.ui.shell.handwriting import TeachingHooks
    from mnistpad.ui.train.panel import TrainingPanel
    from mnistpad.ui.widgets.accessibility import AccessibilityHooks

    state, runner = window.state, window.runner
    window.training = TrainingPanel(state, runner)
    window.training.modelSaved.connect(window.on_model_trained)
    window.training.useModelRequested.connect(window.files.open_model)
    window.add_tab(window.training, "Ctrl+2")
    window.menus.add_menu(window.training.training_menu(window, window.on_train))
    window.add_progress(window.training)
    state.modelsLoaded.connect(window.training.offer_cuda)

    window.design = DesignTab(state, runner)
    window.design.editor.trainingRequested.connect(window.on_train_design)
    window.training.runningChanged.connect(window.design.set_training)
    window.add_tab(window.design, "Ctrl+5")

    window.race = RaceTab(state, runner)
    window.race.race.raceFinished.connect(
        lambda _result: [window.training.runs.add_run(run) for run in window.race.finished_runs()])
    window.add_tab(window.race, "Ctrl+6")

    window.evaluate = EvaluatePanel(state, runner)
    window.evaluate.drawingRequested.connect(window.on_drawing_requested)
    window.evaluate.trueLabelSent.connect(window.draw.set_true_label)
    window.add_tab(window.evaluate, "Ctrl+3")

    window.teaching = TeachingHooks(window)
    window.teacher, window.samples = window.teaching.teacher, window.teaching.samples

    window.activations = ActivationsPanel(runner, state=state)  # it follows the state
    window.add_tab(window.activations, "Ctrl+Shift+A")
    window.training.watch_activations = window.activations.isVisible
    window.training.activationsRead.connect(window.activations.update_from_training)
    window.training.runEnded.connect(lambda *_: window.activations.end_training()
                                     if window.activations.isVisible() else None)

    window.inside = InsidePanel(state, window)
    dock_inside(window, window.inside)
    window.accessibility = AccessibilityHooks(window)


def dock_inside(window, panel) -> None:
    """Inside the model: a dock beside the canvas (View menu, Ctrl+I), hidden at first."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence

    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    panel.hide()
    toggle = panel.toggleViewAction()
    toggle.setShortcut(QKeySequence("Ctrl+I"))
    window.menus.add_view_action(toggle)
