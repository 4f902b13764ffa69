"""Units whose external review or self-assessment is near and not yet planned."""

from __future__ import annotations

from datetime import date

from inspections.models import Inspection
from obligations.unit_reviews import Countdown, countdowns
from regions.models import Region, Unit

REVIEW_DAYS = 90


def is_urgent(review: Countdown) -> bool:
    """Due within 90 days (or already overdue) and not yet done."""
    return (
        review.status in ("open", "overdue")
        and review.days is not None
        and (review.days <= REVIEW_DAYS)
    )


def reviews_due_unplanned(region: Region, units: list[Unit], on: date) -> int:
    """How many of `units` have a review due within 90 days and no review planned."""
    planned = set(
        Inspection.objects.filter(unit__in=units, performed_on__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    reviews = countdowns(region, units, on)
    return sum(1 for u in units if u.pk not in planned and any(is_urgent(r) for r in reviews[u.pk]))
