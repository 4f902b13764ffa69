"""The supervision doors in templates: a button is shown exactly when its action opens.

Each tag asks the function in `supervision.permissions` that the view behind
the link or form asks.
"""

from __future__ import annotations

from typing import Any

from django import template

from supervision import permissions
from supervision.models import ActionMeasure
from trainees.models import Trainee

register = template.Library()


@register.simple_tag(takes_context=True)
def may_manage_action_plan(context: dict[str, Any], trainee: Trainee) -> bool:
    """Whether the viewer draws up, follows up and closes the trainee's action plans."""
    return permissions.may_manage_action_plan(context["request"].user, trainee)


@register.simple_tag(takes_context=True)
def may_mark_measure_done(context: dict[str, Any], measure: ActionMeasure, manages: bool) -> bool:
    """Whether "Markera som klar" is offered on the measure (`manages`: asked once per page)."""
    return permissions.may_mark_measure_done(context["request"].user, measure, manages=manages)
