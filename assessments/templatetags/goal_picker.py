"""``field|goal_groups``: a goal field's checkboxes grouped as the curriculum groups them."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.translation import gettext as _

from assessments.models import Goal

register = template.Library()

# "a1" (SOSFS 2015:8), "STa1" and "BT1" (HSLF-FS 2021:8): the group is the letter(s) after "ST".
PREFIX = re.compile(r"(?:ST(?=[abc]))?([abc]|BT)")


def _group_label(code: str) -> str:
    match = PREFIX.match(code)
    prefix = match.group(1).lower() if match else ""
    if prefix in Goal.Group.values:
        return str(Goal.Group(prefix).label)
    return _("Övriga delmål")


@register.filter
def goal_groups(field: BoundField) -> list[dict[str, Any]]:
    """[{"label", "choices", "open"}] in the field's order; a group with a ticked goal is open."""
    groups: dict[str, dict[str, Any]] = {}
    for choice in field:
        label = _group_label(str(choice.data["value"]))
        group = groups.setdefault(label, {"label": label, "choices": [], "open": False})
        group["choices"].append(choice)
        group["open"] = group["open"] or bool(choice.data["selected"])
    return list(groups.values())
