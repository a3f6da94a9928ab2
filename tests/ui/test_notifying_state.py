"""One notifying state: every field of the app state that a view shows emits its signal when
it changes, however it is assigned (issue 35, item 1)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from faults.hostile import softmax_model
from PySide6.QtCore import QSettings

from mnistpad.core.files.modelfile import read_info
from mnistpad.core.models.registry import scan
from mnistpad.core.platform.errors import ModelFileError
from mnistpad.ui.state.app_state import AppState
from mnistpad.ui.state.jobs import JobRunner
from mnistpad.ui.state.notifying import Notifying, notifying_fields
from mnistpad.ui.state.reading import Reading

# each field a view shows, and the signal that tells it
SHOWN = {"catalog": "catalogChanged", "active": "activeModelChanged",
         "reading": "readingChanged", "data_dir": "dataDirChanged"}


class Recorder:
    """Every emission of the state's signals, in order: (signal, arguments)."""

    def __init__(self, state: AppState):
        self.seen: list[tuple[str, tuple]] = []
        for name in (*SHOWN.values(), "drawingSettled"):
            getattr(state, name).connect(lambda *args, name=name: self.seen.append((name, args)))

    def names(self) -> list[str]:
        return [name for name, _args in self.seen]


@pytest.fixture
def state(tmp_path, mnistpad_home):
    """A state over two user models (no torch loaded): "mine" active, "other" beside it."""
    folder = mnistpad_home / "models"
    folder.mkdir()
    softmax_model(folder / "mine.safetensors")
    softmax_model(folder / "other.safetensors")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    app_state = AppState(JobRunner(), settings, scan())
    app_state.activate(app_state.find_name("mine"))
    yield app_state
    app_state.shutdown()


def test_every_field_a_view_shows_is_a_notifying_one_with_its_signal():
    fields = notifying_fields(AppState)
    assert {name: field.signal for name, field in fields.items()} == SHOWN
    assert all(isinstance(getattr(AppState, name), Notifying) for name in SHOWN)


def test_assigning_any_field_emits_its_signal_with_the_new_value(state, tmp_path):
    new_values = {"catalog": scan(), "active": state.find_name("other"),
                  "reading": Reading(pixels=np.zeros((28, 28))), "data_dir": tmp_path}
    for name, value in new_values.items():
        seen = Recorder(state)
        setattr(state, name, value)
        assert seen.names() == [SHOWN[name]], name
        carried = seen.seen[0][1]
        assert carried == ((value,) if notifying_fields(AppState)[name].carries_value else ())
        assert getattr(state, name) is value


def test_an_assignment_that_changes_nothing_emits_nothing(state):
    seen = Recorder(state)
    state.active = read_info(state.active.path)  # an equal entry, read again
    state.data_dir = state.data_dir
    assert seen.seen == []


def test_adding_a_file_tells_the_catalog_and_the_active_model_when_its_entry_changed(state):
    mine = state.active
    seen = Recorder(state)
    state.add_file(mine.path.with_name("other.safetensors"))  # listed already, unchanged
    assert seen.names() == ["catalogChanged"]
    assert state.active == mine

    softmax_model(mine.path, test_accuracy="0.5")  # the active model's file written again
    seen = Recorder(state)
    added = state.add_file(mine.path)
    assert seen.names() == ["catalogChanged", "activeModelChanged"]
    assert seen.seen[1][1] == (added,) and state.active is added
    assert added.test_accuracy == 0.5 and mine.test_accuracy == 0.9


def test_a_model_from_elsewhere_is_listed_and_told(state, tmp_path):
    seen = Recorder(state)
    outside = state.add_file(softmax_model(tmp_path / "outside.safetensors"))
    assert seen.names() == ["catalogChanged"]
    assert state.find(outside.path) == outside


def test_activating_tells_the_views_once_and_reads_again(state):
    seen = Recorder(state)
    other = state.find_name("other")
    state.activate(other)
    assert seen.names() == ["activeModelChanged", "readingChanged", "drawingSettled"]
    assert seen.seen[0][1] == (other,)


def test_a_drawing_is_one_reading_told_once(state):
    seen = Recorder(state)
    pixels = np.zeros((28, 28), np.float32)
    state.set_pixels(pixels, settled=False)
    assert seen.names() == ["readingChanged"]
    assert state.pixels is pixels and state.strokes is None and state.reading.pixels is pixels
    with pytest.raises(AttributeError):
        state.pixels = None  # the reading is replaced whole, never a part of it unseen


def test_choosing_the_mnist_folder_is_told(state, mnist_dir):
    seen = Recorder(state)
    assert state.set_data_dir(mnist_dir) == []
    assert seen.seen == [("dataDirChanged", (mnist_dir,))] and state.data_source == "settings"


def test_the_model_picked_is_remembered_for_the_commands_too(state, mnistpad_home):
    other = state.find_name("other")
    state.activate(other)
    config = json.loads((mnistpad_home / "config.json").read_text(encoding="utf-8"))
    assert config["model"] == str(other.path)
    assert state.settings.value("model") == str(other.path)


def test_an_active_model_that_cannot_be_loaded_hands_over_and_says_so(state, monkeypatch,
                                                                      qtbot):
    from mnistpad.core.reading.classify import Classifier

    mine = state.active
    fallback = next(m for m in state.models() if m.path != mine.path)  # the first listed
    real = Classifier.from_file.__func__

    def refuse_mine(cls, path, device="cpu"):
        if Path(path) == mine.path:
            raise ModelFileError(f"{path}: refused")
        return real(cls, path, device)

    monkeypatch.setattr(Classifier, "from_file", classmethod(refuse_mine))
    seen = Recorder(state)
    with qtbot.waitSignal(state.modelsLoaded, timeout=120_000):
        state.start_loading()
    told = [args for name, args in seen.seen if name == "activeModelChanged"]
    assert told and all(args == (fallback,) for args in told)  # hand-over, then its arrival
    assert state.active == fallback and state.unusable(mine.path) == f"{mine.path}: refused"
