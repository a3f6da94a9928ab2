"""Words that change with the digit they go with: English's article ("a 7", "an 8") and
Korean's particles ("2를" but "3을", "2로" but "3으로"), read from how the digit is said (영, 일,
이, 삼, ...). A translatable text names them as fields: ``"Draw {a} {0}"`` in English,
``"{0}{을} 그리세요"`` in Korean, and :func:`say_digit` fills them for the digit ``{0}``."""

from __future__ import annotations

# the digits whose English name starts with a vowel sound ("eight")
_AN = {8}
# how each digit is read in Korean: 영 일 이 삼 사 오 육 칠 팔 구; which end in a consonant
# (받침), and which of those in ㄹ (which takes 로, as a vowel does)
_FINAL_CONSONANT = {0, 1, 3, 6, 7, 8}
_FINAL_RIEUL = {1, 7, 8}


def digit_fields(digit: int) -> dict[str, str]:
    """The article and the particles for ``digit`` (0-9), by field name."""
    consonant = digit in _FINAL_CONSONANT
    return {
        "a": "an" if digit in _AN else "a",
        "을": "을" if consonant else "를",
        "이": "이" if consonant else "가",
        "은": "은" if consonant else "는",
        "과": "과" if consonant else "와",
        "으로": "으로" if consonant and digit not in _FINAL_RIEUL else "로",
    }


def say_digit(template: str, digit: int, *rest) -> str:
    """``template`` (already translated) with ``{0}`` the digit, ``{1}``... ``rest``, and the
    article and particles fields for that digit."""
    return template.format(digit, *rest, **digit_fields(digit))
