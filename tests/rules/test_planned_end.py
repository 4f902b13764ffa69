"""planned_end = start + months × 100 / extent − credited + absence days, as a last day.

The spec's example pins the convention: 2026-01-12 + 66 months = 2031-07-12 is
the first day after training, so the last day is 2031-07-11; 28 absence days
(July 1–28, both ends inclusive) give 2031-08-08.
"""

from __future__ import annotations

import pytest

from regions.rules.engine import HSLF_2021, planned_end
from tests.rules.conftest import absence, d, run, trainee, unit

R = "halland"  # planned_end does not depend on the region


def _end(*args: object, on: str = "2030-01-01", **kwargs: object) -> object:
    return run(trainee(R, *args, **kwargs), on).planned_end


def test_the_spec_example() -> None:
    end = _end("2026-01-12", absence("2026-07-01", "2026-07-28"), regulation=HSLF_2021)
    assert end == d("2031-08-08")


def test_full_time_without_absence() -> None:
    assert _end("2026-01-12") == d("2031-01-11")
    assert _end("2026-01-12", regulation=HSLF_2021) == d("2031-07-11")


@pytest.mark.parametrize(
    ("extent", "expected"),
    [
        # 60 × 100 / 75 = 80 months exactly: 2026-01-12 + 80 months = 2032-09-12.
        (75, "2032-09-11"),
        # 60 × 100 / 80 = 75 months: 2032-04-12.
        (80, "2032-04-11"),
        # 60 × 100 / 50 = 120 months: 2036-01-12.
        (50, "2036-01-11"),
    ],
)
def test_part_time_whole_months(extent: int, expected: str) -> None:
    assert _end("2026-01-12", extent=extent) == d(expected)


def test_part_time_fraction_is_a_share_of_the_following_month_rounded_up() -> None:
    """66 × 100 / 80 = 82.5: +82 months = 2032-11-12, half of Nov 12–Dec 12 (30 days) = 15."""
    assert _end("2026-01-12", regulation=HSLF_2021, extent=80) == d("2032-11-26")
    # 60 × 100 / 90 = 66⅔: +66 months = 2031-07-01; ⅔ of July's 31 days = 20.67 → 21 days.
    assert _end("2026-01-01", extent=90) == d("2031-07-21")
    # A decimal extent is exact: 60 × 100 / 62.5 = 96 months, no fraction.
    assert _end("2026-01-01", extent=62.5) == d("2033-12-31")


def test_credited_months_shorten_the_training() -> None:
    """Up to 6 months before the licence may be credited in BT (Halland, IUP section)."""
    assert _end("2026-01-12", regulation=HSLF_2021, credited=6) == d("2031-01-11")
    # Credit is full-time months: 75 % → 88 months, minus 6 → 82 months.
    assert _end("2026-01-12", regulation=HSLF_2021, extent=75, credited=6) == d("2032-11-11")


def test_absence_counts_both_ends_and_overlaps_once() -> None:
    one_day = absence("2027-03-01", "2027-03-01")
    assert _end("2026-01-12", one_day) == d("2031-01-12")
    overlapping = (absence("2027-03-01", "2027-03-10"), absence("2027-03-05", "2027-03-20"))
    assert _end("2026-01-12", *overlapping) == d("2031-01-31")


def test_absence_after_on_is_not_counted_yet() -> None:
    later = absence("2027-03-01", "2027-03-31")
    assert _end("2026-01-12", later, on="2027-02-28") == d("2031-01-11")
    assert _end("2026-01-12", later, on="2027-03-01") == d("2031-02-11")


def test_leap_day_and_month_end_starts() -> None:
    # 2024-02-29 + 60 months = 2029-02-28 (clamped), so the last day is Feb 27.
    assert _end("2024-02-29") == d("2029-02-27")
    assert _end("2024-02-29", regulation=HSLF_2021) == d("2029-08-28")
    assert _end("2026-01-31") == d("2031-01-30")


def test_no_trainee_no_planned_end() -> None:
    assert run(unit(R, "2020-01-01"), "2026-01-01").planned_end is None


def test_the_public_helper_gives_the_same_date() -> None:
    portfolio = trainee(R, "2026-01-12", absence("2026-07-01", "2026-07-28"), extent=80)
    expected = run(portfolio, "2027-01-01").planned_end
    assert planned_end(portfolio.trainee, portfolio.events, d("2027-01-01")) == expected


def test_absence_before_the_start_or_after_the_end_does_not_move_it() -> None:
    """planned_end = T(start, M) − 1: only absence inside the training stops the clock."""
    before = absence("2025-11-01", "2026-01-11")
    after = absence("2031-01-12", "2031-03-01")
    assert _end("2026-01-12", before, after, on="2031-06-01") == d("2031-01-11")
    # A leave across the start counts from the start only: Jan 12–20 is 9 days.
    across = absence("2026-01-01", "2026-01-20")
    assert _end("2026-01-12", across) == d("2031-01-20")


def test_a_leave_that_reaches_past_the_calendar_end_pushes_it_by_all_its_days() -> None:
    """The leave begins before 2031-01-12 is reached, so all of its 31 days count."""
    leave = absence("2031-01-01", "2031-01-31")
    assert _end("2026-01-12", leave, on="2031-01-01") == d("2031-02-11")
