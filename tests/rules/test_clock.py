"""The training clock (spec 1.1): absence stops the trainee's deadlines, intervals and years.

Unit and supervisor obligations, and rotation dates, stay on the calendar.
"""

from __future__ import annotations

from fractions import Fraction

from regions.rules.engine import absence_days, service_months, training_date
from tests.rules.conftest import absence, d, ev, one, rotation, trainee, unit

PARENTAL_YEAR = absence("2026-03-01", "2027-02-28")  # 365 days


def test_an_absence_that_begins_before_the_date_pushes_it_by_all_its_days() -> None:
    spans = ((d("2026-07-01"), d("2026-07-28")),)
    # 2026-01-12 + 6 months = 2026-07-12; the leave began Jul 1: + 28 days.
    assert training_date(d("2026-01-12"), 6, spans) == d("2026-08-09")


def test_an_absence_that_begins_after_the_date_does_not_push_it() -> None:
    spans = ((d("2026-07-13"), d("2026-08-31")),)
    assert training_date(d("2026-01-12"), 6, spans) == d("2026-07-12")


def test_a_chain_of_absences_each_reached_by_the_last_push() -> None:
    # Jul 1–10 pushes Jul 12 to Jul 22; Jul 20–29 begins before that: + 10 more.
    spans = ((d("2026-07-01"), d("2026-07-10")), (d("2026-07-20"), d("2026-07-29")))
    assert training_date(d("2026-01-12"), 6, spans) == d("2026-08-01")


def test_fractional_months_count_the_share_of_the_following_month_then_absence() -> None:
    # + 82 months = 2032-11-12; half of Nov 12–Dec 12 (30 days) = 15 → 11-27; + 10 days.
    spans = ((d("2027-01-01"), d("2027-01-10")),)
    assert training_date(d("2026-01-12"), Fraction(165, 2), spans) == d("2032-12-07")


def test_a_parent_on_a_years_leave_gets_no_false_overdue() -> None:
    """Blekinge: a yearly development talk; a year of parental leave in training year 1."""
    portfolio = trainee(
        "blekinge", "2026-01-12", PARENTAL_YEAR, ev("development_talk", "2027-12-01")
    )
    year1 = one(portfolio, "2027-06-01", "development_talk", 1)
    # Year 1 = 2026-01-12 + 12 months + 365 days of leave: it ends 2028-01-11, so
    # on 2027-06-01 (on the calendar half a year after its end) it is still open.
    assert (year1.due, year1.status) == (d("2028-01-11"), "open")
    assert one(portfolio, "2028-01-11", "development_talk", 1).status == "done"
    assert one(portfolio, "2027-06-01", "iup").due == d("2027-07-12")


def test_the_deadline_before_the_leave_stays_on_the_calendar() -> None:
    portfolio = trainee("blekinge", "2026-01-12", PARENTAL_YEAR)
    contract = one(portfolio, "2026-04-01", "contract")
    assert (contract.due, contract.status) == (d("2026-02-12"), "overdue")


def test_an_interval_after_the_latest_event_moves_with_the_leave() -> None:
    portfolio = trainee("blekinge", "2026-01-12", ev("iup_approved", "2026-02-01"), PARENTAL_YEAR)
    # 2026-02-01 + 12 months = 2027-02-01, + 365 days of leave = 2028-02-01.
    assert one(portfolio, "2027-06-01", "iup_revision").due == d("2028-02-01")


def test_rotation_dates_stay_on_the_calendar() -> None:
    trip = rotation("2026-06-01", "2026-08-31", external=True)
    portfolio = trainee("blekinge", "2026-01-12", PARENTAL_YEAR, trip)
    assert one(portfolio, "2026-06-01", "rotation_supervisor").due == d("2026-06-01")
    assert one(portfolio, "2026-06-01", "rotation_contact").due == d("2026-03-01")


def test_unit_obligations_stay_on_the_calendar() -> None:
    inspection = ev("external_inspection", "2021-10-04")
    assert one(
        unit("blekinge", "2021-03-01", inspection), "2026-01-01", "external_inspection"
    ).due == d("2026-10-04")


def test_service_months_take_the_absence_days_off_the_end() -> None:
    spans = ((d("2025-02-13"), d("2025-03-12")),)
    # 2025-01-13..2026-01-12 less 28 days: E = 2025-12-16 → 11 months + 3/31.
    months = service_months(d("2025-01-13"), d("2026-01-12"), 100, spans)
    assert months == 11 + Fraction(3, 31)
    assert absence_days(spans, d("2025-03-01"), d("2025-03-13")) == 12
    assert service_months(d("2024-01-01"), d("2024-12-31"), 75, ()) == 9
