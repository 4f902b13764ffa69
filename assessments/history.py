"""The trainee's audit history as people read it: who, in which role, did what, and why.

``AuditEvent.action`` is a code ("goal_signed_off") and ``details`` a JSON bag;
this module turns each line into Swedish (or English) words. The roles are read
once for the whole page, so the page costs the same few queries however long
the history is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.goals import goal_lookup, name_goal
from assessments.models import Goal
from regions.models import Membership, Role
from stprogram.models import AuditEvent
from stprogram.signing import PARTY_LABELS
from trainees.models import Trainee

ACTION_LABELS = {
    "enrolled": gettext_lazy("Skrev in ST-läkaren"),
    "invitation_sent": gettext_lazy("Skickade inbjudan till kontot"),
    "invitation_used": gettext_lazy("Valde lösenord via inbjudan"),
    "assigned": gettext_lazy("Utsåg handledare eller studierektor"),
    "contract_created": gettext_lazy("Upprättade ST-kontrakt"),
    "contract_edited": gettext_lazy("Ändrade ST-kontraktet"),
    "iup_saved": gettext_lazy("Sparade IUP"),
    "signed": gettext_lazy("Undertecknade"),
    "rotation_recorded": gettext_lazy("Registrerade placering"),
    "rotation_grant_accepted": gettext_lazy("Godtog handledning av placering från annan region"),
    "rotation_grant_declined": gettext_lazy("Avböjde handledning av placering från annan region"),
    "activity_recorded": gettext_lazy("Registrerade kurs eller aktivitet"),
    "absence_recorded": gettext_lazy("Registrerade frånvaro"),
    "deleted": gettext_lazy("Tog bort en post"),
    "portfolio_imported": gettext_lazy("Importerade portfölj"),
    "meeting_logged": gettext_lazy("Registrerade handledarsamtal"),
    "meeting_confirmed": gettext_lazy("Bekräftade handledarsamtal"),
    "yearly_record_saved": gettext_lazy("Sparade årlig uppföljning"),
    "action_plan_created": gettext_lazy("Upprättade åtgärdsplan"),
    "action_measure_done": gettext_lazy("Markerade åtgärd som genomförd"),
    "action_plan_closed": gettext_lazy("Avslutade åtgärdsplan"),
    "assessment_requested": gettext_lazy("Begärde bedömning"),
    "assessment_completed": gettext_lazy("Fyllde i bedömning"),
    "assessment_link_resent": gettext_lazy("Skickade en ny bedömningslänk"),
    "goal_signed_off": gettext_lazy("Intygade delmål"),
    "goal_signoff_revoked": gettext_lazy("Återkallade intyg för delmål"),
    "warning_signoff": gettext_lazy("Intygade trots varning om handledarbehörighet"),
    "warning_assignment": gettext_lazy("Utsågs trots varning om handledarbehörighet"),
}
EXTERNAL_ASSESSOR = gettext_lazy("Extern bedömare")
# Capacities a signature can be given in, beyond the contract and IUP parties.
SIGNING_ROLES = {
    **PARTY_LABELS,
    "rotation_supervisor": gettext_lazy("Handledare vid placering"),
    "assessor": gettext_lazy("Bedömare"),
}
# Which of a person's relations to the trainee names their role, strongest first.
_RELATIONS = ("trainee", "main_supervisor", "supervisor", "study_director", "head_of_unit")


@dataclass(frozen=True)
class HistoryLine:
    """One line of the history page."""

    at: datetime
    who: str
    role: str
    what: str
    object: str
    reason: str


def action_label(action: str) -> str:
    """The Swedish (or English) words for an audit code; never the code itself."""
    label = ACTION_LABELS.get(action)
    if label is not None:
        return str(label)
    if action.startswith("warning_"):
        return _("Varning registrerad")
    return _("Ändring i utbildningsakten")


def history_lines(trainee: Trainee, events: Iterable[AuditEvent]) -> list[HistoryLine]:
    """The trainee's audit events in words, each with the actor's role."""
    events = list(events)
    roles = _roles(trainee, {e.actor_id for e in events})
    goals = goal_lookup(trainee)
    return [_line(e, roles, goals) for e in events]


def _line(event: AuditEvent, roles: dict[int, str], goals: dict[str, Goal]) -> HistoryLine:
    details: dict[str, Any] = event.details or {}
    who, role = str(event.actor), roles.get(event.actor_id, "")
    if details.get("via") == "link":
        # Completed through an e-mailed link: the assessor has no account, and the
        # requester recorded as actor did not fill it in.
        who = details.get("assessor") or _("namn saknas")
        role = str(EXTERNAL_ASSESSOR)
    if details.get("party") in SIGNING_ROLES:
        role = str(SIGNING_ROLES[details["party"]])
    what = action_label(event.action)
    if code := details.get("goal"):
        what = f"{what} {name_goal(code, goals.get(code)).name}"
    return HistoryLine(event.at, who, role, what, event.object_repr, _reason(details))


def _reason(details: dict[str, Any]) -> str:
    if details.get("reason"):
        return str(details["reason"])
    warnings = details.get("warnings")
    return "; ".join(str(w) for w in warnings) if isinstance(warnings, list) else ""


def _roles(trainee: Trainee, actor_ids: set[int]) -> dict[int, str]:
    """Each actor's role towards this trainee (then or now), or else their role in the region."""
    relations: dict[str, set[int]] = defaultdict(set)
    relations["trainee"].add(trainee.user_id)
    for role, user_id in trainee.assignments.values_list("role", "user_id"):
        relations[role].add(user_id)
    unit_roles = Membership.unscoped.filter(
        unit_id=trainee.home_unit_id, role__in=(Role.HEAD_OF_UNIT, Role.STUDY_DIRECTOR)
    ).values_list("role", "user_id")
    for role, user_id in unit_roles:
        relations[role].add(user_id)
    labels = {**PARTY_LABELS, "supervisor": Role.SUPERVISOR.label}
    roles: dict[int, str] = {}
    for relation in reversed(_RELATIONS):
        roles |= {uid: str(labels[relation]) for uid in relations[relation] & actor_ids}
    memberships = Membership.unscoped.filter(
        region_id=trainee.region_id, user_id__in=actor_ids - set(roles)
    ).values_list("user_id", "role")
    for user_id, role in memberships:
        roles.setdefault(user_id, str(Role(role).label))
    return roles
