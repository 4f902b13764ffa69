"""Reads from the national curriculum catalogue."""

from __future__ import annotations

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
