"""The region doors in templates: a link is shown exactly when its page opens."""

from __future__ import annotations

from typing import Any

from django import template

from regions import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def may_delegate(context: dict[str, Any]) -> bool:
    """Whether the viewer reaches the page where a study director names a deputy."""
    return permissions.may_delegate(context["request"])
