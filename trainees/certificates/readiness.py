"""Is the application ready? What Socialstyrelsen will check, checked before anything is sent.

One check per application (BT under HSLF-FS 2021:8, ST under either
regulation). Each missing item is a plain Swedish sentence with a link to the
page where it is fixed. An application is "Komplett" only when its check
passes, not merely when its goals are signed off.

Where each minimum comes from is cited beside it; "(sekundärkälla)" marks
what only secondary sources support (see shared/domain/regulations.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.goals import goal_lookup, name_goal
from assessments.models import Goal
from regions.rules.engine import REGULATION_MONTHS
from trainees.certificates import service_list as sv
from trainees.certificates.drafts import BT, Draft, drafts_from, packet_drafts, service_list
from trainees.certificates.packets import packet_kinds
from trainees.certificates.records import BT_GOALS, Records, load
from trainees.models import Trainee

# BT: at least six months of service, BT being the first part of ST under
# HSLF-FS 2021:8 (shared/domain/regulations.md, from Socialstyrelsen's own
# pages; the paragraph is not cited because it was not checked against the
# text). Twelve months is common practice but not a minimum (sekundärkälla),
# so a trainee's own longer plan is held against their BT instead.
BT_MIN_MONTHS = Decimal(6)
# ST: 66 months under HSLF-FS 2021:8 (5 years 6 months, BT included) and 60 under
# SOSFS 2015:8 ("fullgjort minst fem års tjänstgöring", the form SOSFS 2015:8
# bilaga 2); the rule engine holds the same figures.
ST_MIN_MONTHS = {regulation: Decimal(m) for regulation, m in REGULATION_MONTHS.items()}
# BT includes service in primary care and in emergency care: HSLF-FS 2021:8
# bilaga 3 asks for an account of each part. "About three months each" is only
# in secondary sources (sekundärkälla), so only the presence of each part is required.


@dataclass(frozen=True)
class Gap:
    """One thing missing, in plain Swedish, and where it is fixed."""

    text: str
    url: str


@dataclass(frozen=True)
class Readiness:
    """The check of one application."""

    packet: str
    title: str
    gaps: tuple[Gap, ...]
    months: Decimal
    required_months: Decimal

    @property
    def ready(self) -> bool:
        return not self.gaps


def service_months(records: Records, start: date, end: date) -> Decimal:
    """Full-time months of service between start and end: the one place the arithmetic is read.

    The service-list arithmetic (spec 1.1) lives in `service.py` and
    `drafts.service_list`; this check only adds it up, so a change there is
    a change here.
    """
    return sv.total(service_list(records, start, end))


def readiness_for(
    trainee: Trainee, today: date | None = None
) -> tuple[list[Draft], list[Readiness]]:
    """The trainee's drafts and the check of each of their applications (BT first)."""
    records = load(trainee, today or timezone.localdate())
    drafts = drafts_from(records)
    return drafts, [check(records, drafts, kind) for kind in packet_kinds(trainee)]


def check(records: Records, drafts: list[Draft], packet: str) -> Readiness:
    """Every rule of this application, each gap with a link to where it is fixed."""
    links = _Links(records)
    members = packet_drafts(drafts, packet)
    if packet == BT:
        return _bt(records, members, links)
    return _st(records, members, links)


class _Links:
    def __init__(self, records: Records) -> None:
        trainee = records.trainee
        self.kwargs = {"region": trainee.region.slug, "pk": trainee.pk}

    def __call__(self, name: str, **extra: str) -> str:
        return reverse(name, kwargs={**self.kwargs, **extra})


def _bt(records: Records, members: list[Draft], links: _Links) -> Readiness:
    trainee = records.trainee
    end = min(trainee.bt_end, records.today)
    months = service_months(records, trainee.start_date, end)
    planned = _planned_months(trainee.start_date, trainee.bt_end, trainee.extent_percent)
    required = max(BT_MIN_MONTHS, planned)
    gaps = _months_gap(months, required, "BT", links("trainees:rotation_new"))
    if trainee.bt_end >= records.today:
        text = _("BT pågår till %(day)s.") % {"day": f"{trainee.bt_end:%Y-%m-%d}"}
        gaps.append(Gap(text, links("trainees:detail")))
    gaps += _bt_parts(records, trainee.start_date, end, links)
    gaps += _goals(records, [c for c in records.curriculum_goals if c in BT_GOALS], links)
    gaps += _signers(members, links)
    gaps += _certificates(members, links)
    title = "Ansökan om intyg om godkänd bastjänstgöring"
    return Readiness(BT, title, tuple(gaps), months, required)


