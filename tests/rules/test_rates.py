"""Hour-rate rules: supervision hours per training year against the region's rate.

Accounting (docs/rules.md): days in the window minus absence days, in weeks
(days / 7) or months (days / 30.4375); the requirement scales with
extent_percent; the current year is measured up to ``on``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from regions.rules.engine import HSLF_2021, RateResult, evaluate_rates
from regions.rules.profile import load_profile
from tests.rules.conftest import absence, bt_trainee, d, ev, trainee


def _weekly(first: str, count: int, minutes: int = 60) -> list:
    start = d(first)
    days = (start + timedelta(weeks=k) for k in range(count))
    return [ev("supervision", day.isoformat(), minutes=minutes) for day in days]


def _rates(portfolio: object, on: str) -> list[RateResult]:
    return evaluate_rates(portfolio, load_profile(portfolio.region), d(on))


def test_one_hour_a_week_over_a_full_year_ostergotland_handledning() -> None:
    """002 Handledning: "minst 1 h/v ska avsättas"; a 365-day year is 52.14 weeks."""
    enough = trainee("ostergotland", "2026-01-05", *_weekly("2026-01-05", 53))
    short = trainee("ostergotland", "2026-01-05", *_weekly("2026-01-05", 52))
    [year] = _rates(enough, "2027-01-04")
    assert (year.period, year.days, year.per, year.strength) == (1, 365, "week", "must")
    assert year.required_hours == pytest.approx(365 / 7)
    assert (year.actual_hours, year.met) == (53, True)
    assert _rates(short, "2027-01-04")[0].met is False


def test_absence_days_leave_the_denominator() -> None:
    """28 days of parental leave: 337 days = 48.14 weeks, so 49 hours are enough."""
    portfolio = trainee(
        "ostergotland",
        "2026-01-05",
        absence("2026-07-01", "2026-07-28"),
        *_weekly("2026-01-05", 49),
    )
    [year] = _rates(portfolio, "2027-01-04")
    assert (year.absence_days, year.met) == (28, True)
    assert year.actual_rate == pytest.approx(49 / (337 / 7))


def test_part_time_scales_the_requirement_halland() -> None:
    """004 Handledning: "ca 1–2 timmar/vecka ... vid heltidstjänstgöring"; 50 % → 0.5–1 h/week."""
    portfolio = trainee("halland", "2026-01-05", *_weekly("2026-01-05", 27), extent=50)
    [year] = _rates(portfolio, "2027-01-04")
    assert (year.required_rate, year.required_rate_max) == (0.5, 1.0)
    assert year.met is True


def test_current_year_is_measured_up_to_on() -> None:
    portfolio = trainee("ostergotland", "2026-01-05", *_weekly("2026-01-05", 2))
    [year] = _rates(portfolio, "2026-01-18")
    assert (year.end, year.days, year.required_hours, year.met) == (d("2026-01-18"), 14, 2.0, True)


def test_jonkoping_bt_weekly_and_st_monthly() -> None:
    """003: BT "1 timmes handledning per vecka", ST "cirka 2 timmar per månad"."""
    portfolio = bt_trainee("jonkoping", "2026-01-01", "2026-06-30", *_weekly("2026-01-01", 26))
    by_phase = {r.phase: r for r in _rates(portfolio, "2026-12-31")}
    bt, st = by_phase["BT"], by_phase["ST"]
    assert (bt.start, bt.end, bt.days, bt.per) == (d("2026-01-01"), d("2026-06-30"), 181, "week")
    assert bt.required_hours == pytest.approx(181 / 7)
    assert bt.met is True
    assert (st.start, st.end, st.per) == (d("2026-07-01"), d("2026-12-31"), "month")
    assert st.required_hours == pytest.approx(2 * 184 / 30.4375)
    assert (st.actual_hours, st.met) == (0, False)


def test_sosfs_trainee_in_jonkoping_has_only_the_st_rate() -> None:
    portfolio = trainee("jonkoping", "2026-01-01")
    assert [r.phase for r in _rates(portfolio, "2026-06-01")] == ["ST"]


def test_regions_without_rate_rules_and_portfolios_without_trainee() -> None:
    """Norrbotten counts meetings (quota 6), not hours; Blekinge gives no rate."""
    assert _rates(trainee("norrbotten", "2026-01-01", regulation=HSLF_2021), "2027-01-01") == []
    assert _rates(trainee("blekinge", "2026-01-01"), "2027-01-01") == []
