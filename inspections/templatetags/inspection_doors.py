"""The review doors in templates: a link or button is shown exactly when its page opens.

Each tag asks the function in `inspections.permissions` that the view behind it
asks; they read the viewer's memberships already on the request, so no query.
"""

from __future__ import annotations

from typing import Any

from django import template

from inspections import permissions
from inspections.models import InspectionMeasure
from regions.models import Unit

register = template.Library()


@register.simple_tag(takes_context=True)
def may_manage_unit(context: dict[str, Any], unit: Unit) -> bool:
    """Whether the viewer plans, records and follows up the unit's reviews."""
    return permissions.may_manage_unit(context["request"], unit)


@register.simple_tag(takes_context=True)
def may_approve_plan(context: dict[str, Any], unit: Unit) -> bool:
    """Whether the viewer approves the action plans of the unit's reviews."""
    return permissions.may_approve_plan(context["request"], unit)


@register.simple_tag(takes_context=True)
def may_mark_measure_done(context: dict[str, Any], measure: InspectionMeasure) -> bool:
    """Whether "Markera som klar" is offered on the measure."""
    return permissions.may_mark_measure_done(context["request"], measure)
