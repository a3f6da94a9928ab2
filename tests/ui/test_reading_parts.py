"""The default model's two readers shown where its reading is shown: the every-model table
(its combined reading and its parts), the Inside panel (the parts, the combination and the
trajectory) and the Evaluate tab (picture, strokes and together on the writers' digits; the
pictures alone on MNIST test, said)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.strokes.combination import Combination, read_drawing
from mnistpad.core.strokes.features import trajectory
from mnistpad.core.strokes.reader import shipped_stroke_model

from .conftest import MNIST_FIXTURE

XAVIER = shipped_models_dir() / "xavier.safetensors"
INDENT = "    "

pytestmark = pytest.mark.skipif(not shipped_stroke_model().is_file(),
                                reason="no shipped stroke model")


class CertainReader:
    """A stroke reader sure of one digit, whose file says to trust the strokes most: the
    combined reading then differs from the picture's."""

    def __init__(self, digit: int, real):
        self.digit = digit
        self.name = "certain"
        self.info = SimpleNamespace(path=real.info.path, name=self.name, metadata={
            "combination": Combination("mean", 0.1).to_json()})

    def probabilities(self, strokes) -> np.ndarray:
        return np.eye(10)[self.digit] * 0.99 + 0.001


def table(window) -> list[tuple[str, str, str]]:
    comparison = window.draw.reading.comparison
    return [tuple(comparison.item(r, c).text() for c in range(3))
            for r in range(comparison.rowCount())]


def rows_of(window, name: str) -> list[tuple[str, str, str]]:
    """The model's row and the part rows under it."""
    rows = table(window)
    start = next(i for i, row in enumerate(rows) if row[0] == name)
    end = next((i for i in range(start + 1, len(rows)) if not rows[i][0].startswith(INDENT)),
               len(rows))
    return rows[start:end]


def is_bold(window, name: str) -> bool:
    """Whether the model's row is marked as the active one's."""
    comparison = window.draw.reading.comparison
    row = next(r for r in range(comparison.rowCount()) if comparison.item(r, 0).text() == name)
    return comparison.item(row, 0).font().bold()


def with_drawn_active(window, qtbot):
    window.activate(window.state.find_name("drawn"))
    qtbot.waitUntil(lambda: window.state.stroke_reader is not None, timeout=60_000)


def test_the_table_shows_the_default_combined_with_its_parts(window, qtbot, stroke_samples,
                                                             draw_strokes, monkeypatch):
    state = window.state
    with_drawn_active(window, qtbot)
    draw_strokes(window.canvas, stroke_samples[0]["strokes"])
    picture = int(state.parts.image.argmax())
    other = (picture + 1) % 10
    certain = CertainReader(other, state.stroke_reader)
    monkeypatch.setattr(state, "stroke_reader_for", lambda info: certain)
    state.read()
    qtbot.waitUntil(lambda: rows_of(window, "drawn")[0][1] == str(other))
    drawn = rows_of(window, "drawn")
    assert window.draw.reading.prediction.text() == str(other)  # what the app says
    assert drawn[0][2] == f"{100 * state.probabilities[other]:.1f}%"
    assert drawn[1:] == [(INDENT + "picture", str(picture),
                          f"{100 * state.parts.image[picture]:.1f}%"),
                         (INDENT + "strokes", str(other), "99.1%")]
    # another model active: the default's row is still its combined reading
    window.activate(state.find_name("xavier"))
    qtbot.waitUntil(lambda: is_bold(window, "xavier"))  # the table shown for xavier now
    assert len(rows_of(window, "xavier")) == 1  # a lab variant: no parts
    assert [row[1] for row in rows_of(window, "drawn")] == [str(other), str(picture),
                                                            str(other)]
    # a picture has no strokes: the picture alone, and why
    window.activate(state.find_name("drawn"))
    window.canvas.set_picture(state.pixels)
    qtbot.waitUntil(lambda: len(rows_of(window, "drawn")) == 2)
    drawn = rows_of(window, "drawn")
    assert drawn[1][0] == INDENT + "picture alone: a picture has no strokes"
    assert drawn[0][1] == drawn[1][1] == str(picture)


def test_the_table_and_the_reading_agree_with_the_real_stroke_reader(window, qtbot,
                                                                      stroke_samples,
                                                                      draw_strokes):
    state = window.state
    with_drawn_active(window, qtbot)
    for sample in stroke_samples[:3]:
        window.canvas.clear()
        draw_strokes(window.canvas, sample["strokes"])
        parts = state.parts
        expected = [str(int(p.argmax())) for p in (parts.combined, parts.image, parts.strokes)]
        qtbot.waitUntil(lambda e=expected: [r[1] for r in rows_of(window, "drawn")] == e)
        assert window.draw.reading.prediction.text() == expected[0]


def open_inside(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.inside.isVisible)
    return window.inside


