"""Reads for supervisors: their trainees and the queue of what waits for them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from assessments.models import Assessment, GoalSignoff
from stprogram.models import User
from supervision.models import SupervisionMeeting
from trainees.models import Trainee
from trainees.selectors import active_assignments, with_people


def supervised_trainees(user: User) -> QuerySet[Trainee]:
    """Trainees the user is main supervisor or supervisor for today."""
    assigned = active_assignments().filter(user=user, role__in=("main_supervisor", "supervisor"))
    return with_people(Trainee.objects.filter(pk__in=assigned.values("trainee_id")))


@dataclass
class Queue:
    meetings: list[SupervisionMeeting]
    to_complete: list[Assessment]
    to_sign: list[Assessment]
    goals_waiting: list[tuple[Trainee, int]]

    @property
    def total(self) -> int:
        return len(self.meetings) + len(self.to_complete) + len(self.to_sign)


def queue_for(user: User) -> Queue:
    """What waits for the user, in a fixed number of queries whatever its length."""
    main_of = active_assignments().filter(user=user, role="main_supervisor").values("trainee_id")
    meetings = (
        SupervisionMeeting.objects.filter(trainee_id__in=main_of, confirmed_at__isnull=True)
        .select_related("trainee__user")
        .order_by("date")
    )
    requested = Assessment.objects.filter(assessor=user, status="requested").select_related(
        "trainee__user"
    )
    to_sign = Assessment.objects.filter(status="completed").filter(
        assessor=user
    ) | Assessment.objects.filter(status="completed", assessor__isnull=True, trainee_id__in=main_of)
    return Queue(
        meetings=list(meetings),
        to_complete=list(requested),
        to_sign=list(to_sign.select_related("trainee__user")),
        goals_waiting=_goals_waiting(main_of),
    )


def _goals_waiting(main_of: QuerySet) -> list[tuple[Trainee, int]]:
    """Per trainee, how many goals have signed evidence but no sign-off yet."""
    signed_off = set(
        GoalSignoff.objects.filter(trainee_id__in=main_of, revoked_at__isnull=True).values_list(
            "trainee_id", "goal_code"
        )
    )
    waiting: dict[int, set[str]] = {}
    rows = Assessment.objects.filter(trainee_id__in=main_of, status="signed").values_list(
        "trainee_id", "goal_codes"
    )
    for trainee_id, codes in rows:
        for code in codes:
            if (trainee_id, code) not in signed_off:
                waiting.setdefault(trainee_id, set()).add(code)
    trainees = Trainee.objects.filter(pk__in=waiting).select_related("user")
    return [(t, len(waiting[t.pk])) for t in trainees]
