"""The profile's regional rules that are not obligations, as lines for the "Regler" page.

Who signs, which plan is required, which conflict to avoid, what supervisors and
study directors must have: each line cites its source like the rules above it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from obligations.citations import citation_text
from obligations.labels import STRENGTH_LABELS
from regions.rules.profile import PartySet, Profile, QualificationRule
from stprogram.signing import PARTY_LABELS as PARTY_NAMES


def regional_lines(profile: Profile) -> list[dict[str, str]]:
    """(label, text, source) for each regional rule of the profile, in a fixed order."""
    lines = [
        _parties(_("Undertecknar ST-kontraktet"), profile.contract_parties),
        _parties(_("Godkänner IUP"), profile.iup_parties),
    ]
    if profile.iup_revision_parties != profile.iup_parties:
        lines.append(_parties(_("Godkänner en reviderad IUP"), profile.iup_revision_parties))
    if profile.action_plan:
        text = _("Åtgärdsplan när ST-läkaren riskerar att inte nå målen.")
        lines.append(_line(_("Åtgärdsplan"), text, profile.action_plan.source))
    if profile.head_of_unit_as_supervisor:
        strength = STRENGTH_LABELS[profile.head_of_unit_as_supervisor.strength]
        text = _("%(strength)s undvikas: verksamhetschefen som handledare.") % {
            "strength": strength
        }
        lines.append(_line(_("Jäv"), text, profile.head_of_unit_as_supervisor.source))
    for label, rule in (
        (_("Huvudhandledarens kompetens"), profile.supervisor_qualification),
        (_("Studierektorns kompetens"), profile.study_director_qualification),
    ):
        if rule is not None:
            lines.append(_line(label, _qualification(rule), rule.source))
    return [line for line in lines if line]


def _parties(label: str, parties: PartySet | None) -> dict[str, str]:
    if parties is None:
        return {}
    groups = [" / ".join(str(PARTY_NAMES[p]) for p in group) for group in parties.groups]
    return _line(label, ", ".join(groups), parties.source)


def _qualification(rule: QualificationRule) -> str:
    parts = [_specialty(rule.specialty)]
    if rule.supervisor_training:
        parts.append(_("handledarutbildning"))
    if rule.basic_course_from:
        parts[-1] += " " + _("från %(year)d eller senare") % {"year": rule.basic_course_from.year}
    if rule.study_director_course:
        parts.append(_("studierektorsutbildning"))
    return ", ".join(parts)


def _specialty(specialty: str) -> str:
    if specialty == "any":
        return _("specialistkompetens")
    if specialty == "same":
        return _("specialist i ST-läkarens specialitet")
    return _("specialist i %(specialty)s") % {"specialty": specialty}


def _line(label: str, text: str, source: str) -> dict[str, str]:
    return {"label": label, "text": text, "source": citation_text(source)}
