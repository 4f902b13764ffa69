"""Who may delegate the study director's role, and end a delegation; one door per object kind."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from regions.delegations import delegable_units
from regions.models import Delegation, Unit


def units_to_delegate(request: HttpRequest) -> QuerySet[Unit]:
    """The units the viewer is study director of in their own right (a deputy delegates none)."""
    return delegable_units(request.user)


def may_delegate(request: HttpRequest) -> bool:
    """Whether the viewer has a unit of their own to delegate, and so reaches the page."""
    return units_to_delegate(request).exists()


def delegation_for(request: HttpRequest, pk: int) -> Delegation:
    """The single door to one delegation: only the study director who gave it; 404 others."""
    return get_object_or_404(
        Delegation.objects.select_related("deputy"), pk=pk, delegator=request.user
    )
