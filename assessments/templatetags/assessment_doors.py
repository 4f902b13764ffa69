"""The assessment doors in templates: a link is shown exactly when its page opens.

``{% may_sign_assessment assessment as can_sign %}`` asks the same function the
sign view asks; ``doors|may_sign:code`` and ``doors|may_revoke:signoff`` read the
`GoalDoors` a page worked out once for all its goals.
"""

from __future__ import annotations

from typing import Any

from django import template

from assessments import permissions
from assessments.models import Assessment, GoalSignoff

register = template.Library()


@register.simple_tag(takes_context=True)
def may_sign_assessment(context: dict[str, Any], assessment: Assessment) -> bool:
    """Whether the viewer is offered "Underteckna" on this assessment."""
    return permissions.may_sign_now(context["request"].user, assessment)


@register.filter
def may_sign(doors: permissions.GoalDoors, goal_code: str) -> bool:
    """Whether the sign-off page for the goal opens for the viewer the doors were made for."""
    return doors.may_sign(goal_code)


@register.filter
def may_revoke(doors: permissions.GoalDoors, signoff: GoalSignoff | None) -> bool:
    """Whether the revocation page for this sign-off opens for the viewer."""
    return signoff is not None and doors.may_revoke(signoff)
