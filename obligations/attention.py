"""Who needs me? The counts at the top of each role's start page, each linking to its list.

Read from the obligation snapshot (regions.models.ObligationStatus), a
query per count whatever the number of trainees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from obligations.dashboard import SOON_DAYS
from regions.models import ObligationStatus
from trainees.models import Trainee


@dataclass(frozen=True)
class Tally:
    """One count on a start page: what, how many, where the list is, and how loud."""

    label: str
    n: int
    url: str | None
    tone: str = "bad"

    @property
    def tone_class(self) -> str:
        return "zero" if self.n == 0 else self.tone


def _open_for(trainees: QuerySet[Trainee]) -> QuerySet[ObligationStatus]:
    return ObligationStatus.objects.filter(
        trainee_id__in=trainees.order_by().values("pk"), done_on__isnull=True
    )


def overdue_must_count(trainees: QuerySet[Trainee], on: date) -> int:
    """How many of `trainees` have a must (ska-krav) past its due date."""
    rows = _open_for(trainees).filter(strength="must", due__lt=on)
    return rows.values("trainee_id").distinct().count()


def due_soon_count(trainees: QuerySet[Trainee], on: date) -> int:
    """How many of `trainees` have something not yet done that falls due within 30 days."""
    rows = _open_for(trainees).filter(due__gte=on, due__lte=on + timedelta(days=SOON_DAYS))
    return rows.values("trainee_id").distinct().count()
