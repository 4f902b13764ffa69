"""Reads about trainees, already scoped to the active region and the viewer's roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from regions import tenancy
from regions.models import Membership, Region, Role, Unit
from regions.selectors import count_per
from supervision.models import Assignment
from trainees.models import ExternalAssessor, Trainee

if TYPE_CHECKING:
    from stprogram.models import User


def active_assignments() -> QuerySet[Assignment]:
    """Assignments in force today."""
    today = timezone.localdate()
    return Assignment.objects.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def trainees_visible_to(user: User, memberships: list[Membership]) -> QuerySet[Trainee]:
    """Every trainee of the active region that this user may see, by their roles.

    Regional roles see the region; study directors and heads of unit their
    units' trainees; supervisors and study directors the trainees assigned to
    them; a trainee only themselves.
    """
    roles = {m.role for m in memberships}
    base = Trainee.objects.all()
    if roles & {Role.REGIONAL_ADMIN, Role.REGIONAL_STUDY_DIRECTOR}:
        return base
    units = [m.unit_id for m in memberships if m.role in (Role.STUDY_DIRECTOR, Role.HEAD_OF_UNIT)]
    condition = Q(user=user)
    if units:
        condition |= Q(home_unit_id__in=units)
    if roles & {Role.SUPERVISOR, Role.STUDY_DIRECTOR}:
        assigned = active_assignments().filter(user=user).values("trainee_id")
        condition |= Q(pk__in=assigned)
    return base.filter(condition)


def with_people(queryset: QuerySet[Trainee]) -> QuerySet[Trainee]:
    """Trainees with user, unit, specialty and current responsible people, in few queries."""
    current = active_assignments().select_related("user")
    return queryset.select_related("user", "home_unit", "specialty").prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )


def get_trainee_for_user(user: User, memberships: list[Membership], pk: int) -> Trainee:
    """The single door to one trainee: 404 unless the viewer may see them."""
    return get_object_or_404(with_people(trainees_visible_to(user, memberships)), pk=pk)


def own_trainee_record(user: User) -> Trainee | None:
    """The viewer's own trainee record in the active region, if any."""
    return with_people(Trainee.objects.filter(user=user)).first()


def responsible(trainee: Trainee, role: str) -> list[User]:
    """The people currently holding `role` for the trainee (needs `with_people`)."""
    return [a.user for a in trainee.current_assignments if a.role == role]


def region_supervisor(email: str, region_id: int) -> User | None:
    """The supervisor of `region_id` with this e-mail address, also when it is another region.

    Naming the receiving supervisor of a rotation is the one place a trainee looks
    up someone of another region's roles: one address, one role, nothing listed.
    """
    from stprogram.models import User

    with tenancy.all_regions():
        return User.objects.filter(
            email=email.lower(),
            memberships__region_id=region_id,
            memberships__role=Role.SUPERVISOR,
        ).first()


def supervisor_unit_id(user: User, region_id: int) -> int | None:
    """The unit where the user supervises in `region_id` (the receiving unit of a rotation)."""
    with tenancy.all_regions():
        return (
            Membership.unscoped.filter(user=user, region_id=region_id, role=Role.SUPERVISOR)
            .exclude(unit=None)
            .order_by("pk")
            .values_list("unit_id", flat=True)
            .first()
        )


def external_assessor_of(trainee: Trainee) -> ExternalAssessor | None:
    """The BT's external assessor as last recorded, with who recorded it."""
    return (
        ExternalAssessor.objects.filter(trainee=trainee)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def has_active_grant(user: User, region: Region) -> bool:
    """Whether a cross-region rotation grant lets the user into the region today."""
    from trainees.grants import grants_in_force

    return grants_in_force(user, timezone.localdate(), region=region).exists()


def regions_of(user: User) -> QuerySet[Region]:
    """The regions where the user holds a role, a rotation grant or a delegation in force today."""
    from regions.delegations import delegations_in_force
    from trainees.grants import grants_in_force

    today = timezone.localdate()
    # Semi-joins on the user's own rows; left-joining the tables and then taking
    # distinct regions read every membership of every region (4 ms a page).
    roles = Membership.unscoped.filter(user=user).values("region_id")
    grants = grants_in_force(user, today).values("region_id")
    deputy = delegations_in_force(user, today).values("region_id")
    return Region.objects.filter(Q(pk__in=roles) | Q(pk__in=grants) | Q(pk__in=deputy)).order_by(
        "name"
    )


def units_with_counts(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Units annotated with their numbers of trainees and supervisors.

    Each count is a subquery per unit: joining both relations and counting
    distinct rows multiplied them (28,000 rows sorted on disk for a region of
    300 units and 2,000 trainees).
    """
    # Unscoped: each count is keyed by a unit of the already scoped queryset.
    trainees = Trainee.unscoped.filter(home_unit=OuterRef("pk"))
    supervisors = Membership.unscoped.filter(unit=OuterRef("pk"), role=Role.SUPERVISOR)
    return units.annotate(
        trainee_count=count_per(trainees, "home_unit"),
        supervisor_count=count_per(supervisors, "unit"),
    )
