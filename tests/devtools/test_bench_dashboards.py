"""``manage.py bench_dashboards`` at a tiny size: every page answers, nothing is left behind."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from devtools.bench.dashboards import PAGES, percentile
from devtools.management.commands.bench_dashboards import verdict
from regions.models import Membership, ObligationStatus, Unit
from stprogram.models import User
from trainees.models import Trainee

# A benchmark: `make test` runs it; -m "not slow" skips it in a quick local run.
pytestmark = pytest.mark.slow

LINE = re.compile(r"^(?P<name>[\w-]+): p50 \d+ ms, p95 \d+ ms, (?P<queries>\d+) queries$")


def counts() -> dict[str, int]:
    return {
        "trainees": Trainee.unscoped.count(),
        "units": Unit.unscoped.count(),
        "users": User.objects.count(),
        "memberships": Membership.unscoped.count(),
        "snapshot": ObligationStatus.unscoped.count(),
    }


@pytest.mark.django_db
def test_every_page_is_timed_and_the_database_is_left_unchanged():
    before = counts()
    out = io.StringIO()
    call_command("bench_dashboards", trainees=30, events=5, repeats=2, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("database: ")
    timed = {m["name"]: int(m["queries"]) for line in lines if (m := LINE.match(line))}
    assert set(timed) == {page.name for page in PAGES}
    assert all(queries > 0 for queries in timed.values())
    assert re.fullmatch(r"target: p95 < 300 ms at \d+ trainees: (met|not met)", lines[-1])
    assert counts() == before


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 50) == 10
    assert percentile(values, 95) == 19
    assert percentile([7.0], 95) == 7


def test_the_export_is_not_judged():
    pages = {
        "studierektor": {"p95_ms": 120, "judged": True},
        "studierektor-export": {"p95_ms": 900, "judged": False},
    }
    assert verdict({"pages": pages}) == "met"
    pages["studierektor"]["p95_ms"] = 300
    assert verdict({"pages": pages}) == "not met"
