"""Follow-up is not re-signing: the IUP follow-up and Blekinge's supervisor follow-up talk.

Norrbotten: the IUP "ska följas upp regelbundet (minst 1 gånger per år) och
revideras vid behov"; Halland: the main supervisor's "dokumenterad avstämning",
re-approval only for "större justeringar". Blekinge revises ("reviderar"), so a
follow-up alone does not clear its revision.
"""

from __future__ import annotations

import pytest

from regions.rules.portfolio import parse_portfolio
from tests.rules.conftest import d, entries, ev, one, trainee


@pytest.mark.parametrize("region", ["norrbotten", "halland"])
def test_an_iup_follow_up_restarts_the_yearly_interval(region: str) -> None:
    approved = ev("iup_approved", "2025-03-01")
    without = trainee(region, "2025-01-13", approved)
    assert one(without, "2026-03-02", "iup_revision").status == "overdue"
    followed = trainee(region, "2025-01-13", approved, ev("iup_followup", "2026-02-15"))
    revision = one(followed, "2026-03-02", "iup_revision")
    assert (revision.due, revision.status) == (d("2027-02-15"), "open")


@pytest.mark.parametrize("region", ["blekinge", "jonkoping", "ostergotland"])
def test_where_the_source_asks_for_a_revision_a_follow_up_does_not_count(region: str) -> None:
    portfolio = trainee(
        region, "2025-01-13", ev("iup_approved", "2025-03-01"), ev("iup_followup", "2026-02-15")
    )
    assert one(portfolio, "2026-03-02", "iup_revision").status == "overdue"


def test_blekinge_supervisor_follow_up_talk_is_yearly_s3_3() -> None:
    portfolio = trainee("blekinge", "2025-01-13", ev("supervisor_followup", "2025-11-01"))
    years = entries(portfolio, "2026-02-01", "supervisor_followup")
    assert [(o.period, o.status, o.strength) for o in years] == [
        (1, "done", "must"),
        (2, "open", "must"),
    ]
    assert years[0].source == "000_78535177efd85ec7.txt §3.3"


@pytest.mark.parametrize("region", ["norrbotten", "ostergotland", "jonkoping", "halland"])
def test_only_blekinge_has_the_supervisor_follow_up_talk(region: str) -> None:
    assert entries(trainee(region, "2025-01-13"), "2027-02-01", "supervisor_followup") == []


def test_the_portfolio_carries_the_new_event_types() -> None:
    portfolio = parse_portfolio(
        {
            "format": "st-portfolio/1",
            "region": "norrbotten",
            "trainee": {"regulation": "SOSFS 2015:8", "start": "2025-01-13"},
            "events": [
                {"type": "iup_followup", "date": "2026-02-15"},
                {"type": "supervisor_followup", "date": "2026-02-16"},
            ],
        }
    )
    assert [e.type for e in portfolio.events] == ["iup_followup", "supervisor_followup"]
