"""Hours of supervision (spec 1.1): Min ST, the matrix, the risk list and reminders.

Östergötland's source makes one hour a week obligatory (must); Blekinge's gives
no hour rate, so it has no such column or entry.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from obligations.snapshot import refresh_trainee
from regions.models import ObligationStatus
from stprogram.reminders import outbox
from tests.factories import HistoricalEventFactory, world_build

LABEL = "Handledningstid"
# The hours behind are counted up to today, inside training year 2.
pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def ost(db):
    """Östergötland: the trainee starts 2025-01-13 (year 1 ends 2026-01-12)."""
    world = world_build(slug="ostergotland", name="Region Östergötland")
    HistoricalEventFactory(
        region=world.region,
        trainee=world.trainee,
        type="supervision",
        date=date(2026, 2, 1),
        data={"minutes": 90},
    )
    refresh_trainee(world.trainee.pk)
    return world


def test_min_st_shows_the_hours_against_the_requirement(ost, login):
    page = login(ost.trainee.user).get("/ostergotland/min-st/").text
    assert LABEL in page
    assert "1,5 / 52,0" in page


def test_the_snapshot_keeps_the_hours_with_their_decimal(ost):
    row = ObligationStatus.unscoped.get(trainee=ost.trainee, code="supervision_hours", period="2")
    assert (row.count, row.required, row.strength) == (Decimal("1.5"), Decimal("52.0"), "must")


def test_the_matrix_has_a_column_only_where_the_source_gives_an_hour_rate(ost, world, login):
    assert LABEL in login(ost.study_director).get("/ostergotland/studierektor/").text
    assert LABEL not in login(world.study_director).get("/blekinge/studierektor/").text


def test_the_risk_list_names_the_hours_behind(ost, login):
    page = login(ost.study_director).get("/ostergotland/studierektor/riskzon/").text
    assert "Handledningstid: 1,5 av 52,0 timmar" in page


def test_another_regions_study_director_learns_nothing(ost, elsewhere, login):
    page = login(elsewhere.study_director).get("/halland/studierektor/riskzon/").text
    assert ost.trainee.user.last_name not in page
    response = login(elsewhere.study_director).get("/ostergotland/studierektor/riskzon/")
    assert response.status_code in (403, 404)


def test_the_trainee_is_reminded_before_the_training_year_ends(ost):
    # Year 1 ends 2026-01-12: 30 days before, the trainee hears about the hours.
    day = date(2025, 12, 13)
    outbox.scan(on=day, now=datetime(2025, 12, 13, 8, tzinfo=ZoneInfo("Europe/Stockholm")))
    subjects = [m.subject for m in mail.outbox if ost.trainee.user.email in m.to]
    assert any(LABEL in subject for subject in subjects), subjects
    assert day + timedelta(days=30) == date(2026, 1, 12)


def test_a_trainee_on_leave_is_not_listed_as_silent(world):
    """The training clock stops during leave: no "no meeting for 8 weeks" for a parent at home."""
    from obligations import dashboard
    from regions.tenancy import region_context
    from trainees.models import Absence, Trainee

    on = date(2026, 6, 1)
    trainees = Trainee.unscoped.filter(region=world.region)
    silent = "Inget handledarsamtal på 8 veckor"
    with region_context(world.region):
        assert silent in dashboard.rank_risks(trainees, on).reasons[world.trainee.pk]
    Absence.unscoped.create(
        region=world.region,
        trainee=world.trainee,
        created_by=world.trainee.user,
        kind="parental",
        start=date(2026, 3, 1),
        end=date(2027, 2, 28),
    )
    with region_context(world.region):
        reasons = dashboard.rank_risks(trainees, on).reasons
    assert silent not in reasons.get(world.trainee.pk, [])
    assert silent in reasons[world.other_trainee.pk]
