"""Korean that reads as a person wrote it: no bracketed particle pair ("을(를)", "(으)로",
"이(가)") in any translation, and a digit's particle looked up from how the digit is read."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from mnistpad.ui.i18n.digit_words import digit_fields, say_digit

TS = Path(__file__).resolve().parents[2] / "mnistpad" / "ui" / "i18n" / "mnistpad_ko.ts"
BRACKETED_PAIR = re.compile(r"\((?:을|를|으|이|가|은|는|와|과)\)"
                            r"|[을이은와과]\((?:를|가|는|와|과)\)")


def _translations() -> list[tuple[str, str]]:
    found = []
    for message in ET.parse(TS).getroot().iter("message"):
        translation = message.find("translation")
        forms = [f.text or "" for f in translation.findall("numerusform")] or \
            [translation.text or ""]
        found += [(message.find("source").text, form) for form in forms]
    return found


def test_no_translation_has_a_bracketed_particle_pair():
    assert len(_translations()) > 300
    paired = [(source, korean) for source, korean in _translations()
              if BRACKETED_PAIR.search(korean)]
    assert not paired, "\n".join(f"{s!r}: {k!r}" for s, k in paired)


def test_the_pattern_catches_each_pair():
    for text in ("{0}을(를) 그리세요", "{0}(으)로 읽음", "{0}이(가) 맞음", "{0}은(는)",
                 "{0}과(와)"):
        assert BRACKETED_PAIR.search(text), text


def test_digit_particle_fields_appear_only_where_the_code_fills_them():
    """A field like {을} in a translation whose source has no {a} would be left unfilled
    (str.format would fail): only say_digit's texts, whose sources name {a}, may use them."""
    fields = re.compile(r"\{(?:을|이|은|과|으로)\}")
    stray = [(s, k) for s, k in _translations() if fields.search(k) and "{a}" not in s]
    assert not stray, stray


def test_digit_particles_follow_how_the_digit_is_read():
    said = {d: (say_digit("{0}{을}", d), say_digit("{0}{으로}", d), say_digit("{0}{이}", d))
            for d in range(10)}
    assert said[2] == ("2를", "2로", "2가") and said[3] == ("3을", "3으로", "3이")
    assert said[1] == ("1을", "1로", "1이") and said[0] == ("0을", "0으로", "0이")
    assert said[8][1] == "8로" and said[6][1] == "6으로" and said[9][0] == "9를"


def test_english_article_by_digit():
    assert say_digit("Draw {a} {0}", 8) == "Draw an 8"
    assert [d for d in range(10) if digit_fields(d)["a"] == "an"] == [8]
