"""Bring mnistpad_ko.ts up to date with the sources, keeping every translation already made.

Run from the project's root: ``python tools/i18n_carry.py``. It runs ``pyside6-lupdate`` over
``mnistpad/ui/**/*.py`` (dropping strings no longer in the code), then fills each new or
unfinished message whose exact source text was already translated somewhere in the file
before (in any context: a string that moved from one class to another keeps its Korean),
compiles the .qm files, and lists what is left to translate by hand. The English file gets its
plural forms the same way (``-pluralonly``).
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "mnistpad" / "ui" / "i18n"


def _known(ts: Path) -> dict[str, list[str]]:
    """Every finished translation in ``ts``: source -> forms (one, or the plural forms)."""
    known: dict[str, list[str]] = {}
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished"):
            continue
        forms = [f.text or "" for f in translation.findall("numerusform")] or \
            [translation.text or ""]
        if all(forms):
            known.setdefault(message.findtext("source"), forms)
    return known


def _fill(ts: Path, known: dict[str, list[str]]) -> list[str]:
    """Fill the unfinished messages of ``ts`` from ``known``; returns the sources left."""
    tree = ET.parse(ts)
    left = []
    for context in tree.getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") != "unfinished":
                continue
            source = message.findtext("source")
            forms = known.get(source)
            if forms is None:
                left.append(f"{context.findtext('name')}: {source}")
                continue
            del translation.attrib["type"]
            plural = translation.findall("numerusform")
            if plural:
                for element, text in zip(plural, forms * len(plural), strict=False):
                    element.text = text
            else:
                translation.text = forms[0]
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                  encoding="utf-8")
    return left


def _lupdate(ts: Path, *flags: str) -> None:
    sources = sorted(str(p) for p in (ROOT / "mnistpad" / "ui").rglob("*.py"))
    subprocess.run(["pyside6-lupdate", *flags, "-locations", "none", "-no-obsolete", *sources,
                    "-ts", str(ts)], check=True, capture_output=True)


def main() -> int:
    korean = I18N / "mnistpad_ko.ts"
    known = _known(korean)
    _lupdate(korean)
    left = _fill(korean, known)
    _lupdate(korean)  # in lupdate's own layout, so that the suite's up-to-date check holds
    _lupdate(I18N / "mnistpad_en.ts", "-pluralonly")
    for name in ("mnistpad_ko", "mnistpad_en"):
        subprocess.run(["pyside6-lrelease", str(I18N / f"{name}.ts"), "-qm",
                        str(I18N / f"{name}.qm")], check=True, capture_output=True)
    for line in left:
        print("untranslated:", line)
    print(f"{len(left)} left to translate in {korean.relative_to(ROOT)}")
    return 0 if not left else 1


if __name__ == "__main__":
    sys.exit(main())