def _st(records: Records, members: list[Draft], links: _Links) -> Readiness:
    trainee = records.trainee
    end = min(records.today, records.planned_end)
    months = service_months(records, trainee.start_date, end) + trainee.credited_months
    required = ST_MIN_MONTHS[trainee.regulation]
    gaps = _months_gap(months, required, "ST", links("trainees:rotation_new"))
    goals = [c for c in records.curriculum_goals if c not in BT_GOALS]
    gaps += _goals(records, goals, links)
    gaps += _works(records, links)
    gaps += _signers(members, links)
    gaps += _certificates(members, links)
    return Readiness("st", "Ansökan om bevis om specialistkompetens", tuple(gaps), months, required)


def _planned_months(start: date, end: date, extent: int) -> Decimal:
    value = sv.month_span(start, end) * extent / 100
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.1"))


def _months_gap(months: Decimal, required: Decimal, what: str, url: str) -> list[Gap]:
    if months >= required:
        return []
    text = _(
        "%(what)s: %(months)s månader på heltid av minst %(required)s. "
        "Registrera tjänstgöringen som saknas."
    ) % {"what": what, "months": sv.months_text(months), "required": sv.months_text(required)}
    return [Gap(text, url)]


def _bt_parts(records: Records, start: date, end: date, links: _Links) -> list[Gap]:
    rows = service_list(records, start, end)
    gaps = []
    for attribute, text in (
        ("primary_care", _("BT saknar tjänstgöring inom primärvård. Lägg till placeringen.")),
        ("emergency", _("BT saknar tjänstgöring inom akut sjukvård. Lägg till placeringen.")),
    ):
        if not any(getattr(row, attribute) and row.fte_months > 0 for row in rows):
            gaps.append(Gap(text, links("trainees:rotation_new")))
    return gaps


def _goals(records: Records, codes: list[str], links: _Links) -> list[Gap]:
    """Each goal covered by the certificates its "Uppföljning" asks for, and signed off.

    Where the catalogue holds the goal's activities (read from the
    målbeskrivning), every required kind needs a record naming the goal;
    elsewhere any certificate naming it covers it, as before.
    """
    named = _named_by_kind(records)
    catalogue = goal_lookup(records.trainee)
    gaps = []
    for code in codes:
        goal = catalogue.get(code)
        missing = [k for k in _required_kinds(goal) if FOLLOW_UP[k][0] not in named[code]]
        gaps += [_follow_up_gap(code, goal, kind, links) for kind in missing]
        if missing:
            continue
        if not named[code] and code not in BT_GOALS:
            text = _("Delmål %(code)s: ingen utbildningsaktivitet eller placering avser det.")
            gaps.append(Gap(text % {"code": code}, links("trainees:activity_new")))
        elif code not in records.signoffs:
            text = _("Delmål %(code)s är inte intygat.") % {"code": code}
            gaps.append(Gap(text, links("assessments:signoff", goal=code)))
    return gaps


# The målbeskrivning's "Uppföljning" beside each required activity reads "intyg
# om genomförda utbildningsaktiviteter och uppfyllda kompetenskrav utfärdat av
# handledare" (or "kursledare eller handledare"); SOSFS 2015:8 writes them on
# bilagor 3-7 (auskultation, klinisk tjänstgöring, kurs, kvalitets- och
# utvecklingsarbete, skriftligt arbete) and HSLF-FS 2021:8 on bilagor 8-12.
# Per activity kind of the catalogue: the record kind whose certificate it is,
# what that certificate is called, and the page where the record is added.
# Kinds the product keeps no certificate for (seminars, reflection, ...) and
# advice ("Allmänna råd", no certificate in the catalogue) are not required.
FOLLOW_UP: dict[str, tuple[str, Any, str]] = {
    "clinical_service": (
        "rotation",
        gettext_lazy("intyg om klinisk tjänstgöring"),
        "trainees:rotation_new",
    ),
    "course": ("course", gettext_lazy("kursintyg"), "trainees:activity_new"),
    "auskultation": (
        "auskultation",
        gettext_lazy("intyg om auskultation"),
        "trainees:activity_new",
    ),
    "quality_work": (
        "quality_work",
        gettext_lazy("intyg om kvalitets- och utvecklingsarbete"),
        "trainees:activity_new",
    ),
    "scientific_work": (
        "scientific_work",
        gettext_lazy("intyg om skriftligt arbete enligt vetenskapliga principer"),
        "trainees:activity_new",
    ),
}


