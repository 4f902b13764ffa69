"""The engine benchmark: reproducible synthetic load and the figures it reports."""

from __future__ import annotations

import io

import pytest

from devtools.bench.engine import bench_engine, synthetic_portfolios
from regions.rules.profile import REGIONS
from tests.rules.test_cli import _django_ready

# A benchmark: `make test` runs it; -m "not slow" skips it in a quick local run.
pytestmark = pytest.mark.slow


def test_synthetic_portfolios_are_reproducible_and_sized() -> None:
    first = synthetic_portfolios(10, events_per_trainee=300, seed=7)
    assert first == synthetic_portfolios(10, events_per_trainee=300, seed=7)
    assert first != synthetic_portfolios(10, events_per_trainee=300, seed=8)
    assert {p.region for p in first} == set(REGIONS)
    assert all(len(p.events) == 300 for p in first)


def test_bench_engine_reports_throughput() -> None:
    figures = bench_engine(50, events_per_trainee=100)
    assert (figures["trainees"], figures["events_per_trainee"]) == (50, 100)
    assert figures["obligations"] > 50
    assert figures["trainees_per_second"] > 0


@pytest.mark.skipif(not _django_ready(), reason="Django-inställningarna går inte att läsa in än")
def test_bench_engine_command_prints_the_engine_figures() -> None:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("bench_engine", trainees=20, events=50, stdout=out)
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    assert lines["engine.trainees"] == "20"
    assert int(lines["engine.trainees_per_second"]) > 0
