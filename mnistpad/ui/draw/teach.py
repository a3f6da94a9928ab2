"""Teaching mnistpad your handwriting on the Draw tab: label a drawing, or follow a drill.

After any reading, a digit key (or a button of the "This is a" row) labels the drawing: it is
saved as one of your samples (:mod:`mnistpad.core.personal.image`) and the canvas clears for the
next. The drill asks for every digit K times in random order ("Draw a 7 - 3 of 5"), shows
what the current model reads each time, and ends by offering to personalize.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

from mnistpad.ui.draw.canvas import DrawingCanvas
from mnistpad.ui.i18n.digit_words import say_digit
from mnistpad.ui.widgets.probabilities import Retranslates

# bench/personal.py (README): five drawings per digit halve the errors on a writer's other
# digits; one or three do a third as well
DRILL_PER_DIGIT = 5


class LabelRow(Retranslates, QWidget):
    """ "This is a: 0 1 2 ... 9": click the digit you drew. ``labelled`` carries it."""

    labelled = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("labelRow")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.caption = QLabel()
        layout.addWidget(self.caption)
        self.buttons = []
        for digit in range(10):
            button = QToolButton(text=str(digit), objectName=f"label{digit}")
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, d=digit: self.labelled.emit(d))
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.caption.setText(self.tr("This is a:"))
        self.caption.setToolTip(self.tr("Tell mnistpad what you drew (or press the digit key): "
                                        "the drawing is kept as one of your samples"))
        for digit, button in enumerate(self.buttons):
            button.setToolTip(say_digit(self.tr("Save this drawing as {a} {0} (key {0})"), digit))


class DrillBanner(Retranslates, QFrame):
    """The drill's prompt above the canvas, with Next / Skip / Stop."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("drillBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        self.prompt = QLabel("", objectName="drillPrompt")
        font = self.prompt.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.prompt.setFont(font)
        self.next_button = QPushButton(objectName="drillNext")
        self.skip_button = QPushButton(objectName="drillSkip")
        self.stop_button = QPushButton(objectName="drillStop")
        layout.addWidget(self.prompt, 1)
        for button in (self.next_button, self.skip_button, self.stop_button):
            layout.addWidget(button)
        self.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        """The buttons' texts; the prompt is the drill's, said again by the teacher
        (:meth:`Teacher.retell`) when the language changes."""
        self.next_button.setText(self.tr("Next"))
        self.next_button.setToolTip(self.tr("Keep this drawing and go on (Enter)"))
        self.skip_button.setText(self.tr("Skip"))
        self.stop_button.setText(self.tr("Stop"))


