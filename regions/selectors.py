"""Reads about regions, units and roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Subquery
from django.db.models.functions import Coalesce

from regions.models import (
    REGION_ROLES,
    ROLE_PRIORITY,
    UNIT_ROLES,
    Membership,
    Region,
    Role,
    Unit,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from stprogram.models import User


GUEST = "rotation_guest"


def memberships_in_region(user: User, region: Region) -> list[Membership]:
    """The user's roles in one region (any region, scope or not), with those held today
    by delegation (a deputy study director; see regions/delegations.py)."""
    from regions.delegations import delegated_memberships

    own = list(Membership.unscoped.filter(user=user, region=region).select_related("unit"))
    return own + delegated_memberships(user, region)


def holds_staff_role(user: User) -> bool:
    """Whether the user holds any role but trainee, in any region."""
    return Membership.unscoped.filter(user=user).exclude(role=Role.TRAINEE).exists()


def primary_role(roles: frozenset[str]) -> Role | None:
    """The role whose page the user lands on."""
    return next((role for role in ROLE_PRIORITY if role in roles), None)


def units_for_role(memberships: list[Membership], role: Role) -> QuerySet[Unit]:
    """Units the user covers in a unit-scoped role, in the active region."""
    ids = [m.unit_id for m in memberships if m.role == role and m.unit_id]
    return Unit.objects.filter(pk__in=ids).select_related("specialty")


def staff_awaiting_password() -> list[Membership]:
    """The region's staff whose latest invitation is still unused: one row per person."""
    from stprogram.models import Invitation

    waiting = Invitation.objects.filter(used_at__isnull=True, voided_at__isnull=True)
    rows = (
        Membership.objects.exclude(role=Role.TRAINEE)
        .filter(user__in=waiting.values("user_id"))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    return list({m.user_id: m for m in rows}.values())


def dashboard_units(memberships: list[Membership]) -> QuerySet[Unit]:
    """The units a study director's dashboard covers: the region's for its regional study director.

    The one who answers for the whole region must find who is behind without
    opening unit after unit; a unit's study director sees their own units.
    """
    if any(m.role == Role.REGIONAL_STUDY_DIRECTOR for m in memberships):
        return Unit.objects.select_related("specialty")
    return units_for_role(memberships, Role.STUDY_DIRECTOR)


def visible_units(request: HttpRequest) -> QuerySet[Unit]:
    """The single door to units: regional roles see all, others the units they hold."""
    units = Unit.objects.select_related("specialty")
    if request.roles & REGION_ROLES:
        return units
    ids = [m.unit_id for m in request.memberships if m.role in UNIT_ROLES and m.unit_id]
    return units.filter(pk__in=ids)


def count_per(rows: QuerySet, outer_field: str) -> Coalesce:
    """How many of `rows` (filtered on `outer_field=OuterRef("pk")`) belong to each outer row.

    A correlated count per row goes through the field's index; joining and
    grouping instead multiplies the rows when more than one relation is counted.
    """
    counted = rows.order_by().values(outer_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)
