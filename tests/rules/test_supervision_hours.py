"""supervision_hours (spec 1.1): hours of supervision per training year, a trainee quota.

required = the region's hours per week × 52 (or per month × 12, as the source
gives it) per training year, in hours with one decimal; count = the minutes of
``supervision`` events / 60. Only where the source gives an hour rate, with
its strength.
"""

from __future__ import annotations

from datetime import timedelta

from regions.rules.engine import HSLF_2021
from tests.rules.conftest import absence, bt_trainee, codes, d, entries, ev, one, trainee

OST = "002_9e78cac0a2d4eb6a.txt Handledning"


def _weekly(first: str, count: int, minutes: int = 60) -> list:
    start = d(first)
    days = (start + timedelta(weeks=k) for k in range(count))
    return [ev("supervision", day.isoformat(), minutes=minutes) for day in days]


def test_one_hour_a_week_is_52_hours_a_year_ostergotland_handledning() -> None:
    """002 Handledning: "minst 1 h/v ska avsättas" – must."""
    enough = trainee("ostergotland", "2026-01-05", *_weekly("2026-01-05", 52))
    year = one(enough, "2027-01-04", "supervision_hours", 1)
    assert (year.strength, year.required, year.count, year.status) == ("must", 52.0, 52.0, "done")
    assert (year.due, year.done_on, year.source) == (d("2027-01-04"), d("2026-12-28"), OST)
    short = trainee("ostergotland", "2026-01-05", *_weekly("2026-01-05", 51, minutes=61))
    missed = one(short, "2027-01-05", "supervision_hours", 1)
    # 51 × 61 minutes = 51.85 hours → 51.9, short of 52: overdue once the year is over.
    assert (missed.count, missed.status, missed.done_on) == (51.9, "overdue", None)
    assert one(short, "2027-01-04", "supervision_hours", 1).status == "open"


def test_a_year_with_leave_is_longer_and_needs_no_more_hours() -> None:
    """The clock: 28 days of leave make year 1 end 28 days later; 52 hours still suffice."""
    portfolio = trainee(
        "ostergotland",
        "2026-01-05",
        absence("2026-07-01", "2026-07-28"),
        *_weekly("2026-01-05", 52),
    )
    year = one(portfolio, "2027-02-01", "supervision_hours", 1)
    assert (year.due, year.required, year.status) == (d("2027-02-01"), 52.0, "done")


def test_halland_is_should_with_the_lower_bound_of_its_range() -> None:
    """004 Handledning: "bör ... ca 1–2 timmar/vecka" – should, at least 1 h a week."""
    portfolio = trainee("halland", "2026-01-05", *_weekly("2026-01-05", 10, minutes=90))
    year = one(portfolio, "2026-06-01", "supervision_hours", 1)
    assert (year.strength, year.required, year.count, year.status) == ("should", 52.0, 15.0, "open")


def test_jonkoping_bt_weekly_and_st_monthly_as_its_source_gives_them() -> None:
    """003: BT "1 timmes handledning per vecka" (52 h), ST "cirka 2 timmar per månad" (24 h)."""
    portfolio = bt_trainee("jonkoping", "2026-01-01", "2026-12-31", *_weekly("2026-01-01", 52))
    bt_year = one(portfolio, "2027-06-01", "supervision_hours", 1)
    assert (bt_year.strength, bt_year.required, bt_year.status) == ("should", 52.0, "done")
    assert bt_year.source == "003_9a0985358a5453c7.txt Handledning under BT"
    st_year = one(portfolio, "2027-06-01", "supervision_hours", 2)
    assert (st_year.required, st_year.count, st_year.status) == (24.0, 0.0, "open")
    assert st_year.source == "003_9a0985358a5453c7.txt Handledning under ST"


def test_a_year_across_the_end_of_bt_counts_each_rate_for_its_days() -> None:
    """BT Jan 1–Jun 30 (181 days), ST Jul 1–Dec 31 (184): 52 × 181/365 + 24 × 184/365."""
    portfolio = bt_trainee("jonkoping", "2026-01-01", "2026-06-30")
    year = one(portfolio, "2026-03-01", "supervision_hours", 1)
    assert year.required == round(52 * 181 / 365 + 24 * 184 / 365, 1) == 37.9


def test_sosfs_trainee_in_jonkoping_has_the_st_rate_all_through() -> None:
    year = one(trainee("jonkoping", "2026-01-01"), "2026-06-01", "supervision_hours", 1)
    assert year.required == 24.0


def test_only_where_a_source_gives_an_hour_rate() -> None:
    """Norrbotten counts meetings (6 a year), Blekinge gives no number: no hours entry."""
    assert "supervision_hours" not in codes(
        trainee("norrbotten", "2026-01-01", regulation=HSLF_2021), "2027-01-01"
    )
    assert "supervision_hours" not in codes(trainee("blekinge", "2026-01-01"), "2027-01-01")


def test_supervision_without_minutes_and_after_on_adds_no_hours() -> None:
    portfolio = trainee(
        "ostergotland",
        "2026-01-05",
        ev("supervision", "2026-02-01"),
        ev("supervision", "2026-02-08", minutes=45),
        ev("supervision", "2026-03-08", minutes=600),
    )
    [year] = entries(portfolio, "2026-03-01", "supervision_hours")
    assert year.count == 0.8  # 45 minutes; the meeting without minutes counts for quotas only
