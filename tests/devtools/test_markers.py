"""The `slow` marker: benchmark and load tests carry it, and the full run still includes them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_benchmark_module_is_marked_slow() -> None:
    modules = sorted((ROOT / "tests" / "devtools").glob("test_bench_*.py"))
    assert len(modules) >= 4
    unmarked = [m.name for m in modules if "pytestmark = pytest.mark.slow" not in m.read_text()]
    assert unmarked == []


@pytest.mark.parametrize("script", ["scripts/test.sh", ".ci/run", "Makefile"])
def test_the_full_run_does_not_leave_slow_tests_out(script: str) -> None:
    assert "slow" not in (ROOT / script).read_text()
