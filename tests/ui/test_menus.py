"""The menu bar in English and Korean: every mnemonic the bar and the tabs answer to (Alt+key)
is unique, and Help > Keyboard Shortcuts lists every menu's shortcuts, the views' menus too,
without mnemonics."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtWidgets import QMessageBox

from mnistpad.ui.i18n import translations
from mnistpad.ui.shell.help_dialogs import plain_text, shortcut_rows


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _alt_keys(window) -> list[tuple[str, str | None]]:
    titles = [a.text() for a in window.menuBar().actions() if a.menu() is not None]
    titles += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    return [(title, _mnemonic(title)) for title in titles]


@pytest.fixture
def english_afterwards():
    yield
    translations.set_language("en")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_menu_bar_and_tab_mnemonic_is_unique(window, english_afterwards, language):
    window.choose_language(language)
    keys = _alt_keys(window)
    assert len(keys) >= 10  # File Edit View Training Handwriting Help and four tabs
    assert all(key for _title, key in keys), keys
    twice = [k for k, n in Counter(k for _t, k in keys).items() if n > 1]
    assert not twice, [(t, k) for t, k in keys if k in twice]


def test_shortcuts_list_the_training_and_handwriting_menus(window):
    rows = dict(shortcut_rows(window.menus.menu_actions()))
    assert rows["Teach mnistpad My Handwriting"] == "Ctrl+Shift+T"
    assert rows["Personalize the Active Model"] == "Ctrl+Shift+P"


def test_korean_shortcut_rows_have_no_mnemonic(window, english_afterwards, monkeypatch):
    window.choose_language("ko")
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    window.on_shortcuts()
    cells = re.findall(r"<tr><td>(.*?)</td>", shown[0].text())
    assert "이미지 열기" in cells and "손글씨 가르치기" in " ".join(cells)
    assert not [c for c in cells if re.search(r"\([A-Z]\)|&", c)]


def test_plain_text_drops_both_mnemonic_styles():
    assert plain_text("이미지 열기(&O)…") == "이미지 열기"
    assert plain_text("&Open Image…") == "Open Image"
    assert plain_text("Save && Quit") == "Save & Quit"
