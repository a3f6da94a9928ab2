"""Round three, fault 7: a Samples tab of thousands of samples. Labelling a drawing used to
list and decode the whole folder again, full-size (3.7 s and 3.7 GB at 10,000 samples). Now
the tab keeps small thumbnails, and a labelled drawing adds one sample: counted here (files
listed, thumbnails decoded), not timed."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QObject, Signal

import mnistpad.ui.samples.panel as samples_panel
from mnistpad.core.data.samples import save_sample
from mnistpad.ui.samples.panel import THUMBNAIL, SamplesPanel
from mnistpad.ui.state.jobs import JobRunner

MANY = 1_500


class Teacher(QObject):
    """Stands for the teacher: the same signal, connected as ui/draw/teach.py connects it."""

    sampleSaved = Signal(str, int, bool)


@pytest.fixture
def many_samples(mnistpad_home):
    ink = np.zeros((280, 280), np.float32)
    ink[60:220, 130:150] = 1
    first = save_sample(1, ink, read_as=7)
    data = first.read_bytes()
    for i in range(MANY - 1):
        (first.parent / f"copy-{i:05d}.png").write_bytes(data)
    return first.parent


def test_7_labelling_adds_one_small_thumbnail_without_listing_the_folder(qtbot, many_samples,
                                                                        monkeypatch):
    panel = SamplesPanel(JobRunner())
    qtbot.addWidget(panel)
    assert panel.gallery.count() == MANY
    sizes = {size for i in range(0, MANY, 100)
             for size in panel.gallery.item(i).icon().availableSizes()}
    assert sizes and all(s.width() <= THUMBNAIL and s.height() <= THUMBNAIL for s in sizes)

    listed, decoded = [], []
    real_thumbnail = samples_panel.thumbnail
    monkeypatch.setattr(samples_panel, "list_samples", lambda *a: listed.append(a) or [])
    monkeypatch.setattr(samples_panel, "thumbnail",
                        lambda path, *ratio: decoded.append(path) or real_thumbnail(path, *ratio))
    teacher = Teacher()
    teacher.sampleSaved.connect(panel.refresh)  # as ui/draw/teach.py connects them
    ink = np.zeros((280, 280), np.float32)
    ink[60:220, 100:180] = 1
    path = save_sample(4, ink, read_as=4)
    teacher.sampleSaved.emit(str(path), 4, False)
    assert listed == [] and decoded == [path]
    assert panel.gallery.count() == MANY + 1
    assert f"({MANY + 1} in all" in panel.counts_label.text()
    assert "4: 1" in panel.counts_label.text()

    panel.filter.setCurrentIndex(5)  # "Only 4s": from the list kept, thumbnails cached
    assert panel.gallery.count() == 1 and listed == [] and decoded == [path]
