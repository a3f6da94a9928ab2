"""The house's layers, checked statically from every module's imports (module-level and
inside functions alike), with no process started:

- the core imports neither Qt nor the ui or the commands: it works with no display at all;
- the commands import no Qt when they load (the window is started from inside a function);
- no view imports another view: views talk through the app state and signals; the shell
  composes them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mnistpad"
QT = ("PySide6", "pyqtgraph", "shiboken6")
VIEWS = ("draw", "train", "evaluate", "samples", "inside", "lessons")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, whether at module level) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    for node in tree.body:  # imports under `if TYPE_CHECKING:` never run
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            top |= {id(n) for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(f"{node.module}.{alias.name}", id(node) in top) for alias in node.names]
            found.append((node.module, id(node) in top))
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
           if "data" not in p.relative_to(PACKAGE).parts[:1]}


def _under(name: str, *roots: str) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


def test_the_walk_sees_the_whole_house():
    assert {"mnistpad.core.models.specs", "mnistpad.cli", "mnistpad.ui.shell.main_window",
            "mnistpad.ui.draw.canvas"} <= set(MODULES)


@pytest.mark.parametrize("name", [m for m in MODULES if _under(m, "mnistpad.core")])
def test_the_core_imports_no_qt_no_ui_no_commands(name):
    wrong = [m for m, _ in imports(MODULES[name])
             if _under(m, *QT, "mnistpad.ui", "mnistpad.cli")]
    assert wrong == []


def _loads_at_import(name: str, seen: set[str]) -> set[str]:
    """Every module that importing ``name`` loads (module-level imports, followed through the
    project's own modules and the packages above them)."""
    if name in seen:
        return seen
    seen.add(name)
    if name not in MODULES:
        return seen
    parts = name.split(".")
    for i in range(1, len(parts)):
        _loads_at_import(".".join(parts[:i]), seen)
    for imported, at_top in imports(MODULES[name]):
        if at_top:
            _loads_at_import(imported, seen)
    return seen


@pytest.mark.parametrize("name", [m for m in MODULES if _under(m, "mnistpad.cli")
                                  or _under(m, "mnistpad.core")])
def test_loading_a_command_or_the_core_loads_no_qt(name):
    loaded = _loads_at_import(name, set())
    assert [m for m in loaded if _under(m, *QT, "mnistpad.ui")] == []


@pytest.mark.parametrize("view", VIEWS)
def test_no_view_imports_another_view(view):
    own = f"mnistpad.ui.{view}"
    others = [f"mnistpad.ui.{v}" for v in VIEWS if v != view]
    wrong = sorted({f"{name} -> {m}" for name, path in MODULES.items() if _under(name, own)
                    for m, _ in imports(path) if _under(m, *others)})
    assert wrong == []
