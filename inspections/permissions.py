"""Who may see and change a unit's reviews; one door per object kind.

Heads of unit and study directors see and manage their own units' reviews;
the regional study director sees and manages every unit of the region; the
regional administrator sees them. Anyone else in the region gets 403 from the
views' role check; a unit outside the viewer's scope is a 404. Templates ask
the same functions through the `inspection_doors` tag library.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from inspections.models import Inspection, InspectionMeasure, SelfAssessment
from regions.models import UNIT_ROLES, Membership, Role, Unit
from regions.selectors import visible_units
from stprogram.models import User


def unit_or_404(request: HttpRequest, pk: int) -> Unit:
    """One visible unit, or 404 whether it is missing or someone else's."""
    unit = visible_units(request).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def may_manage_unit(request: HttpRequest, unit: Unit) -> bool:
    """Heads of unit and study directors of the unit, and the regional study director."""
    if Role.REGIONAL_STUDY_DIRECTOR in request.roles:
        return True
    return any(m.role in UNIT_ROLES and m.unit_id == unit.pk for m in request.memberships)


def may_approve_plan(request: HttpRequest, unit: Unit) -> bool:
    """Only the head of the unit approves a review's action plan.

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


def may_mark_measure_done(request: HttpRequest, measure: InspectionMeasure) -> bool:
    """A measure is marked done by its owner or by whoever manages the unit's reviews."""
    return measure.owner_id == request.user.pk or may_manage_unit(request, measure.inspection.unit)


def inspection_for(request: HttpRequest, pk: int) -> Inspection:
    """One review of a visible unit, or 404."""
    return get_object_or_404(
        Inspection.objects.select_related("unit__specialty", "region"),
        pk=pk,
        unit__in=visible_units(request),
    )


def managed_inspection_for(request: HttpRequest, pk: int) -> Inspection:
    """A review the viewer may change: 404 if its unit is unseen, 403 if only seen."""
    inspection = inspection_for(request, pk)
    if not may_manage_unit(request, inspection.unit):
        raise PermissionDenied
    return inspection


def managed_unit_for(request: HttpRequest, pk: int) -> Unit:
    """A unit whose reviews the viewer manages: 404 if unseen, 403 if only seen."""
    unit = unit_or_404(request, pk)
    if not may_manage_unit(request, unit):
        raise PermissionDenied
    return unit


def self_assessment_for(request: HttpRequest, pk: int) -> SelfAssessment:
    """One self-assessment of a visible unit, or 404."""
    return get_object_or_404(
        SelfAssessment.objects.select_related("unit", "region"),
        pk=pk,
        unit__in=visible_units(request),
    )