def test_inside_shows_the_parts_and_the_trajectory(window, qtbot, stroke_samples,
                                                   draw_strokes):
    state = window.state
    with_drawn_active(window, qtbot)
    panel = open_inside(window, qtbot)
    draw_strokes(window.canvas, stroke_samples[1]["strokes"])
    qtbot.waitUntil(lambda: panel.up_to_date)
    section, parts = panel.parts_section, state.parts
    assert section.isVisible() and parts.combination is not None
    assert [name for name, _ in section.bars.rows] == ["picture", "strokes", "together"]
    for (_, shown), wanted in zip(section.bars.rows, (parts.image, parts.strokes,
                                                      parts.combined), strict=True):
        assert np.array_equal(shown, wanted)
    digit = parts.digit
    words = ("log-probabilities" if parts.combination.rule == "log" else "probabilities")
    assert section.text.text().startswith(
        f"Reads {digit} ({100 * parts.combined[digit]:.1f}%)")
    assert f"weighted mean of the {words}: picture {parts.combination.image_weight:.1f}" \
        in section.text.text()
    assert np.array_equal(section.trajectory.features, trajectory(window.canvas.pen_strokes()))
    assert f"with the strokes it reads {digit}." in panel.summary.text()
    # a lab variant reads pictures only: no section
    window.activate(state.find_name("xavier"))
    qtbot.waitUntil(lambda: panel.up_to_date)
    assert not section.isVisible()
    # the default on a picture: the picture alone, and why
    window.activate(state.find_name("drawn"))
    window.canvas.set_picture(state.pixels)
    qtbot.waitUntil(lambda: panel.up_to_date)
    assert section.isVisible() and not section.trajectory.isVisible()
    assert [name for name, _ in section.bars.rows] == ["picture"]
    assert section.text.text() == "Read from the picture alone: a picture has no strokes."


def evaluated(panel, qtbot, model, data_set: str):
    with qtbot.waitSignal(panel.evaluated, timeout=240_000):
        panel.choose(model, data_set)
    return panel.evaluation


def test_evaluate_shows_three_figures_for_the_default_and_one_for_a_lab_variant(window,
                                                                                qtbot):
    panel, state = window.evaluate, window.state
    panel.refresh_choices()
    drawn = state.find_name("drawn").path
    ev = evaluated(panel, qtbot, drawn, "writers")
    parts, text = ev.parts, panel.summary.text()
    assert parts is not None and parts.stroke_model == state.stroke_reader.name
    figures = (parts.picture_accuracy, parts.strokes_accuracy, ev.accuracy)
    for figure in figures:
        assert f"<b>{100 * figure:.2f}%</b>" in text
    assert "the picture alone" in text and "the strokes alone" in text
    assert np.array_equal(panel.results.matrix.matrix, ev.confusion())  # the matrix: combined
    for i in (0, 500, 1_000):
        expected = read_drawing(ev.data.strokes[i], parts.picture.probabilities[i],
                                state.stroke_reader).combined
        assert np.abs(ev.probabilities[i] - expected).max() < 1e-6
    lab = evaluated(panel, qtbot, XAVIER, "writers")
    assert lab.parts is None and "strokes alone" not in panel.summary.text()
    assert panel.summary.text().count("%</b>") == 1
    again = evaluated(panel, qtbot, drawn, "writers")  # from the cache: the same, parts kept
    assert again is ev and "the strokes alone" in panel.summary.text()
    state.data_dir = MNIST_FIXTURE
    panel.refresh_choices()
    alone = evaluated(panel, qtbot, drawn, "mnist-test")
    assert alone.parts is None and len(alone) == 500
    assert ("<b>drawn</b> read the pictures alone: MNIST test has no strokes."
            in panel.summary.text())


def test_evaluate_says_so_when_the_stroke_reader_is_missing(window, qtbot, monkeypatch):
    panel, state = window.evaluate, window.state
    monkeypatch.setattr(state, "stroke_reader_for", lambda info: None)
    panel.refresh_choices()
    ev = evaluated(panel, qtbot, state.find_name("drawn").path, "writers")
    assert ev.parts is None
    assert ("<b>drawn</b> read the pictures alone: the stroke reader could not be loaded."
            in panel.summary.text())


@pytest.fixture
def english_afterwards():
    yield
    from mnistpad.ui.i18n import translations

    translations.set_language("en")


def test_the_parts_are_told_again_in_korean(window, qtbot, stroke_samples, draw_strokes,
                                           english_afterwards):
    with_drawn_active(window, qtbot)
    panel = open_inside(window, qtbot)
    draw_strokes(window.canvas, stroke_samples[2]["strokes"])
    qtbot.waitUntil(lambda: panel.up_to_date and len(rows_of(window, "drawn")) == 3)
    window.choose_language("ko")
    qtbot.waitUntil(lambda: [r[0] for r in rows_of(window, "drawn")[1:]] ==
                    [INDENT + "그림", INDENT + "획"])
    section = panel.parts_section
    assert section.text.text().startswith(f"판단: {window.state.parts.digit} (")
    assert "가중 평균(그림 " in section.text.text()
    assert [name for name, _ in section.bars.rows] == ["그림", "획", "결합"]
    assert section.heading.text() == "<b>두 가지 읽기: 그림과 획</b>"
