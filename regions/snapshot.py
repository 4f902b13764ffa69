"""The obligation snapshot: the engine's answers stored per trainee for fast dashboards."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from regions.models import ObligationStatus
from regions.obligations import evaluate_trainees
from regions.rules.engine import Evaluation
from trainees.models import Trainee


def store(trainees: list[Trainee], evaluations: dict[int, Evaluation], on: date) -> None:
    """Replace the stored obligations of `trainees` with these evaluations."""
    rows = [
        ObligationStatus(
            region_id=trainee.region_id,
            trainee_id=trainee.pk,
            code=o.code,
            period=o.period.isoformat() if isinstance(o.period, date) else str(o.period or ""),
            strength=o.strength,
            due=o.due,
            done_on=o.done_on,
            count=o.count,
            required=o.required,
            evaluated_on=on,
        )
        for trainee in trainees
        for o in evaluations[trainee.pk].obligations
        if o.subject == "trainee"
    ]
    with transaction.atomic():
        ObligationStatus.unscoped.filter(trainee_id__in=[t.pk for t in trainees]).delete()
        ObligationStatus.unscoped.bulk_create(rows, batch_size=2000)


def refresh_trainee(trainee_id: int) -> None:
    """Re-evaluate one trainee after a change to their records."""
    trainee = (
        Trainee.unscoped.select_related("region", "home_unit", "specialty")
        .filter(pk=trainee_id)
        .first()
    )
    if trainee is not None:
        on = timezone.localdate()
        store([trainee], evaluate_trainees([trainee], on), on)
