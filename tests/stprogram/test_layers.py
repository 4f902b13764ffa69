"""Imports only point down the layers described in docs/architecture.md.

Every product module's imports are read from its source, function-level
imports included, and each imported project module must sit in the same layer
or a lower one. Migrations, tests and the development tools are exempt (the
tools sit on top and may import anything; product code never imports them).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "stprogram",
    "regions",
    "trainees",
    "supervision",
    "assessments",
    "inspections",
    "obligations",
    "devtools",
)

# Bottom first. A module may import modules of its own layer or any layer below.
LAYERS = ("base", "catalogue", "tenancy", "rules", "domain", "obligations", "reminders", "views")

# The longest matching prefix decides a module's layer.
PREFIXES = {
    "stprogram": "base",
    "assessments.catalogue": "catalogue",
    "regions": "tenancy",
    "regions.rules": "rules",
    "trainees": "domain",
    "supervision": "domain",
    "assessments": "domain",
    "inspections": "domain",
    "obligations": "obligations",
    "stprogram.reminders": "reminders",
    # Onboarding writes across the domain apps and stores the new trainees'
    # obligations: it lives with the region's tables but sits above the records.
    "regions.onboarding": "obligations",
    "regions.onboarding.models": "tenancy",
    # Request plumbing that reads tenancy and the error pages; the beat's tasks.
    "regions.middleware": "views",
    "stprogram.middleware": "views",
    "stprogram.tasks": "views",
    "regions.tasks": "views",
    # allauth's entry points: they read the person's regions to decide a login.
    "stprogram.adapters": "views",
}

# Pages and entry points: whatever their package, they sit on top.
VIEW_NAMES = {"urls", "admin", "apps", "context_processors", "wsgi"}
VIEW_PARTS = {"templatetags", "management"}

# Development tools (benchmarks, load tests, demo data): the `devtools` app.
TOOLS = ("devtools",)


def _is_tool(name: str) -> bool:
    last = name.rpartition(".")[2]
    if ".management.commands." in name and last.startswith("bench_"):
        return True
    return any(name == t or name.startswith(t + ".") for t in TOOLS)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def layer_of(name: str) -> str:
    parts = name.split(".")
    if parts[-1].startswith("views") or parts[-1] in VIEW_NAMES or VIEW_PARTS & set(parts):
        return "views"
    best = max((p for p in PREFIXES if name == p or name.startswith(p + ".")), key=len)
    return PREFIXES[best]


def _project_module(dotted: str) -> str | None:
    """The project module `dotted` names (a module, or a name inside one), if any."""
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def imports_of(name: str) -> list[tuple[int, str]]:
    """(line, project module) for every import in the module, wherever it stands."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            module = _project_module(target)
            if module and module != name:
                found.append((node.lineno, module))
    return found


PRODUCT = sorted(name for name in MODULES if not _is_tool(name))


def test_the_layers_are_ordered_and_every_product_module_has_one():
    assert PRODUCT
    for name in PRODUCT:
        assert layer_of(name) in LAYERS, name


@pytest.mark.parametrize("name", PRODUCT)
def test_imports_only_point_down(name):
    rank = LAYERS.index(layer_of(name))
    upward = [
        f"{name}:{line} imports {target} ({layer_of(target)} above {layer_of(name)})"
        for line, target in imports_of(name)
        if not _is_tool(target) and LAYERS.index(layer_of(target)) > rank
    ]
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize("name", PRODUCT)
def test_product_code_never_imports_the_development_tools(name):
    found = imports_of(name)
    tools = [f"{name}:{line} imports {target}" for line, target in found if _is_tool(target)]
    assert not tools, "\n".join(tools)


def test_the_checker_sees_imports_inside_functions():
    """The check must not pass because it missed an import: it finds one inside a function."""
    found = {target for _line, target in imports_of("stprogram.signing")}
    assert "stprogram.changes" in found  # imported inside _record_signature
    assert layer_of("regions.views_dashboard") == "views"
    assert layer_of("regions.rules.engine") == "rules"
    assert layer_of("stprogram.reminders.collect") == "reminders"
