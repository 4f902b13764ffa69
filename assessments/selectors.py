"""Reads from the national curriculum catalogue."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from assessments.models import Curriculum, Goal, Regulation, Specialty


def goals_for(specialty: Specialty, regulation: str, *, include_bt: bool = False) -> QuerySet[Goal]:
    """The goals a trainee in ``specialty`` under ``regulation`` must reach, in order.

    The common a- and b-goals of the regulation (b-goals unless the specialty's
    curriculum says it has none), the specialty's own c-goals and, for HSLF-FS
    2021:8 when asked, BT1–BT18. One query, whatever the catalogue's size.
    """
    without_b = Curriculum.objects.filter(
        specialty=specialty, regulation=OuterRef("regulation"), has_b_goals=False
    )
    common = Q(specialty__isnull=True, group=Goal.Group.A) | Q(
        ~Exists(without_b), specialty__isnull=True, group=Goal.Group.B
    )
    if include_bt and regulation == Regulation.HSLF_FS_2021_8:
        common |= Q(specialty__isnull=True, group=Goal.Group.BT)
    own = Q(specialty=specialty, group=Goal.Group.C)
    return Goal.objects.filter(common | own, regulation=regulation).order_by("sort_order", "code")


def progress_matrix(trainee: Any) -> list[dict[str, Any]]:
    """Per goal: its evidence by kind and its sign-off, in a fixed number of queries."""
    from assessments.models import Assessment, GoalSignoff, counted_assessments
    from supervision.models import SupervisionMeeting
    from trainees.models import Activity, Rotation

    goals = list(
        goals_for(trainee.specialty, trainee.regulation, include_bt=trainee.bt_end is not None)
    )
    counts: dict[str, dict[str, int]] = {g.code: {} for g in goals}
    sources = (
        (
            "assessment",
            Assessment.objects.filter(counted_assessments(), trainee=trainee).exclude(
                method="360-rater"
            ),
        ),
        ("activity", Activity.objects.filter(trainee=trainee)),
        ("rotation", Rotation.objects.filter(trainee=trainee)),
        ("meeting", SupervisionMeeting.objects.filter(trainee=trainee)),
    )
    for kind, queryset in sources:
        for codes in queryset.values_list("goal_codes", flat=True):
            for code in codes:
                if code in counts:
                    counts[code][kind] = counts[code].get(kind, 0) + 1
    signoffs = {
        s.goal_code: s
        for s in GoalSignoff.objects.filter(
            trainee=trainee, revoked_at__isnull=True
        ).select_related("signed_by")
    }
    return [
        {
            "goal": g,
            "counts": counts[g.code],
            "total": sum(counts[g.code].values()),
            "signoff": signoffs.get(g.code),
        }
        for g in goals
    ]
