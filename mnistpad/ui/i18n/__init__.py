"""The window's languages: Qt translations (English plurals, Korean), and words that several
views share: words that change with a digit, the default model's reading in parts.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "digit_words",
    "parts_text",
    "translations",
]
