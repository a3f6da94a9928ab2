"""Round four, fault 1: `mnistpad code` (and File > Show as PyTorch Code, the same generator)
must never turn a model file's name or metadata into code. Scripts are generated for hostile
names and file names and then run, as learners are told to run them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from mnistpad.cli import main
from mnistpad.core.lessons.codegen import comment, script_for_file

from .hostile import softmax_model

# Each would run ``touch MARKER`` if pasted raw into a docstring, a string or a line of code.
HOSTILE_NAMES = {
    "docstring": 'x""";__import__("pathlib").Path("PWNED_NAME").touch();"""',
    "single-quoted docstring": "x''';__import__('pathlib').Path('PWNED_NAME2').touch();'''",
    "windows path": r"C:\Users\me\net",
    "trailing backslash": "net\\",
    "braces": "{__import__('pathlib').Path('PWNED_BRACES').touch()}",
    "korean": "내 숫자 모델",
}
HOSTILE_FILE_NAMES = {
    "double quote": 'w";__import__("pathlib").Path("PWNED_FILE").touch();".safetensors',
    "single quote": "w';__import__('pathlib').Path('PWNED_FILE2').touch();'.safetensors",
    "backslashes": r"C:\Users\net.safetensors",
    "korean": "숫자.safetensors",
}
# Runs every script given on its command line as a program, with no argument (the weights
# beside it), in one process: one torch import for all the cases.
RUNNER = """
import runpy, sys
for script in sys.argv[1:]:
    sys.argv = [script]
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        print(f"{script}: exit {exc.code}")
        raise
"""


def _scripts(folder: Path) -> list[Path]:
    """A model per hostile name and per hostile file name, each with its script written by
    the `code` command beside it; every script is valid Python."""
    scripts = []
    cases = [(f"n{i}.safetensors", name) for i, name in enumerate(HOSTILE_NAMES.values())]
    cases += [(file_name, None) for file_name in HOSTILE_FILE_NAMES.values()]
    for i, (file_name, name) in enumerate(cases):
        case = folder / f"case{i}"
        case.mkdir()
        model = softmax_model(case / file_name, **({"name": name} if name else {}))
        script = case / "net.py"
        assert main(["code", str(model), "--out", str(script)]) == 0
        ast.parse(script.read_text(encoding="utf-8"))  # compiles: no truncated escape
        scripts.append(script)
    return scripts


def test_hostile_names_and_file_names_give_scripts_that_run_no_payload(tmp_path):
    scripts = _scripts(tmp_path)
    proc = subprocess.run([sys.executable, "-c", RUNNER, *map(str, scripts)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("digit: ") == len(scripts), proc.stdout  # each read a digit
    assert not list(tmp_path.rglob("PWNED*")), "a name in a model file ran as code"


@pytest.mark.parametrize("name", list(HOSTILE_NAMES.values()), ids=list(HOSTILE_NAMES))
def test_a_models_name_reaches_the_script_only_as_a_comment(tmp_path, name):
    text = script_for_file(softmax_model(tmp_path / "m.safetensors", name=name))
    assert f"# Model: {name}: " in text
    tree = ast.parse(text)
    literals = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)]
    assert not any(name in str(value) for value in literals)


@pytest.mark.parametrize("file_name", list(HOSTILE_FILE_NAMES.values()),
                         ids=list(HOSTILE_FILE_NAMES))
def test_a_file_name_reaches_the_script_only_as_one_plain_string(tmp_path, file_name):
    text = script_for_file(softmax_model(tmp_path / file_name))
    tree = ast.parse(text)
    assigned = [node.value.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                and [getattr(t, "id", None) for t in node.targets] == ["WEIGHTS"]]
    assert assigned == [file_name]


@pytest.mark.parametrize("text", ["a\nimport os", "a\rb", "a\x0cb", "a\u2028b", "a\x85b",
                                  "a\x00b", "\ud800"])
def test_a_comment_line_stays_one_comment_whatever_its_text(text):
    line = comment(text)
    assert "\n" not in line and "\r" not in line and line.isprintable()
    tree = ast.parse(f"{line}\nx = 1\n")
    assert [type(node).__name__ for node in tree.body] == ["Assign"]


def test_the_script_run_without_weights_says_what_it_needs_in_one_line(tmp_path):
    model = softmax_model(tmp_path / "net.safetensors")
    script = tmp_path / "away" / "net.py"
    script.parent.mkdir()
    script.write_text(script_for_file(model), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "net.safetensors" in proc.stderr
    assert "usage: python net.py" in proc.stderr
