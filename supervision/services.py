"""Supervision: meetings, yearly records, supervisor qualifications."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stprogram.changes import record_trainee_change as _audit
from stprogram.models import User
from supervision.models import SupervisionMeeting, SupervisorTraining, YearlyRecord
from supervision.permissions import may_author_yearly
from supervision.yearly import LATE_REASON_REQUIRED, recorded_late
from trainees.models import Trainee
from trainees.services import party_holders


def meeting_log(
    *,
    trainee: Trainee,
    by: User,
    date: date,
    minutes: int,
    goal_codes: list[str],
    topics: str = "",
    agreed_actions: str = "",
) -> SupervisionMeeting:
    """Log a supervision meeting; it waits in the main supervisor's queue for confirmation."""
    if date > timezone.localdate():
        raise ValidationError(_("Ett handledarsamtal kan inte loggas i förväg."))
    supervisors = party_holders(trainee)["main_supervisor"]
    if not supervisors:
        raise ValidationError(_("ST-läkaren har ingen huvudhandledare."))
    meeting = SupervisionMeeting.objects.create(
        region=trainee.region,
        trainee=trainee,
        date=date,
        minutes=minutes,
        goal_codes=goal_codes,
        topics=topics,
        agreed_actions=agreed_actions,
        supervisor_id=min(supervisors),
        created_by=by,
    )
    _audit(trainee, by, "meeting_logged", meeting)
    return meeting


@transaction.atomic
def meeting_confirm(*, meeting: SupervisionMeeting, by: User) -> SupervisionMeeting:
    """The supervisor confirms the meeting took place as logged."""
    if by.pk not in party_holders(meeting.trainee)["main_supervisor"] | {meeting.supervisor_id}:
        raise PermissionDenied
    updated = SupervisionMeeting.objects.filter(pk=meeting.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if updated:
        _audit(meeting.trainee, by, "meeting_confirmed", meeting)
    meeting.refresh_from_db()
    return meeting


def yearly_record_save(
    *,
    trainee: Trainee,
    kind: str,
    by: User,
    record_date: date,
    data: dict[str, Any],
    late_reason: str = "",
) -> YearlyRecord:
    """Save a yearly record (annual report, supervisor statement, …) by its author role.

    Only the role the source names may write the kind; a future date is refused and a
    date older than the grace period needs a reason (the record then shows as late).
    """
    if not may_author_yearly(user=by, trainee=trainee, kind=kind):
        raise PermissionDenied
    if record_date > timezone.localdate():
        raise ValidationError(_("Datumet kan inte ligga i framtiden."))
    late_reason = late_reason.strip() if recorded_late(record_date) else ""
    if recorded_late(record_date) and not late_reason:
        raise ValidationError({"late_reason": LATE_REASON_REQUIRED})
    record = YearlyRecord.objects.create(
        region=trainee.region,
        trainee=trainee,
        kind=kind,
        date=record_date,
        data=data,
        author=by,
        late_reason=late_reason,
    )
    _audit(trainee, by, "yearly_record_saved", record, kind=kind)
    return record


def training_add(*, user: User, kind: str, day: date, provider: str) -> SupervisorTraining:
    """Record a supervisor training course the user has taken."""
    if day > timezone.localdate():
        raise ValidationError(_("Datumet kan inte ligga i framtiden."))
    return SupervisorTraining.objects.create(user=user, kind=kind, date=day, provider=provider)
