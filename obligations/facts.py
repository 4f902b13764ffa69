"""Obligations from the database: the one door pages, reminders and exports call.

Everything goes through `trainees.portfolio.portfolios_for` and the pure engine,
so a page, a reminder and `manage.py obligations` on an exported portfolio
always agree about a deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from regions.models import Region
from regions.rules.engine import STATUS_RANK, Evaluation, Obligation, evaluate
from regions.rules.profile import load_profile
from trainees.models import Trainee
from trainees.portfolio import portfolios_for

BATCH = 1000


def evaluate_trainees(trainees: list[Trainee], on: date | None = None) -> dict[int, Evaluation]:
    """Evaluate trainees of one region on `on` (default today) in a fixed number of queries."""
    if not trainees:
        return {}
    on = on or timezone.localdate()
    profile = load_profile(trainees[0].region.slug)
    return {
        pk: evaluate(portfolio, profile, on) for pk, portfolio in portfolios_for(trainees).items()
    }


def evaluate_trainee(trainee: Trainee, on: date | None = None) -> Evaluation:
    """Evaluate one trainee."""
    return evaluate_trainees([trainee], on)[trainee.pk]


def evaluate_batches(
    queryset: QuerySet[Trainee], on: date | None = None
) -> Iterator[tuple[list[Trainee], dict[int, Evaluation]]]:
    """Trainees of one region in batches by id, each with its evaluations; memory stays flat."""
    last = 0
    while batch := list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH]):
        yield batch, evaluate_trainees(batch, on)
        last = batch[-1].pk


def evaluate_region(region: Region, on: date | None = None) -> Iterator[tuple[int, Evaluation]]:
    """Every trainee of a region, in batches so memory stays flat at national scale."""
    queryset = Trainee.unscoped.filter(region=region).select_related(
        "region", "home_unit", "specialty"
    )
    for _batch, evaluations in evaluate_batches(queryset, on):
        yield from evaluations.items()


def trainee_obligations(evaluation: Evaluation) -> list[Obligation]:
    """The trainee's own obligations, the most urgent first."""
    own = [o for o in evaluation.obligations if o.subject == "trainee"]
    return sorted(own, key=lambda o: (STATUS_RANK[o.status], o.due or date.max, o.code))
