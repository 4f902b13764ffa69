"""The trainee doors in templates: a link is shown exactly when its page opens.

Each tag asks the function in `trainees.permissions` that the page behind the
link asks, with the request the template was rendered for.
"""

from __future__ import annotations

from typing import Any

from django import template

from trainees import permissions
from trainees.models import Trainee

register = template.Library()


@register.simple_tag(takes_context=True)
def may_see_history(context: dict[str, Any], trainee: Trainee) -> bool:
    """Whether the trainee's audit history opens for the viewer."""
    return permissions.may_see_history(context["request"], trainee)


@register.simple_tag(takes_context=True)
def may_see_external_assessor(context: dict[str, Any], trainee: Trainee) -> bool:
    """Whether the BT's external-assessor page opens for the viewer."""
    return bool(trainee.bt_end) and permissions.may_see_external_assessor(
        context["request"], trainee
    )
