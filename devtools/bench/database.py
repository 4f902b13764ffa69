"""Benchmark from the database: national-scale synthetic trainees, evaluated region by region.

Everything is written inside one transaction that is rolled back at the end,
so the benchmark leaves the database as it found it.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction

from devtools.bench.engine import BENCH_ON, synthetic_portfolios
from devtools.seeding import seed_synthetic_trainees
from obligations.facts import evaluate_region
from regions.models import Region


class _RollbackError(Exception):
    pass


def bench_database(n: int, events_per_trainee: int) -> dict[str, Any]:
    """Seed `n` trainees, time one full evaluation, roll everything back."""
    figures: dict[str, Any] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            portfolios = synthetic_portfolios(n, events_per_trainee)
            regions = seed_synthetic_trainees(portfolios=portfolios)
            figures["seed_seconds"] = round(time.perf_counter() - started, 1)
            figures.update(evaluate(regions))
            raise _RollbackError
    except _RollbackError:
        pass
    return figures


def evaluate(regions: list[Region]) -> dict[str, Any]:
    """One evaluation of every trainee in these regions on BENCH_ON, timed."""
    started = time.perf_counter()
    trainees = obligations = 0
    for region in regions:
        for _pk, evaluation in evaluate_region(region, BENCH_ON):
            trainees += 1
            obligations += len(evaluation.obligations)
    seconds = time.perf_counter() - started
    return {
        "trainees": trainees,
        "obligations": obligations,
        "seconds": round(seconds, 2),
        "trainees_per_second": round(trainees / seconds) if seconds else None,
    }