class Teacher(QObject):
    """Saves labelled drawings and runs the drill.

    ``reading()`` returns (the digit the active model reads or ``None``, the model's name).
    ``sampleSaved(path, digit, corrected)`` after each sample; ``drillChanged(prompt)``
    while drilling (an empty prompt when the drill ends); ``drillFinished(saved)`` when every
    digit was asked or the drill was stopped; ``message(text)`` for the status bar."""

    sampleSaved = Signal(str, int, bool)
    drillChanged = Signal(str)
    drillFinished = Signal(int)
    message = Signal(str)

    def __init__(self, canvas: DrawingCanvas,
                 reading: Callable[[], tuple[int | None, str]],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.canvas = canvas
        self.reading = reading
        self._plan: list[int] = []
        self._index = 0
        self._collected: Counter[int] = Counter()
        self._per_digit = DRILL_PER_DIGIT

    # ------------------------------------------------------------------ labelling

    def label(self, digit: int) -> Path | None:
        """Save the drawing as a ``digit`` and clear the canvas; ``None`` if nothing usable
        is drawn. In a drill, labelling with another digit than the one asked is refused."""
        if self.drilling and digit != self.asked:
            self.message.emit(say_digit(self.tr("The drill asks for {a} {0}: draw it and press "
                                                "Enter, or Skip."), self.asked))
            return None
        if self.canvas.digit() is None:
            self.message.emit(self.tr("Draw a digit first, then press its key to keep it as "
                                      "one of your samples."))
            return None
        from mnistpad.core.data.samples import save_sample

        read_as, model = self.reading()
        try:
            path = save_sample(digit, self.canvas.ink(), self.canvas.pen_strokes(),
                               read_as=read_as, model=model)
        except OSError as exc:
            self.message.emit(self.tr("Could not save the sample: {0}").format(exc))
            return None
        corrected = read_as is not None and read_as != digit
        self.canvas.clear()
        self.sampleSaved.emit(str(path), digit, corrected)
        if corrected:
            self.message.emit(say_digit(self.tr("Saved as {a} {0}: a correction ({1} read "
                                                "{2})."), digit, model, read_as))
        else:
            self.message.emit(say_digit(self.tr("Saved as {a} {0}."), digit))
        if self.drilling:
            self._collected[digit] += 1
            self._advance()
        return path

    # ------------------------------------------------------------------ the drill

    @property
    def drilling(self) -> bool:
        return self._index < len(self._plan)

    @property
    def asked(self) -> int | None:
        return self._plan[self._index] if self.drilling else None

    @property
    def plan(self) -> list[int]:
        return list(self._plan)

    def start_drill(self, per_digit: int = DRILL_PER_DIGIT, seed: int | None = None) -> None:
        """Ask for every digit ``per_digit`` times, in random order."""
        self._per_digit = per_digit
        self._plan = [d for d in range(10) for _ in range(per_digit)]
        random.Random(seed).shuffle(self._plan)
        self._index = 0
        self._collected = Counter()
        self.canvas.clear()
        self.drillChanged.emit(self.prompt())
        self.message.emit(self.tr(
            "The drill asks for each digit {0} times: {1} drawings per digit make a useful "
            "personal model (they halve the errors on your other digits).").format(
                per_digit, DRILL_PER_DIGIT))

    def prompt(self) -> str:
        if not self.drilling:
            return ""
        digit = self.asked
        nth = self._plan[: self._index + 1].count(digit)
        return say_digit(self.tr("Draw {a} {0}  ({1} of {2})   ·   {3} of {4} in all"),
                         digit, nth, self._per_digit, self._index + 1, len(self._plan))

    def retell(self) -> None:
        """Say the drill's prompt again (in the language now chosen)."""
        if self.drilling:
            self.drillChanged.emit(self.prompt())

    def accept(self) -> None:
        """Keep the drawing as the digit asked for (Enter)."""
        if self.drilling:
            self.label(self.asked)

    def skip(self) -> None:
        if self.drilling:
            self.canvas.clear()
            self._advance()

    def collected(self) -> dict[int, int]:
        """How many drawings of each digit the drill (running or last) kept, by digit."""
        return dict(sorted(self._collected.items()))

    def stop_drill(self) -> None:
        """End the drill early; what it collected is offered like a finished drill's."""
        if self._plan:
            self._finish()

    def _advance(self) -> None:
        self._index += 1
        if self.drilling:
            self.drillChanged.emit(self.prompt())
            return
        self._finish()

    def _finish(self) -> None:
        self._plan, self._index = [], 0
        self.drillChanged.emit("")
        self.drillFinished.emit(sum(self._collected.values()))


def wire_banner(banner: DrillBanner, teacher: Teacher) -> None:
    banner.next_button.clicked.connect(teacher.accept)
    banner.skip_button.clicked.connect(teacher.skip)
    banner.stop_button.clicked.connect(teacher.stop_drill)

    def on_changed(prompt: str) -> None:
        banner.prompt.setText(prompt)
        banner.setVisible(bool(prompt))

    teacher.drillChanged.connect(on_changed)
    banner.next_button.setDefault(True)
    banner.setFocusPolicy(Qt.FocusPolicy.NoFocus)
