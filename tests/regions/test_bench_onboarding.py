"""``manage.py bench_onboarding`` at a tiny size: it times the steps and leaves nothing behind."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from regions.models import Membership, Unit
from stprogram.models import AuditEvent, User
from trainees.models import Trainee


def counts() -> tuple[int, ...]:
    return (
        Trainee.unscoped.count(),
        Unit.unscoped.count(),
        User.objects.count(),
        Membership.unscoped.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_the_benchmark_prints_its_times_and_rolls_back():
    before = counts()
    out = io.StringIO()
    call_command("bench_onboarding", trainees=20, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1] == "file: 20 trainees, 2 units, 10 staff" + lines[1][36:]
    assert re.fullmatch(r"dry run: \d+\.\d s, 0 refused", lines[2])
    assert "30 people, 20 trainees, 30 invitations owed" in lines[3]
    assert lines[4].endswith("every row unchanged")
    assert re.fullmatch(r"target: dry run \+ real run < 60 s: \d+\.\d s, met", lines[5])
    assert counts() == before
