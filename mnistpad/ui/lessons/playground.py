"""The 2-D optimizer playground: the lecture's optimizers walking down a loss surface.

A standalone view. The paths come from :mod:`mnistpad.core.lessons.optim2d`, computed whole when the
surface, the start or a learning rate changes (milliseconds); the animation only reveals them
a step per frame, 60 frames a second. The surface is drawn as the canvas is: an off-screen
image of contour bands and lines, made once per surface and size, under the paths that
``paintEvent`` draws over it. Clicking the surface starts every optimizer from there.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.lessons.optim2d import (
    OPTIMIZERS_2D,
    SURFACES,
    Path2D,
    Surface,
    contour_levels,
    loss_grid,
    race_paths,
)
from mnistpad.core.models.specs import MAX_LEARNING_RATE, OPTIMIZER_LABELS
from mnistpad.ui.lessons.race_panel import COLOURS

FRAME_MS = 16  # about 60 frames a second; the target is at least 30
STEPS = 500
LOW, HIGH = np.array([250, 250, 235]), np.array([70, 110, 160])  # band colours, low to high


def _surface_image(surface: Surface, width: int, height: int) -> QImage:
    """Contour bands (light at the bottom of the surface, darker up its walls) with a thin
    line where one band meets the next."""
    grid = loss_grid(surface, width, height)
    levels = contour_levels(grid)
    band = np.searchsorted(levels, grid)
    shade = (band / len(levels))[..., None]
    rgb = LOW + (HIGH - LOW) * shade
    edge = np.zeros(band.shape, dtype=bool)
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    rgb[edge] = rgb[edge] * 0.6
    pixels = np.empty((height, width), dtype=np.uint32)
    rgb = rgb.astype(np.uint32)
    pixels[:] = 0xFF000000 | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    return QImage(pixels.data, width, height, 4 * width, QImage.Format.Format_RGB32).copy()


class SurfaceView(QWidget):
    """The surface and the paths up to the current frame. ``startChosen(x, y)`` when clicked,
    in the surface's own coordinates."""

    startChosen = Signal(float, float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("surfaceView")
        self.setMinimumSize(240, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.surface: Surface = SURFACES["valley"]
        self.paths: list[Path2D] = []
        self.frame = 0
        self._image: QImage | None = None
        self.painted_frames = 0

    def set_surface(self, surface: Surface) -> None:
        self.surface = surface
        self._image = None
        self.update()

    def show_paths(self, paths: list[Path2D], frame: int) -> None:
        self.paths, self.frame = paths, frame
        self.update()

    def to_widget(self, x: float, y: float) -> QPointF:
        x0, x1, y0, y1 = self.surface.bounds
        return QPointF((x - x0) / (x1 - x0) * self.width(),
                       (y1 - y) / (y1 - y0) * self.height())

    def to_surface(self, point: QPointF) -> tuple[float, float]:
        x0, x1, y0, y1 = self.surface.bounds
        return (x0 + point.x() / max(1, self.width()) * (x1 - x0),
                y1 - point.y() / max(1, self.height()) * (y1 - y0))

    def resizeEvent(self, event) -> None:
        self._image = None
        super().resizeEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.startChosen.emit(*self.to_surface(event.position()))

    def paintEvent(self, event) -> None:
        if self._image is None or self._image.size() != self.size():
            self._image = _surface_image(self.surface, max(1, self.width()),
                                         max(1, self.height()))
        painter = QPainter(self)
        painter.drawImage(0, 0, self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("black"), 1))
        for x, y in self.surface.minima:
            centre = self.to_widget(x, y)
            painter.drawLine(centre - QPointF(5, 5), centre + QPointF(5, 5))
            painter.drawLine(centre - QPointF(5, -5), centre + QPointF(5, -5))
        for path in self.paths:
            shown = path.points[: self.frame + 1]
            colour = QColor(COLOURS[path.optimizer])
            painter.setPen(QPen(colour, 2))
            painter.drawPolyline(QPolygonF([self.to_widget(x, y) for x, y in shown]))
            painter.setBrush(colour)
            painter.drawEllipse(self.to_widget(*shown[-1]), 4, 4)
        painter.end()
        self.painted_frames += 1


class Playground(QWidget):
    """Surface, optimizers with a learning rate each, and play / pause / step / reset.
    ``frameShown(int)`` after each step of the animation (the step now shown)."""

    frameShown = Signal(int)

    def __init__(self, steps: int = STEPS, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("playground")
        self.steps = steps
        self.frame = 0
        self.paths: list[Path2D] = []
        self.view = SurfaceView()
        self.view.startChosen.connect(self.on_start_chosen)
        self.surface_box = QComboBox(objectName="playgroundSurface")
        for name in SURFACES:
            self.surface_box.addItem("", name)
        self.surface_box.currentIndexChanged.connect(self.on_surface_changed)
        self.start = SURFACES["valley"].start
        self.timer = QTimer(self, interval=FRAME_MS)
        self.timer.timeout.connect(self.on_tick)
        self._build_controls()
        self.retranslate()
        self.on_surface_changed()

    def _build_controls(self) -> None:
        self.checks: dict[str, QCheckBox] = {}
        self.rates: dict[str, QDoubleSpinBox] = {}
        self.legend: dict[str, QLabel] = {}
        grid = QGridLayout()
        for row, name in enumerate(OPTIMIZERS_2D):
            check = QCheckBox(OPTIMIZER_LABELS[name], objectName=f"play_{name}", checked=True)
            check.setStyleSheet(f"color: {COLOURS[name]}; font-weight: bold;")
            check.toggled.connect(self.on_settings_changed)
            rate = QDoubleSpinBox(objectName=f"playLr_{name}")
            rate.setDecimals(4)
            rate.setRange(0.0001, MAX_LEARNING_RATE)
            rate.setSingleStep(0.001)
            rate.valueChanged.connect(self.on_settings_changed)
            self.checks[name], self.rates[name] = check, rate
            self.legend[name] = QLabel("", objectName=f"playLoss_{name}")
            for col, widget in enumerate((check, rate, self.legend[name])):
                grid.addWidget(widget, row, col)
        self.play_button = QPushButton(objectName="playgroundPlay")
        self.play_button.clicked.connect(self.on_play_clicked)
        self.step_button = QPushButton(objectName="playgroundStep")
        self.step_button.clicked.connect(self.step_once)
        self.reset_button = QPushButton(objectName="playgroundReset")
        self.reset_button.clicked.connect(self.reset)
        self.hint = QLabel("", objectName="playgroundHint", wordWrap=True)
        self.step_label = QLabel("", objectName="playgroundStepLabel")
        self.surface_label = QLabel()
        buttons = QHBoxLayout()
        for button in (self.play_button, self.step_button, self.reset_button):
            buttons.addWidget(button)
        side = QVBoxLayout()
        side.addWidget(self.surface_label)
        side.addWidget(self.surface_box)
        side.addLayout(grid)
        side.addLayout(buttons)
        side.addWidget(self.step_label)
        side.addWidget(self.hint)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(side, 2)
        layout.addWidget(self.view, 3)

    def retranslate(self) -> None:
        names = {"valley": self.tr("Long valley (Rosenbrock)"), "saddle": self.tr("Saddle"),
                 "noisy bowl": self.tr("Bowl with noisy gradients")}
        for i in range(self.surface_box.count()):
            self.surface_box.setItemText(i, names[self.surface_box.itemData(i)])
        self.surface_label.setText(self.tr("Loss surface"))
        self.step_button.setText(self.tr("Step"))
        self.reset_button.setText(self.tr("Reset"))
        self.hint.setText(self.tr("Click the surface to start every optimizer from there. "
                                  "A cross marks each minimum."))
        self._show_state()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def surface(self) -> Surface:
        return SURFACES[self.surface_box.currentData()]

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    @property
    def last_frame(self) -> int:
        return max((len(p.points) - 1 for p in self.paths), default=0)

    def on_surface_changed(self) -> None:
        surface = self.surface
        for name, spin in self.rates.items():
            spin.blockSignals(True)
            spin.setValue(surface.learning_rates[name])
            spin.blockSignals(False)
        self.start = surface.start
        self.view.set_surface(surface)
        self.reset()

    def on_start_chosen(self, x: float, y: float) -> None:
        self.start = (x, y)
        self.reset()
        self.play()

    def on_settings_changed(self) -> None:
        """A learning rate or an optimizer changed: new paths, at the same step."""
        self._compute()
        self.frame = min(self.frame, self.last_frame)
        self._show_state()

    def _compute(self) -> None:
        rates = {name: self.rates[name].value() for name in OPTIMIZERS_2D
                 if self.checks[name].isChecked()}
        self.paths = race_paths(self.surface, rates, self.start, self.steps)

    def reset(self) -> None:
        self.pause()
        self._compute()
        self.frame = 0
        self._show_state()

    def play(self) -> None:
        if self.frame >= self.last_frame:
            self.frame = 0
        self.timer.start()
        self._show_state()

    def pause(self) -> None:
        self.timer.stop()
        self._show_state()

    def on_play_clicked(self) -> None:
        self.pause() if self.playing else self.play()

    def step_once(self) -> None:
        self.pause()
        self._advance()

    def on_tick(self) -> None:
        self._advance()
        if self.frame >= self.last_frame:
            self.pause()

    def _advance(self) -> None:
        if self.frame < self.last_frame:
            self.frame += 1
            self._show_state()
            self.frameShown.emit(self.frame)

    def _show_state(self) -> None:
        self.play_button.setText(self.tr("Pause") if self.playing else self.tr("Play"))
        self.step_label.setText(self.tr("step {0} of {1}").format(self.frame, self.steps))
        shown = {path.optimizer: path for path in self.paths}
        for name, label in self.legend.items():
            path = shown.get(name)
            if path is None:
                label.setText("")
            elif path.escaped_at is not None and self.frame >= path.escaped_at:
                label.setText(self.tr("left the surface at step {0}").format(path.escaped_at))
            else:
                loss = path.losses[min(self.frame, len(path.losses) - 1)]
                label.setText(self.tr("loss {0}").format(f"{loss:.4g}"))
        self.view.show_paths(self.paths, self.frame)
