"""The README's model table, with every figure taken from the models' recorded measurements.

    python bench/readme_models.py [--write]

Prints the table of "The models" in README.md with its "MNIST test", "drawn digits" and
"params" cells replaced by what ``mnistpad models --json`` reports for each shipped model
(recorded by ``mnistpad eval --record``, or ``tools/record_shipped.py`` for the shipped
files); a drawn figure read with the strokes too (the default's, as the app reads a drawing)
has its parts beside it (:func:`drawn_cell`); the other cells (the lecture's figure, what
changed, file size, training time) are kept as they are. ``--write`` puts it into README.md.
Exits 1 when a row names a model that is not shipped, or a model lacks a recorded figure or
has a stale one (measured with another renderer version or other pen digits).
``tests/test_recorded_figures.py`` fails while the README and the models disagree.
"""

from __future__ import annotations

import argparse
import sys

import _common  # puts this checkout first on the import path

README = _common.REPO_ROOT / "README.md"
HEADER = "| model | lab |"


def table_lines(lines: list[str]) -> tuple[int, int]:
    """(first, end) line numbers of the model table (header, rule and rows)."""
    first = next(i for i, line in enumerate(lines) if line.startswith(HEADER))
    end = first
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return first, end


def model_name(cell: str) -> str:
    return cell.replace("**", "").replace("(default)", "").strip()


def drawn_cell(row: dict) -> str:
    """The "drawn digits" cell of a ``models --json`` row: the headline figure and, for a
    reading of picture and strokes together, its two parts."""
    cell = _common.pct(row["drawn_acc"])
    if row["drawn_strokes_acc"] is not None:
        cell += (f" (picture {_common.pct(row['drawn_picture_acc'])}, strokes "
                 f"{_common.pct(row['drawn_strokes_acc'])})")
    return cell


def _bold_cell(old: str, value: str) -> str:
    """``value`` in the style of ``old``: a bold cell keeps its figure bold, not its parts."""
    if not old.strip().startswith("**"):
        return value
    head, _, parts = value.partition(" (")
    return f"**{head}**" + (f" ({parts}" if parts else "")


def rows_from_recorded(lines: list[str], models: dict[str, dict]) -> tuple[list[str], list]:
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    at = {name: header.index(name) for name in ("model", "MNIST test", "drawn digits", "params")}
    out, problems = lines[:2], []
    for line in lines[2:]:
        cells = line.strip().strip("|").split("|")
        row = models.get(model_name(cells[at["model"]]))
        if row is None or row["test_acc"] is None or row["drawn_acc"] is None:
            problems.append(f"{model_name(cells[at['model']])}: not shipped, or not recorded")
            out.append(line)
            continue
        for column, value in (("MNIST test", _common.pct(row["test_acc"])),
                              ("drawn digits", drawn_cell(row)),
                              ("params", f"{row['parameters']:,}")):
            cells[at[column]] = f" {_bold_cell(cells[at[column]], value)} "
        out.append("|" + "|".join(cells) + "|")
    return out, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update README.md in place")
    args = parser.parse_args()
    from mnistpad.cli.models import model_row
    from mnistpad.core.models.registry import scan
    from mnistpad.core.platform.paths import shipped_models_dir

    catalog = scan([shipped_models_dir()])
    models = {m.name: model_row(m, True) for m in catalog.models}
    lines = README.read_text(encoding="utf-8").splitlines()
    first, end = table_lines(lines)
    table, problems = rows_from_recorded(lines[first:end], models)
    print("\n".join(table))
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    if args.write and not problems:
        README.write_text("\n".join(lines[:first] + table + lines[end:]) + "\n",
                          encoding="utf-8")
        print(f"wrote {README}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
