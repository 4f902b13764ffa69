"""The reminder-scan benchmark: figures printed, nothing sent twice, nothing left behind."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from regions.models import Membership, Unit
from stprogram.models import Reminder, User
from trainees.models import Trainee

# A benchmark: `make test` runs it; -m "not slow" skips it in a quick local run.
pytestmark = pytest.mark.slow


def _counts() -> dict[str, int]:
    return {
        "trainees": Trainee.unscoped.count(),
        "units": Unit.unscoped.count(),
        "memberships": Membership.unscoped.count(),
        "users": User.objects.count(),
        "reminders": Reminder.objects.count(),
    }


@pytest.mark.django_db
def test_bench_reminders_scans_once_then_finds_nothing_new_and_rolls_back() -> None:
    before = _counts()
    out = io.StringIO()
    call_command("bench_reminders", trainees=40, units=10, events=30, stdout=out)
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines())

    assert (lines["reminders.trainees"], lines["reminders.units"]) == ("40", "10")
    assert int(lines["reminders.scan1_created"]) > 0
    assert int(lines["reminders.scan1_sent"]) > 0
    assert int(lines["reminders.emails"]) == int(lines["reminders.scan1_sent"])
    assert (lines["reminders.scan2_created"], lines["reminders.scan2_sent"]) == ("0", "0")
    assert lines["reminders.evaluation_trainees"] == "40"
    assert float(lines["reminders.scan1_to_evaluation"]) > 0
    assert float(lines["reminders.scan2_seconds"]) >= 0
    assert int(lines["reminders.peak_memory_mb"]) > 0
    assert lines["target"].rsplit(": ", 1)[1] in {"met", "not met"}
    assert _counts() == before
