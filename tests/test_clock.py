"""The frozen clock: every "today" the product computes is the same fixed day."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.clock import FROZEN_NOW, FROZEN_TODAY


def test_now_and_today_stand_still(frozen_clock) -> None:
    assert frozen_clock == FROZEN_NOW
    assert timezone.now() == timezone.now() == FROZEN_NOW
    assert timezone.localdate() == FROZEN_TODAY


def test_the_frozen_instant_is_the_frozen_day_in_sweden() -> None:
    assert FROZEN_NOW.astimezone(ZoneInfo("Europe/Stockholm")).date() == FROZEN_TODAY


def test_the_product_counts_from_the_frozen_day(frozen_clock, world) -> None:
    from obligations.snapshot import refresh_trainee
    from regions.models import ObligationStatus

    refresh_trainee(world.trainee.pk)
    rows = ObligationStatus.unscoped.filter(trainee=world.trainee)
    assert rows.exists()
    assert {row.evaluated_on for row in rows} == {FROZEN_TODAY}
