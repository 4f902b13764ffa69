"""``{% urgent_now obligations as todo %}``: Min ST's "Att göra nu", the three most urgent."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

# The button's verb by the page an obligation links to (regions.links): the page does the thing.
ACTIONS = {
    "supervision:meeting_new": gettext_lazy("Logga handledarsamtal"),
    "supervision:meetings": gettext_lazy("Öppna handledningen"),
    "trainees:contract": gettext_lazy("Öppna ST-kontraktet"),
    "trainees:iup": gettext_lazy("Öppna IUP"),
    "assessments:list": gettext_lazy("Öppna bedömningarna"),
}
NOT_DONE = ("overdue", "open")


def _action(url: str) -> str:
    try:
        name = resolve(url).view_name
    except Resolver404:
        name = ""
    return str(ACTIONS.get(name, _("Öppna")))


@register.simple_tag
def urgent_now(obligations: list[dict[str, Any]], limit: int = 3) -> list[dict[str, Any]]:
    """The first `limit` obligations not yet done, each with the label of its button.

    `obligations` come most urgent first (regions.obligations.trainee_obligations),
    so the overdue ones lead, then the open ones by due date.
    """
    waiting = [o for o in obligations if o["status"] in NOT_DONE][:limit]
    return [{**o, "action": _action(o["url"])} for o in waiting]
