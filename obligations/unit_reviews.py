"""Countdowns to each unit's next external review and self-assessment, from the engine.

Also the review pages' list of units: countdowns beside the planned review and
the open measures of each unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from inspections.models import Inspection
from obligations.labels import STATUS_ICONS, STATUS_LABELS, code_label
from regions.models import Region, Unit
from regions.rules.engine import Portfolio, UnitFacts, evaluate
from regions.rules.profile import load_profile
from trainees.portfolio import unit_events


@dataclass(frozen=True)
class Countdown:
    code: str
    due: date | None
    status: str
    days: int | None
    last: date | None

    @property
    def label(self) -> str:
        return code_label(self.code)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def icon(self) -> str:
        return STATUS_ICONS[self.status]

    @property
    def overdue_days(self) -> int | None:
        return -self.days if self.days is not None and self.days < 0 else None


def countdowns(region: Region, units: list[Unit], on: date) -> dict[int, list[Countdown]]:
    """Per unit: the next due date of each unit obligation of the region's profile."""
    profile = load_profile(region.slug)
    events = unit_events({u.pk for u in units})
    result: dict[int, list[Countdown]] = {}
    for unit in units:
        facts = UnitFacts(unit.name, unit.first_trainee_start, events[unit.pk])
        evaluation = evaluate(Portfolio(region=region.slug, unit=facts), profile, on)
        result[unit.pk] = [
            Countdown(
                code=o.code,
                due=o.due,
                status=o.status,
                days=(o.due - on).days if o.due else None,
                last=max((e.date for e in events[unit.pk] if e.type == o.code), default=None),
            )
            for o in evaluation.obligations
        ]
    return result


@dataclass
class UnitReviews:
    """One unit's last and next reviews and what is open after them."""

    unit: Unit
    reviews: list[Countdown]
    planned: Inspection | None = None
    open_measures: int = 0

    @property
    def most_overdue(self) -> int:
        return max((c.overdue_days or 0 for c in self.reviews), default=0)


def unit_reviews(region: Region, units: list[Unit], on: date) -> list[UnitReviews]:
    """Every unit with its countdowns from the engine, overdue units first (most overdue first)."""
    counts = countdowns(region, units, on)
    ids = [u.pk for u in units]
    planned: dict[int, Inspection] = {}
    upcoming = Inspection.objects.filter(unit_id__in=ids, performed_on__isnull=True)
    for inspection in upcoming.order_by("-planned_on"):
        planned[inspection.unit_id] = inspection  # the earliest wins, read last
    measures = dict(
        Inspection.objects.filter(unit_id__in=ids)
        .values("unit_id")
        .annotate(n=Count("measures", filter=Q(measures__done_on__isnull=True)))
        .values_list("unit_id", "n")
    )
    rows = [UnitReviews(u, counts[u.pk], planned.get(u.pk), measures.get(u.pk, 0)) for u in units]
    rows.sort(key=lambda r: (-r.most_overdue, _next_due(r), r.unit.name))
    return rows


def _next_due(row: UnitReviews) -> date:
    return min((c.due for c in row.reviews if c.due), default=date.max)
