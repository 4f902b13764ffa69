"""``manage.py bench_load`` at a tiny size: gunicorn serves locust's users every page, no errors."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection

from devtools.management.commands.bench_load import misses_of

# A benchmark: `make test` runs it; -m "not slow" skips it in a quick local run.
pytestmark = pytest.mark.slow

PAGE = re.compile(
    r"^(?P<name>[^:]+): (?P<count>\d+) requests, p50 \d+ ms, p95 \d+ ms, p99 \d+ ms, "
    r"(?P<errors>\d+) errors$"
)


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the benchmark seeds its own throwaway SQLite database whatever the suite's; "
    "the SQLite run covers it, and a second run would add half a minute",
)
def test_a_short_run_reports_rate_pages_errors_and_memory():
    out = io.StringIO()
    call_command(
        "bench_load",
        trainees=30,
        events=5,
        users=2,
        duration=3,
        spawn_rate=2,
        workers=1,
        threads=2,
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("database: sqlite (seeded in ")
    assert "locust: 2 users, 2 logged in" in lines[2]
    assert re.fullmatch(r"login \(not in the page figures\): 2 requests, .*, 0 errors", lines[3])
    assert lines[4].startswith("machine load average (1 min): ")
    rate = re.fullmatch(r"requests per second: (?P<rps>[\d.]+)", lines[5])
    assert rate
    assert float(rate["rps"]) > 0
    assert re.fullmatch(r"gunicorn CPU: [\d.]+ s in [\d.]+ s, \d+ ms per request", lines[6])
    pages = [m for line in lines if (m := PAGE.match(line))]
    assert sum(int(m["count"]) for m in pages) > 0
    assert all(m["errors"] == "0" for m in pages)
    assert "errors: 0" in lines
    memory = next(line for line in lines if line.startswith("peak memory: "))
    gunicorn, locust = map(int, re.findall(r"(\d+) MB", memory))
    assert gunicorn > 0
    assert locust > 0
    assert re.fullmatch(
        r"target: p95 < 300 ms on every page and no errors at 2 users: .+", lines[-1]
    )


def figures(p95: float, errors: int = 0, *, complete: bool = True) -> dict:
    page = {"count": 10, "errors": errors, "p50_ms": 20, "p95_ms": p95, "p99_ms": p95}
    return {"pages": {"min-st": page}, "login": {"errors": 0}, "complete": complete}


def test_the_target_is_missed_at_300_ms_on_a_page_or_on_any_error():
    assert misses_of(figures(299)) == []
    assert misses_of(figures(300)) == ["min-st p95 300 ms"]
    assert misses_of(figures(100, errors=1)) == ["1 errors"]
    assert misses_of(figures(100, complete=False)) == ["not every user logged in"]
