"""A window opened and closed is freed: nothing freezes its objects out of the collector's
reach (the heap is frozen before the window and once more, per process, after torch's
imports), and nothing else keeps it alive. Five windows opened and closed in one process
leave at most one alive."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QEventLoop, QTimer


def _spin(ms: int = 50) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def test_five_windows_opened_and_closed_are_freed(qtbot):
    from PySide6.QtWidgets import QApplication

    from mnistpad.core.training.warmup import import_training_machinery
    from mnistpad.ui import MainWindow
    from mnistpad.ui.shell import runtime

    import_training_machinery()  # the process's one freeze (torch's imports): done first
    alive, frozen = [], gc.get_freeze_count()
    for _ in range(5):
        window = MainWindow()
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda w=window: w.state.models_ready, timeout=120_000)
        runtime.settle_heap()  # a window exists: it must not freeze anything
        alive.append(weakref.ref(window))
        window.close()
        window.deleteLater()
        del window
        _spin()
    QApplication.sendPostedEvents(None, 0)  # the deferred deletes
    _spin()
    gc.collect()
    assert sum(ref() is not None for ref in alive) <= 1
    assert gc.get_freeze_count() <= frozen  # nothing frozen since (frozen objects freed)
