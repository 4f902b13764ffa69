"""The scan at national scale: a second scan the same day runs no engine, and nothing is lost."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from obligations import snapshot
from regions.models import ObligationStatus
from stprogram.models import Reminder
from stprogram.reminders import outbox
from tests.clock import FROZEN_TODAY
from tests.factories import HistoricalEventFactory, TraineeFactory
from tests.stprogram.test_reminders import FlakyBackend

# The services store on the product's today: pinned, so the scan day and it agree
# (read once at import, the real day drifted from it in a run across midnight).
pytestmark = pytest.mark.usefixtures("frozen_clock")
TODAY = FROZEN_TODAY


def _scan(day=TODAY) -> outbox.ScanResult:
    now = datetime.combine(day, time(8), tzinfo=timezone.get_current_timezone())
    return outbox.scan(on=day, now=now)


@pytest.fixture
def evaluated(monkeypatch) -> list[int]:
    """The trainees the engine evaluates, scan by scan."""
    seen: list[int] = []
    original = snapshot.evaluate_trainees

    def counting(trainees, on=None):
        seen.extend(t.pk for t in trainees)
        return original(trainees, on)

    monkeypatch.setattr(snapshot, "evaluate_trainees", counting)
    return seen


@pytest.fixture
def fresh(world):
    """A trainee whose contract is due in 7 days from the frozen today."""
    start = TODAY + timedelta(days=7) - relativedelta(months=1)
    return TraineeFactory(
        home_unit=world.unit,
        user__email="fresh@blekinge.test",
        start_date=start,
    )


def test_a_second_scan_the_same_day_evaluates_nobody_and_finds_the_same(world, fresh, evaluated):
    first = _scan()
    assert set(evaluated) >= {world.trainee.pk, fresh.pk}
    evaluated.clear()
    second = _scan()
    assert evaluated == []
    assert second.obligations == first.obligations
    assert (second.created, second.cancelled, second.delivery.sent) == (0, 0, 0)
    assert Reminder.objects.filter(user=fresh.user, code="contract").count() == 1


def test_the_next_day_every_trainee_is_evaluated_again(world, fresh, evaluated):
    _scan()
    evaluated.clear()
    _scan(TODAY + timedelta(days=1))
    assert set(evaluated) >= {world.trainee.pk, fresh.pk}


def test_unchanged_obligations_are_not_rewritten(world, fresh):
    _scan()
    rows = dict(ObligationStatus.unscoped.filter(trainee=fresh).values_list("pk", "code"))
    version = snapshot.version(world.region.pk)
    _scan(TODAY + timedelta(days=1))
    assert dict(ObligationStatus.unscoped.filter(trainee=fresh).values_list("pk", "code")) == rows
    # The region's cached dashboard figures stay valid: nothing changed.
    assert snapshot.version(world.region.pk) == version
    assert set(ObligationStatus.unscoped.values_list("evaluated_on", flat=True)) == {
        TODAY + timedelta(days=1)
    }


def test_a_change_the_same_day_reaches_the_next_scan(world, fresh, evaluated, settings):
    """Services re-store a trainee's obligations on every change; the next scan reads those."""
    settings.MAILERS = {"default": {"BACKEND": "tests.stprogram.test_reminders.FlakyBackend"}}
    FlakyBackend.failures = 10**6
    _scan()
    assert Reminder.objects.filter(user=fresh.user, code="contract", status="pending").exists()
    HistoricalEventFactory(region=world.region, trainee=fresh, type="contract_signed", date=TODAY)
    snapshot.refresh_trainee(fresh.pk)
    evaluated.clear()
    result = _scan()
    assert evaluated == []
    assert result.cancelled >= 1
    assert not Reminder.objects.filter(user=fresh.user, code="contract", status="pending").exists()
