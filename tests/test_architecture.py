"""The house keeps its shape: core never imports Streamlit, and its packages import only downwards.

    messages ← settings ← training ← analysis ← runs ← jobs, experiments ← classroom
    messages ← charts ← runs

The imports are read from the source (ast), so a lazy import inside a function counts too.
"""

import ast
import subprocess
import sys

import pytest

from tests import ROOT

CORE = ROOT / "core"
ALLOWED = {  # what each part of core may import from core
    "messages": set(),
    "settings": {"messages"},
    "charts": {"messages"},
    "training": {"messages", "settings"},
    "analysis": {"messages", "settings", "training"},
    "runs": {"messages", "settings", "charts", "training", "analysis"},
    "jobs": {"messages", "settings", "training", "analysis", "runs"},
    "experiments": {"messages", "settings", "training", "analysis", "runs"},
    "classroom": {"messages", "settings", "charts", "training", "analysis", "runs", "experiments"},
}
MODULES = sorted(p for p in CORE.rglob("*.py"))


def part_of(path) -> str:
    return path.relative_to(CORE).parts[0].removesuffix(".py")


def imported(path) -> set[str]:
    """The modules a file imports, absolute names."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_every_part_of_core_is_in_the_layer_table():
    assert {part_of(p) for p in MODULES} - {"__init__"} == set(ALLOWED)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(CORE).as_posix())
def test_a_core_module_imports_only_from_the_parts_below_it_and_never_from_the_app(path):
    part = part_of(path)
    names = imported(path)
    assert not {n for n in names if n.split(".")[0] in ("streamlit", "pages", "bench", "tests")}
    used = {n.split(".")[1] for n in names if n.startswith("core.") and n.count(".") >= 1}
    if part == "__init__":
        return
    assert used - ALLOWED[part] - {part} == set(), f"{path.name} reaches up into {used - ALLOWED[part] - {part}}"


def test_all_of_core_loads_without_streamlit():
    code = ("import sys, pkgutil, importlib, core\n"
            "for m in pkgutil.walk_packages(core.__path__, 'core.'): importlib.import_module(m.name)\n"
            "assert 'streamlit' not in sys.modules, 'streamlit was imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
