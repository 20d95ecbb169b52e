"""The house by stage: each package imports only earlier stages and the shared top-level modules."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"
# Stages in the order a case flows through them; each may import only those before it.
STAGES = ("cases", "figures", "cache", "charts", "sharing", "site", "contribute")
SHARED = ("errors", "schema", "vocabulary", "settings", "processes")  # imported by any stage
ADAPTERS = ("cli", "plugin")  # run the stages; nothing imports them
RENDERING_LIBRARIES = {
    "altair",
    "vl_convert",
    "jinja2",
    "markupsafe",
    "nh3",
    "markdown_it",
    "mkdocs",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Return every module a file imports, at any depth (inside functions and TYPE_CHECKING too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "generator":
                found.update(f"generator.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def rank(module: str) -> float:
    """Return a module's place: shared modules first, then the stages in order, adapters last."""
    part = module.split(".")[1] if module.count(".") else ""
    if part in SHARED or module == "generator":
        return 0
    if part in STAGES:
        return 1 + STAGES.index(part)
    if part in ADAPTERS:
        return 99
    raise AssertionError(f"{module} is in no stage: put it in one of {STAGES} or {SHARED}")


def test_every_module_belongs_to_a_stage() -> None:
    for module in MODULES:
        rank(module)
    top_level = {m.split(".")[1] for m in MODULES if m.count(".") == 1}
    assert top_level <= set(STAGES) | set(SHARED) | set(ADAPTERS)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_no_later_stage(module: str) -> None:
    own = rank(module)
    later = sorted(
        imported
        for imported in MODULES[module]
        if imported.startswith("generator.") and imported in MODULES and rank(imported) > own
    )
    assert not later, f"{module} (stage {own}) imports later stages: {later}"


def test_shared_modules_import_no_stage() -> None:
    for module, imported in MODULES.items():
        if rank(module) == 0:
            stages = [i for i in imported if i.startswith("generator.") and rank(i) > 0]
            assert not stages, f"{module} is shared but imports {stages}"


def test_figures_import_no_rendering_code() -> None:
    for module, imported in MODULES.items():
        if module.startswith("generator.figures"):
            roots = {name.split(".")[0] for name in imported}
            assert not roots & RENDERING_LIBRARIES, (
                f"{module} imports {roots & RENDERING_LIBRARIES}"
            )
            assert not any(i.startswith("generator.cases") for i in imported), module


def test_the_import_graph_has_no_cycle() -> None:
    graph = defaultdict(set)
    for module, imported in MODULES.items():
        graph[module] = {i for i in imported if i in MODULES and i != module}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for module in MODULES:
        if module not in state:
            visit(module, [])


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_it_does_and_may_import(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text()))
    assert doc is not None and len(doc.splitlines()) <= 3
    assert doc.startswith(f"Stage {STAGES.index(stage) + 1}, {stage}:")
    assert "May import:" in doc


@pytest.mark.parametrize("stage", STAGES)
def test_tests_mirror_the_packages(stage: str) -> None:
    assert (ROOT / "tests" / stage).is_dir(), (
        f"tests/{stage}/ holds the tests of generator/{stage}/"
    )


def test_the_readme_describes_every_stage() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the code is organised", 1)[1].split("\n## ", 1)[0]
    for stage in STAGES:
        assert f"`{stage}/`" in section, f"README's architecture section leaves out {stage}/"
    for module in (*SHARED, *ADAPTERS):
        assert f"`{module}.py`" in section
