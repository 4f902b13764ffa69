"""The rule engine is plain Python: neither regions/rules nor its benchmark imports Django."""

from __future__ import annotations

import ast
from pathlib import Path

import regions.rules

PACKAGE = Path(regions.rules.__file__).resolve().parent
# The engine benchmark moved to the development tools and stays as pure as the engine.
BENCH = PACKAGE.parents[1] / "devtools" / "bench" / "engine.py"


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_module_imports_django() -> None:
    modules = [*sorted(PACKAGE.rglob("*.py")), BENCH]
    assert len(modules) >= 6, modules
    offenders = {
        str(path.relative_to(PACKAGE.parents[1])): name
        for path in modules
        for name in _imported_modules(path)
        if name == "django" or name.startswith("django.")
    }
    assert offenders == {}


def test_the_check_would_catch_a_django_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from django.db import models\nimport django.conf\n", encoding="utf-8")
    assert _imported_modules(module) == ["django.db", "django.conf"]
