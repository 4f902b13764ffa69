"""How a delmål is named wherever it appears: its title, or the start of its text.

c-goals have no title in the catalogue, and a code alone ("c3") tells a
supervisor nothing about what they are signing. Every page names a goal
through ``goal_name()`` (in Python) or ``{% goal code trainee %}`` (in
templates), which also puts the whole requirement text one click away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from assessments.models import Goal
from assessments.selectors import goals_for

# Words of the requirement text that name a goal without a title.
NAME_WORDS = 10


@dataclass(frozen=True)
class NamedGoal:
    """A goal as a reader sees it: code and name, and its requirement if loaded."""

    code: str
    name: str
    requirement: str

    @property
    def loaded(self) -> bool:
        """Whether the official requirement text is in the catalogue."""
        return bool(self.requirement)


def goal_name(goal: Goal) -> str:
    """ "a1 Medarbetarskap, …", or "c3 – Den specialistkompetenta läkaren ska …"."""
    return name_goal(goal.code, goal).name


def name_goal(code: str, goal: Goal | None) -> NamedGoal:
    """The name and requirement text of ``code``; ``goal`` is None when not in the catalogue."""
    loaded = goal is not None and not goal.is_placeholder and goal.requirement_text.strip()
    requirement = goal.requirement_text.strip() if loaded else ""
    if goal is not None and goal.title:
        name = f"{code} {goal.title}"
    elif requirement:
        name = f"{code} – {Truncator(requirement).words(NAME_WORDS)}"
    else:
        name = _("%(code)s – kompetenskravet är inte inläst") % {"code": code}
    return NamedGoal(code, name, requirement)


def goal_lookup(trainee: Any) -> dict[str, Goal]:
    """The trainee's goals by code: one query per trainee and request, however many goals."""
    cached = getattr(trainee, "_goal_lookup", None)
    if cached is None:
        goals = goals_for(trainee.specialty, trainee.regulation, include_bt=True)
        cached = {g.code: g for g in goals}
        trainee._goal_lookup = cached
    return cached
