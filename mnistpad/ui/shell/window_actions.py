"""The window's actions and menus (File, Edit, View, Help) and the drawing toolbar.

Their texts are set in :meth:`WindowActions.retranslate`, which runs when they are built and
again on every language change (Qt's retranslate idiom); the views add their own menus
(Training, Handwriting) between View and Help.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSlider, QToolBar

from mnistpad.ui.draw.canvas import MAX_PEN_WIDTH, MIN_PEN_WIDTH
from mnistpad.ui.i18n.translations import add_language_menu
from mnistpad.ui.shell.folder_actions import FolderActions
from mnistpad.ui.widgets.appearance import add_appearance_menu

K = QKeySequence


class WindowActions(QObject):
    """Builds the window's menus and toolbar; ``window`` provides the slots (on_*)."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        canvas = window.draw.canvas
        self.open_image = self._action(window.files.on_open_image, K.StandardKey.Open)
        self.open_model = self._action(window.files.on_open_model, K("Ctrl+Shift+O"))
        self.save = self._action(window.files.on_save_drawing, K.StandardKey.Save)
        self.show_code = self._action(window.on_show_code, K("Ctrl+Shift+C"))
        self.quit = self._action(window.close, K.StandardKey.Quit)
        self.undo = self._action(canvas.undo, K.StandardKey.Undo)
        self.redo = self._action(canvas.redo, [K("Ctrl+Shift+Z"), K("Ctrl+Y")])
        self.clear = self._action(canvas.clear, [K(Qt.Key.Key_Escape), K(Qt.Key.Key_Delete)])
        self.eraser = self._action(canvas.set_erasing, K("E"), checkable=True)
        self.thicker = self._action(lambda: self.nudge_pen(2), K("]"))
        self.thinner = self._action(lambda: self.nudge_pen(-2), K("["))
        self.dropout = self._action(window.draw.set_dropout_shown, K("Ctrl+D"), checkable=True)
        self.shortcuts = self._action(window.on_shortcuts, K.StandardKey.HelpContents)
        self.about = self._action(window.on_about)
        self.pen_slider = QSlider(Qt.Orientation.Horizontal, objectName="penWidth")
        self.pen_slider.setRange(MIN_PEN_WIDTH, MAX_PEN_WIDTH)
        self.pen_slider.setValue(int(canvas.pen_width))
        self.pen_slider.setFixedWidth(120)
        self.pen_slider.valueChanged.connect(canvas.set_pen_width)
        self._build_menus()
        self._build_toolbar()
        self.retranslate()
        window.installEventFilter(self)

    def _action(self, slot, shortcut=None, checkable: bool = False) -> QAction:
        action = QAction(self.window, checkable=checkable)
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(shortcut)
        (action.toggled if checkable else action.triggered).connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.window.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addActions([self.open_image, self.open_model, self.save,
                                   self.show_code])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addActions([self.undo, self.redo, self.clear])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([self.eraser, self.thicker, self.thinner])
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.dropout)
        self.language_actions = add_language_menu(self.view_menu, "",
                                                  self.window.choose_language)
        self.language_menu = next(iter(self.language_actions.values())).parent()
        self.appearance_menu = add_appearance_menu(self.window, self.view_menu,
                                                   self.window._settings)
        self.view_menu.addSeparator()
        self.help_menu = bar.addMenu("")
        self.help_menu.addActions([self.shortcuts, self.about])
        self.folders = FolderActions(self.window, self.help_menu)

    def _build_toolbar(self) -> None:
        bar = self.toolbar = QToolBar(objectName="drawingToolbar")
        self.model_label, self.brush_label = QLabel(), QLabel()
        bar.addWidget(self.model_label)
        bar.addWidget(self.window.picker)
        # the drawing tools show on the Draw tab only; the model list everywhere
        self.drawing_tools = [bar.addSeparator(), bar.addWidget(self.brush_label),
                              bar.addWidget(self.pen_slider)]
        for action in (self.eraser, self.undo, self.redo, self.clear, self.open_image):
            bar.addAction(action)
            self.drawing_tools.append(action)
        self.window.addToolBar(bar)
        self.view_menu.addAction(bar.toggleViewAction())

    def add_menu(self, menu: QMenu) -> None:
        """A view's menu, before Help."""
        self.window.menuBar().insertMenu(self.help_menu.menuAction(), menu)

    def add_view_action(self, action: QAction) -> None:
        self.view_menu.addAction(action)

    def nudge_pen(self, step: int) -> None:
        self.pen_slider.setValue(self.pen_slider.value() + step)

    def menu_actions(self) -> list[QAction]:
        """Every action of every menu in the menu bar (views' menus and submenus too), in
        menu order."""
        def walk(menu: QMenu) -> list[QAction]:
            found = []
            for action in menu.actions():
                found += walk(action.menu()) if action.menu() is not None else [action]
            return found

        return [a for top in self.window.menuBar().actions() if top.menu() is not None
                for a in walk(top.menu())]

    def retranslate(self) -> None:
        texts = (
            (self.open_image, self.tr("&Open Image…"), self.tr("Classify a digit from an "
                                                              "image file")),
            (self.open_model, self.tr("Open &Model…"), self.tr("Load a .safetensors model "
                                                              "file")),
            (self.save, self.tr("&Save Drawing…"), self.tr("Save the drawing as a PNG image")),
            (self.show_code, self.tr("Show as &PyTorch Code…"), self.tr(
                "The active model as a standalone PyTorch script, written the way the lab "
                "code reads")),
            (self.quit, self.tr("&Quit"), ""),
            (self.undo, self.tr("&Undo"), self.tr("Undo the last stroke (Ctrl+Z)")),
            (self.redo, self.tr("&Redo"), self.tr("Redo the stroke undone last "
                                                  "(Ctrl+Shift+Z)")),
            (self.clear, self.tr("&Clear"), self.tr("Clear the canvas (Esc or Delete)")),
            (self.eraser, self.tr("&Eraser"), self.tr("Erase instead of drawing (E)")),
            (self.thicker, self.tr("Thicker Brush"), ""),
            (self.thinner, self.tr("Thinner Brush"), ""),
            (self.dropout, self.tr("Readings With &Dropout On"), self.tr(
                "Also show what the model would read with dropout left on, as while "
                "training")),
            (self.shortcuts, self.tr("&Keyboard Shortcuts"), ""),
            (self.about, self.tr("&About mnistpad"), ""),
        )
        for action, text, tip in texts:
            action.setText(text)
            action.setToolTip(tip or text.replace("&", ""))
            action.setStatusTip(tip or text.replace("&", ""))
        for menu, title in ((self.file_menu, self.tr("&File")), (self.edit_menu, self.tr("&Edit")),
                            (self.view_menu, self.tr("&View")),
                            (self.language_menu, self.tr("&Language")),
                            (self.help_menu, self.tr("&Help"))):
            menu.setTitle(title)
        self.folders.retranslate()
        self.toolbar.setWindowTitle(self.tr("Drawing Toolbar"))
        self.toolbar.toggleViewAction().setText(self.tr("Drawing Toolbar"))
        self.model_label.setText(self.tr(" Model: "))
        self.brush_label.setText(self.tr(" Brush: "))
        self.pen_slider.setToolTip(
            self.tr("Brush width (the default matches MNIST's stroke thickness)"))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False
