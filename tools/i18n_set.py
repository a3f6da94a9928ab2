"""Set Korean translations by hand: ``python tools/i18n_set.py 'English' '한국어' ...`` (pairs).
Fills the unfinished messages of mnistpad_ko.ts with that source, in every context; then run
``python tools/i18n_carry.py`` to compile."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

TS = Path(__file__).resolve().parents[1] / "mnistpad" / "ui" / "i18n" / "mnistpad_ko.ts"


def main(pairs: list[str]) -> int:
    text = TS.read_text(encoding="utf-8")
    for source, korean in zip(pairs[::2], pairs[1::2], strict=True):
        quoted = escape(source, {'"': "&quot;", "'": "&apos;"})
        pattern = re.compile(r"(<source>" + re.escape(quoted)
                             + r'</source>\s*<translation) type="unfinished"></translation>')
        text, count = pattern.subn(
            lambda m, korean=korean: f"{m.group(1)}>{escape(korean)}</translation>", text)
        print(f"{count} x {source}")
    TS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
