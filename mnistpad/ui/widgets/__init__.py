"""Widgets shared by several views: probability bars, histograms, pictures of numbers, the
run chart, the layer table, accessibility and appearance.

Nothing is imported here: each module is imported where it is used (several import torch,
which the window loads only after it is on screen).
"""

__all__ = [
    "accessibility",
    "appearance",
    "cell_map",
    "colour_key",
    "histogram",
    "layer_table",
    "probabilities",
    "rich_text",
    "run_chart",
]