def _named_by_kind(records: Records) -> defaultdict[str, set[str]]:
    """Per goal code, the kinds of record (rotation, course, ...) whose certificate names it."""
    named: defaultdict[str, set[str]] = defaultdict(set)
    for rotation in records.rotations:
        for code in rotation.goal_codes:
            named[code].add("rotation")
    for activity in records.activities:
        for code in activity.goal_codes:
            named[code].add(activity.kind)
    return named


def _required_kinds(goal: Goal | None) -> list[str]:
    """The activity kinds whose certificate the goal's follow-up asks for, each once."""
    if goal is None:
        return []
    kinds = [a.get("kind", "") for a in goal.activities if a.get("certificate")]
    return [kind for kind in dict.fromkeys(kinds) if kind in FOLLOW_UP]


def _follow_up_gap(code: str, goal: Goal | None, kind: str, links: _Links) -> Gap:
    certificate, page = FOLLOW_UP[kind][1:]
    text = _(
        "Delmål %(goal)s: %(certificate)s som avser delmålet saknas; målbeskrivningens "
        "uppföljning kräver det. Registrera det och ange delmålet."
    ) % {"goal": name_goal(code, goal).name, "certificate": certificate}
    return Gap(text, links(page))


def _works(records: Records, links: _Links) -> list[Gap]:
    """The scientific work and the quality-improvement work, each recorded and signed off.

    HSLF-FS 2021:8: delmål STa3 (own form, bilaga 12) and participation in
    development work (bilaga 11); SOSFS 2015:8: bilaga 7 and bilaga 6.
    """
    gaps = []
    for kind, text in (
        ("scientific_work", _("Vetenskapligt arbete saknas. Registrera det.")),
        ("quality_work", _("Kvalitets- eller utvecklingsarbete saknas. Registrera det.")),
    ):
        if not any(a.kind == kind for a in records.activities):
            gaps.append(Gap(text, links("trainees:activity_new")))
    # Their sign-off: the goals (STa3 among them) and the certificates' own check.
    return gaps


# Who each signature line of a form is, by position. The second specialist on
# 2021:8 bilaga 7 is appointed when the form is signed and written by hand there,
# so only the lines named here are required.
HEAD = gettext_lazy("verksamhetschef")
MAIN = gettext_lazy("huvudhandledare")
SIGNER_ROLES: dict[str, tuple[str, ...]] = {
    "2021-03": (HEAD,),
    "2021-06": (HEAD,),
    "2021-04": (MAIN, gettext_lazy("extern bedömare")),
    "2021-07": (MAIN,),
    "2015-02": (HEAD, MAIN),
}
# A signer the system records on a page of its own rather than from a role.
SIGNER_PAGES: dict[tuple[str, int], str] = {("2021-04", 1): "trainees:external_assessor"}


def _signers(members: list[Draft], links: _Links) -> list[Gap]:
    """Every signer the forms ask for is named (head of unit, supervisors, external assessor)."""
    gaps = []
    for draft in members:
        roles = SIGNER_ROLES.get(draft.form.key, (_("intygsutfärdare"),) * len(draft.signers))
        for index, (who, person) in enumerate(zip(roles, draft.signers, strict=False)):
            if person is None or not person.name:
                names = {"title": draft.title, "who": who}
                text = _("%(title)s: %(who)s är inte namngiven.") % names
                page = SIGNER_PAGES.get((draft.form.key, index))
                url = links(page) if page else links("trainees:certificate", key=draft.key)
                gaps.append(Gap(text, url))
    return gaps


def _certificates(members: list[Draft], links: _Links) -> list[Gap]:
    return [
        Gap(
            _("%(title)s: underskrifterna i systemet är inte kompletta.") % {"title": d.title},
            links("trainees:certificate", key=d.key),
        )
        for d in members[1:]
        if not d.complete
    ]
