"""Builders shared by the rule-engine tests (no Django needed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regions.rules.engine import (
    HSLF_2021,
    SOSFS_2015,
    Evaluation,
    Event,
    Obligation,
    Portfolio,
    SupervisorFacts,
    TraineeFacts,
    UnitFacts,
    evaluate,
)
from regions.rules.profile import load_profile
from tests.shared_files import require_shared

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "portfolio-format.md"


def d(text: str) -> date:
    """Short ISO date literal."""
    return date.fromisoformat(text)


def ev(kind: str, day: str, **fields: object) -> Event:
    """A dated event."""
    return Event(type=kind, date=d(day), **fields)


def rotation(start: str, end: str, **fields: object) -> Event:
    """A rotation from ``start`` to ``end`` (both inclusive)."""
    return Event(type="rotation", start=d(start), end=d(end), **fields)


def absence(start: str, end: str) -> Event:
    """An absence from ``start`` to ``end`` (both inclusive)."""
    return Event(type="absence", start=d(start), end=d(end), kind="parental")


def trainee(
    region: str,
    start: str,
    *events: Event,
    regulation: str = SOSFS_2015,
    bt_end: str | None = None,
    extent: float = 100,
    credited: float = 0,
) -> Portfolio:
    """A portfolio with only a trainee section."""
    facts = TraineeFacts(
        regulation=regulation,
        start=d(start),
        bt_end=d(bt_end) if bt_end else None,
        extent_percent=extent,
        credited_months=credited,
    )
    return Portfolio(region=region, trainee=facts, events=events)


def bt_trainee(region: str, start: str, bt_end: str, *events: Event) -> Portfolio:
    """A HSLF-FS 2021:8 trainee with a BT phase."""
    return trainee(region, start, *events, regulation=HSLF_2021, bt_end=bt_end)


def unit(region: str, first_trainee_start: str | None, *events: Event) -> Portfolio:
    """A portfolio with only a unit section."""
    first = d(first_trainee_start) if first_trainee_start else None
    return Portfolio(region=region, unit=UnitFacts("Enhet", first, events))


def supervisor(region: str, *events: Event) -> Portfolio:
    """A portfolio with only a supervisor section."""
    return Portfolio(region=region, supervisor=SupervisorFacts("Handledare", events))


def run(portfolio: Portfolio, on: str) -> Evaluation:
    """Evaluate against the portfolio's own region profile."""
    return evaluate(portfolio, load_profile(portfolio.region), d(on))


def entries(portfolio: Portfolio, on: str, code: str) -> list[Obligation]:
    """All entries of ``code``."""
    return [o for o in run(portfolio, on).obligations if o.code == code]


def one(portfolio: Portfolio, on: str, code: str, period: object = None) -> Obligation:
    """The single entry of ``code`` (for ``period``, if given)."""
    found = [o for o in entries(portfolio, on, code) if period is None or o.period == period]
    assert len(found) == 1, found
    return found[0]


def codes(portfolio: Portfolio, on: str) -> set[str]:
    """The codes present in the output."""
    return {o.code for o in run(portfolio, on).obligations}


@pytest.fixture
def seeds() -> Path:
    """The shared seed documents (skipped locally without them, a failure in make test/CI)."""
    return require_shared(SEEDS, "shared/seeds")
