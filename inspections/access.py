"""Who may see and change a unit's reviews.

Heads of unit and study directors see and manage their own units' reviews;
the regional study director sees and manages every unit of the region; the
regional administrator sees them. Anyone else in the region gets 403 from the
views' role check; a unit outside the viewer's scope is a 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from regions.models import UNIT_ROLES, Membership, Role, Unit
from regions.selectors import visible_units
from stprogram.models import User


def unit_or_404(request: HttpRequest, pk: int) -> Unit:
    """One visible unit, or 404 whether it is missing or someone else's."""
    unit = visible_units(request).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def can_manage(request: HttpRequest, unit: Unit) -> bool:
    """Heads of unit and study directors of the unit, and the regional study director."""
    if Role.REGIONAL_STUDY_DIRECTOR in request.roles:
        return True
    return any(m.role in UNIT_ROLES and m.unit_id == unit.pk for m in request.memberships)


def is_head_of(request: HttpRequest, unit: Unit) -> bool:
    """The head of the unit approves the review's action plan.

    Halland: the clinic's study director writes the plan, "Denna ska godkännas
    av verksamhetschef" (004_345cedfb9b047071.txt, Utvecklingsarbete på
    utbildande klinik eller enhet).
    """
    return any(m.role == Role.HEAD_OF_UNIT and m.unit_id == unit.pk for m in request.memberships)


def measure_owners(unit: Unit) -> QuerySet[User]:
    """Who may own a measure: the unit's staff and the region's study directors."""
    roles = Membership.objects.filter(unit=unit).values("user_id")
    regional = Membership.objects.filter(role=Role.REGIONAL_STUDY_DIRECTOR).values("user_id")
    return User.objects.filter(pk__in=roles.union(regional)).order_by("last_name", "first_name")
