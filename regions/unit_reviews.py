"""Countdowns to each unit's next external review and self-assessment, from the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from regions.labels import STATUS_ICONS, STATUS_LABELS, code_label
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
