"""Development tools apart from the product: nothing imports them, production lacks them."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Not product: the tools themselves, the tests, generated migrations, local environments.
NOT_PRODUCT = {"devtools", "tests", "migrations", ".venv", ".bootstrap", "node_modules", "var"}
DEV_COMMANDS = {
    "seed_demo",
    "bench_certificates",
    "bench_dashboards",
    "bench_engine",
    "bench_load",
    "bench_onboarding",
    "bench_reminders",
}


def _imported_modules(path: Path) -> list[str]:
    """Every module an `import` or `from … import` in the file names, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _product_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not NOT_PRODUCT.intersection(path.relative_to(ROOT).parts[:-1])
        and not path.relative_to(ROOT).parts[0].startswith(".")
    ]


def test_no_product_module_imports_devtools() -> None:
    modules = _product_modules()
    assert len(modules) > 100, "the walk found too few product modules"
    assert ROOT / "stprogram" / "settings.py" in modules
    offenders = {
        str(path.relative_to(ROOT)): name
        for path in modules
        for name in _imported_modules(path)
        if name == "devtools" or name.startswith("devtools.")
    }
    assert offenders == {}


def test_the_import_check_would_catch_one(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "def f():\n    from devtools.seeding import seed_demo_regions\nimport devtools.demo\n",
        encoding="utf-8",
    )
    assert sorted(_imported_modules(module)) == ["devtools.demo", "devtools.seeding"]


# One Django start per case: what it installs and which commands it knows.
PROBE = """
import json, django
django.setup()
from django.apps import apps
from django.core.management import get_commands
print(json.dumps({"installed": apps.is_installed("devtools"), "commands": sorted(get_commands())}))
"""


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STPROGRAM_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "stprogram.settings", "STPROGRAM_VAR_DIR": str(tmp_path)}
    return env | extra


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"STPROGRAM_DEV_TOOLS": "false"}, id="flag-off"),
        pytest.param({"DJANGO_HTTPS": "true", "DJANGO_SECRET_KEY": "x" * 50}, id="https-default"),
    ],
)
def test_without_the_flag_the_app_and_its_commands_are_absent(tmp_path: Path, extra) -> None:
    env = _production_env(tmp_path, **extra)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    probe = json.loads(result.stdout.splitlines()[-1])
    assert probe["installed"] is False
    assert DEV_COMMANDS.isdisjoint(probe["commands"])
    assert "migrate" in probe["commands"]


def test_seed_demo_is_an_unknown_command_with_the_flag_off(tmp_path: Path) -> None:
    env = _production_env(tmp_path, STPROGRAM_DEV_TOOLS="0")
    command = [sys.executable, "manage.py", "seed_demo"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr


def test_the_tests_and_make_run_have_the_tools() -> None:
    from django.apps import apps
    from django.core.management import get_commands

    assert apps.is_installed("devtools")
    assert set(get_commands()) >= DEV_COMMANDS


def test_the_production_image_leaves_the_tools_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "devtools/" in ignored
    assert "STPROGRAM_DEV_TOOLS=0" in (ROOT / "Dockerfile").read_text()
