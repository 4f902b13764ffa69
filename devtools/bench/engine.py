"""Benchmark of the engine alone: synthetic trainees evaluated per second on one core."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import date, timedelta

from regions.rules.engine import (
    HSLF_2021,
    SOSFS_2015,
    Event,
    Portfolio,
    SupervisorFacts,
    TraineeFacts,
    UnitFacts,
    add_months,
    evaluate,
)
from regions.rules.profile import REGIONS, load_profile

BENCH_ON = date(2026, 6, 1)
# Rough shares of a real portfolio: mostly supervision meetings and assessments.
_DATED_TYPES: tuple[tuple[str, int], ...] = (
    ("supervision", 50),
    ("assessment", 20),
    ("course", 8),
    ("specialist_colloquium", 3),
    ("trainee_annual_report", 3),
    ("supervisor_statement", 3),
    ("development_talk", 3),
    ("studierektor_followup", 4),
    ("supervision_evaluation", 3),
    ("iup_revised", 3),
)


def synthetic_portfolios(
    n: int, events_per_trainee: int = 300, seed: int = 20260601
) -> list[Portfolio]:
    """``n`` reproducible portfolios with about ``events_per_trainee`` events each."""
    return list(iter_synthetic_portfolios(n, events_per_trainee, seed))


def iter_synthetic_portfolios(
    n: int, events_per_trainee: int = 300, seed: int = 20260601
) -> Iterator[Portfolio]:
    """The same portfolios one at a time, so a national-scale seed need not hold them all."""
    rng = random.Random(seed)
    for i in range(n):
        yield _portfolio(rng, REGIONS[i % len(REGIONS)], events_per_trainee)


def _portfolio(rng: random.Random, region: str, events: int) -> Portfolio:
    start = date(2019, 1, 1) + timedelta(days=rng.randrange(7 * 365))
    regulation = rng.choice((SOSFS_2015, HSLF_2021))
    bt_end = start + timedelta(days=365) if regulation == HSLF_2021 else None
    trainee = TraineeFacts(
        regulation=regulation,
        start=start,
        bt_end=bt_end,
        extent_percent=rng.choice((100, 100, 100, 80, 75, 50)),
    )
    return Portfolio(
        region=region,
        trainee=trainee,
        events=_trainee_events(rng, start, events),
        unit=UnitFacts(
            name="Enhet",
            first_trainee_start=start - timedelta(days=rng.randrange(3000)),
            events=(Event("external_inspection", start - timedelta(days=rng.randrange(2000))),),
        ),
        supervisor=SupervisorFacts(
            name="Handledare",
            events=(
                Event("supervisor_training_basic", start - timedelta(days=rng.randrange(4000))),
            ),
        ),
    )


def _trainee_events(rng: random.Random, start: date, count: int) -> tuple[Event, ...]:
    span = 6 * 365
    events = [
        Event("contract_signed", start + timedelta(days=rng.randrange(60))),
        Event("iup_approved", start + timedelta(days=rng.randrange(240))),
        Event("iup_approved", start + timedelta(days=rng.randrange(40)), phase="BT"),
        Event("planning_meeting", start + timedelta(days=rng.randrange(120))),
    ]
    for _ in range(4):
        begin = start + timedelta(days=rng.randrange(span))
        end = begin + timedelta(days=rng.randrange(30, 180))
        contact = begin - timedelta(days=rng.randrange(150))
        feedback = end + timedelta(days=rng.randrange(60))
        events.append(
            Event(
                "rotation",
                start=begin,
                end=end,
                external=rng.random() < 0.5,
                supervisor_named=rng.random() < 0.9,
                contact_date=contact,
                feedback_date=feedback,
            )
        )
    absence = start + timedelta(days=rng.randrange(span))
    events.append(Event("absence", start=absence, end=absence + timedelta(days=rng.randrange(200))))
    types, weights = zip(*_DATED_TYPES, strict=True)
    for kind in rng.choices(types, weights, k=max(count - len(events), 0)):
        day = start + timedelta(days=rng.randrange(span))
        events.append(Event(kind, day, minutes=60 if kind == "supervision" else None))
    return tuple(events)


def bench_engine(n: int = 2000, events_per_trainee: int = 300, seed: int = 20260601) -> dict:
    """Evaluate ``n`` synthetic trainees once; report trainees per second (engine only)."""
    portfolios = synthetic_portfolios(n, events_per_trainee, seed)
    profiles = {slug: load_profile(slug) for slug in REGIONS}
    obligations = 0
    # Start cold: the month-arithmetic cache must not carry over from an earlier run.
    add_months.cache_clear()
    started = time.perf_counter()
    for portfolio in portfolios:
        obligations += len(evaluate(portfolio, profiles[portfolio.region], BENCH_ON).obligations)
    seconds = time.perf_counter() - started
    return {
        "trainees": n,
        "events_per_trainee": events_per_trainee,
        "obligations": obligations,
        "seconds": round(seconds, 4),
        "trainees_per_second": round(n / seconds) if seconds else None,
        "on": BENCH_ON.isoformat(),
    }
