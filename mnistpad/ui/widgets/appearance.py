"""Light and dark: the app follows the system's colour scheme (Qt's style hints) and switches
live when it changes, unless View > Appearance forces Light or Dark (remembered in
settings.ini as ``appearance``).

The chrome follows the scheme through the application palette, which every custom-painted
view already reads (text, highlight); pyqtgraph's charts take their background and
foreground from it here (:func:`style_plot`). The canvas keeps white ink on black whatever
the scheme: that is what the model sees.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu

CHOICES = ("system", "light", "dark")
SETTINGS_KEY = "appearance"
_SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


def dark_palette() -> QPalette:
    """A dark palette (Fusion's colours, as KDE's Breeze Dark roughly has them), for platforms
    whose theme gives none when the scheme is dark."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    palette = QPalette()
    colours = {role.Window: (45, 45, 48), role.WindowText: (230, 230, 230),
               role.Base: (30, 30, 32), role.AlternateBase: (50, 50, 54),
               role.ToolTipBase: (60, 60, 64), role.ToolTipText: (230, 230, 230),
               role.PlaceholderText: (140, 140, 140), role.Text: (230, 230, 230),
               role.Button: (55, 55, 58), role.ButtonText: (230, 230, 230),
               role.BrightText: (255, 90, 90), role.Light: (80, 80, 84),
               role.Midlight: (65, 65, 68), role.Mid: (100, 100, 104),
               role.Dark: (25, 25, 27), role.Shadow: (0, 0, 0),
               role.Highlight: (61, 142, 201), role.HighlightedText: (255, 255, 255),
               role.Link: (100, 170, 240), role.LinkVisited: (170, 130, 230)}
    for colour_role, rgb in colours.items():
        palette.setColor(colour_role, QColor(*rgb))
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, colour_role, QColor(130, 130, 130))
    return palette


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` draws light text on a dark window (what the charts follow)."""
    return palette.window().color().lightness() < palette.windowText().color().lightness()


def style_plot(plot, palette: QPalette) -> None:
    """A pyqtgraph PlotWidget in ``palette``'s colours: its base as background, its text
    for the axes, their ticks and labels."""
    background, text = palette.base().color(), palette.windowText().color()
    plot.setBackground(background)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(text)
        axis.setTextPen(text)
    legend = plot.plotItem.legend
    if legend is not None:
        legend.setLabelTextColor(text)
        fill = QColor(background)
        fill.setAlpha(210)
        legend.setBrush(fill)


class Appearance(QObject):
    """The app's scheme: ``choice`` (one of :data:`CHOICES`), applied to the application's
    palette now and on every system change; ``schemeChanged(dark)`` after each."""

    schemeChanged = Signal(bool)

    def __init__(self, app: QApplication, store: QSettings):
        super().__init__(app)
        self.app, self.store = app, store
        choice = store.value(SETTINGS_KEY, "system")
        self.choice = choice if choice in CHOICES else "system"
        app.styleHints().colorSchemeChanged.connect(self.on_system_scheme_changed)
        self._ask_platform()
        self.apply()

    def set_choice(self, choice: str) -> None:
        """View > Appearance: ``choice`` now, and at the next start."""
        if choice not in CHOICES:
            raise ValueError(f"unknown appearance {choice!r}: one of {', '.join(CHOICES)}")
        self.choice = choice
        self.store.setValue(SETTINGS_KEY, choice)
        self._ask_platform()
        self.apply()

    def _ask_platform(self) -> None:
        """Tell the platform theme (Qt 6.8+) too, so that native parts (title bars) agree."""
        hints = self.app.styleHints()
        if self.choice == "system":
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(_SCHEMES[self.choice])

    def dark(self) -> bool:
        if self.choice != "system":
            return self.choice == "dark"
        return self.app.styleHints().colorScheme() == Qt.ColorScheme.Dark

    def on_system_scheme_changed(self, _scheme) -> None:
        if self.choice == "system":
            self.apply()

    def apply(self) -> None:
        """The palette for the scheme: the platform's own (reset) when it agrees, else ours
        (a platform that keeps its palette whatever the scheme)."""
        dark = self.dark()
        self.app.setPalette(QPalette())  # back to the platform's palette
        if is_dark(self.app.palette()) != dark:
            self.app.setPalette(dark_palette() if dark else self.app.style().standardPalette())
        self.schemeChanged.emit(dark)


_current: Appearance | None = None


def follow_appearance(app: QApplication, store: QSettings) -> Appearance:
    """The app's :class:`Appearance` (made once, with ``store`` for the remembered choice;
    a window with another settings file makes it follow that file's choice)."""
    global _current
    if _current is None or _current.app is not app:
        _current = Appearance(app, store)
    elif _current.store.fileName() != store.fileName():  # another user folder (tests)
        _current.store = store
        choice = store.value(SETTINGS_KEY, "system")
        _current.set_choice(choice if choice in CHOICES else "system")
    return _current


class AppearanceMenu(QMenu):
    """View > Appearance: System / Light / Dark, checked as chosen."""

    def __init__(self, appearance: Appearance, parent=None):
        super().__init__(parent, objectName="appearanceMenu")
        self.appearance = appearance
        group = QActionGroup(self, exclusive=True)
        self.choice_actions: dict[str, QAction] = {}
        for choice in CHOICES:
            action = QAction(self, checkable=True, objectName=f"appearance-{choice}")
            action.setChecked(choice == appearance.choice)
            action.triggered.connect(lambda _=False, c=choice: self.on_choice(c))
            group.addAction(action)
            self.addAction(action)
            self.choice_actions[choice] = action
        self.retranslate()

    def on_choice(self, choice: str) -> None:
        self.appearance.set_choice(choice)
        self.choice_actions[choice].setChecked(True)

    def retranslate(self) -> None:
        self.setTitle(self.tr("&Appearance"))
        for choice, text in (("system", self.tr("&System")), ("light", self.tr("&Light")),
                             ("dark", self.tr("&Dark"))):
            self.choice_actions[choice].setText(text)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def add_appearance_menu(window, view_menu: QMenu, store: QSettings) -> AppearanceMenu:
    """View > Appearance for ``window``, following the app's appearance (made here when the
    app was started without :func:`mnistpad.ui.shell.app.start`, as in tests)."""
    app = QGuiApplication.instance()
    menu = AppearanceMenu(follow_appearance(app, store), window)
    view_menu.addMenu(menu)
    return menu
