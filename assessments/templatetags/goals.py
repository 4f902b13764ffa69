"""``{% goal code trainee %}``: a delmål by name, with its whole text one click away."""

from __future__ import annotations

from typing import Any

from django import template

from assessments.goals import NamedGoal, goal_lookup, name_goal

register = template.Library()


@register.inclusion_tag("assessments/_goal.html")
def goal(code: str, trainee: Any) -> dict[str, Any]:
    """The goal's name as a disclosure whose body is the requirement text."""
    return {"goal": name_goal(code, goal_lookup(trainee).get(code))}


@register.simple_tag
def goal_name(code: str, trainee: Any) -> str:
    """Just the name, for headings and link texts."""
    return name_goal(code, goal_lookup(trainee).get(code)).name


@register.simple_tag
def named_goal(code: str, trainee: Any) -> NamedGoal:
    """The whole ``NamedGoal``, for pages that show the requirement text in full."""
    return name_goal(code, goal_lookup(trainee).get(code))


@register.filter
def split_codes(codes: str) -> list[str]:
    """ "a1, c3" (as a certificate field holds them) -> ["a1", "c3"]."""
    return [code.strip() for code in (codes or "").split(",") if code.strip()]
