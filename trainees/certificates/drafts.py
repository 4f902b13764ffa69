"""The certificate drafts of one trainee: which forms, filled with what, numbered how.

A draft is complete (no "UTKAST" mark) when the system holds the signatures
behind it: every goal it names is signed off citing the records it describes,
and for the service lists, the period has ended. Everything else is still a
useful draft, clearly marked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from trainees.certificates import service_list as sv
from trainees.certificates.records import BT_GOALS, Person, Records, load
from trainees.certificates.registry import HSLF, FormSpec, form
from trainees.models import Activity, Rotation, Trainee
from trainees.personnummer import formatted

BT, ST = "bt", "st"
SCIENTIFIC_GOAL = "STa3"

# The form each learning activity's certificate is written on.
ACTIVITY_FORMS = {
    HSLF: {"auskultation": 8, "rotation": 9, "course": 10, "quality_work": 11},
    "SOSFS 2015:8": {
        "auskultation": 3,
        "rotation": 4,
        "course": 5,
        "quality_work": 6,
        "scientific_work": 7,
    },
}
KEY_PREFIX = {
    "auskultation": "auskultation",
    "rotation": "klinisk-tjanstgoring",
    "course": "kurs",
    "quality_work": "utvecklingsarbete",
    "scientific_work": "skriftligt-arbete",
}
# Application form and the attachments it lists, per packet.
APPLICATIONS = {
    (HSLF, BT): (1, (2, 3, 4)),
    (HSLF, ST): (5, (6, 7, 8, 9, 10, 11, 12)),
    ("SOSFS 2015:8", ST): (1, (2, 3, 4, 5, 6, 7)),
}


@dataclass
class Draft:
    """One certificate (or application) draft, ready to render."""

    key: str
    form: FormSpec
    title: str
    packet: str
    complete: bool
    signers: tuple[Person | None, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    sort_day: date | None = None
    number: int | None = None

    @property
    def named_user_ids(self) -> set[int]:
        """The accounts named on the draft (who may see it besides the trainee)."""
        return {p.user_id for p in self.signers if p is not None and p.user_id}

    @property
    def signer(self) -> Person | None:
        """The first signer named on the form."""
        return self.signers[0] if self.signers else None


def drafts_for(trainee: Trainee, today: date | None = None) -> list[Draft]:
    """Every draft of the trainee's regulation, attachments numbered as in their packet."""
    return drafts_from(load(trainee, today or timezone.localdate()))


def drafts_from(records: Records) -> list[Draft]:
    """The drafts of records already loaded."""
    trainee = records.trainee
    attachments = [*_activity_drafts(records), *_goal_drafts(records), *_service_drafts(records)]
    packets = [BT, ST] if trainee.regulation == HSLF and trainee.bt_end else [ST]
    result: list[Draft] = []
    for packet in packets:
        number, listed = APPLICATIONS[(trainee.regulation, packet)]
        members = sorted(
            (d for d in attachments if d.packet == packet and d.form.number in listed),
            key=lambda d: (d.form.number, d.sort_day or date.min, d.key),
        )
        for index, draft in enumerate(members, start=1):
            draft.number = index
        result.append(_application(records, form(trainee.regulation, number), packet, members))
        result.extend(members)
    _complete_only_when_ready(records, result, packets)
    return result


def _complete_only_when_ready(records: Records, drafts: list[Draft], packets: list[str]) -> None:
    """An application is "Komplett" only when the whole readiness check passes."""
    # Imported here: the check reads the drafts (and this module's service list).
    from trainees.certificates.readiness import check

    for packet in packets:
        application = packet_drafts(drafts, packet)[0]
        application.complete = application.complete and check(records, drafts, packet).ready


def packet_drafts(drafts: list[Draft], packet: str) -> list[Draft]:
    """The application and its attachments, in packet order."""
    return [d for d in drafts if d.packet == packet]


def applicant(trainee: Trainee, *, full_personnummer: bool) -> dict[str, str]:
    """The applicant block; the personnummer in full only where it is allowed (the PDF)."""
    pnr = trainee.personnummer
    return {
        "first": trainee.user.first_name,
        "last": trainee.user.last_name,
        "personnummer": formatted(pnr) if full_personnummer else (f"{pnr[:8]}-****" if pnr else ""),
        "specialty": trainee.specialty.name,
        "email": trainee.user.email,
        "workplace": f"{trainee.home_unit.name}, {trainee.region.name}",
    }


# --- Learning activities ---------------------------------------------------------


def _activity_drafts(records: Records) -> list[Draft]:
    signed = records.signed_by_record()
    drafts = []
    for rotation in records.rotations:
        if (draft := _rotation_draft(records, rotation, signed)) is not None:
            drafts.append(draft)
    for activity in records.activities:
        if (draft := _activity_draft(records, activity, signed)) is not None:
            drafts.append(draft)
    return drafts


def _certificate_goals(records: Records, kind: str, codes: list[str]) -> list[str] | None:
    """The goals an activity's own certificate names, or None if it gets no certificate.

    Under 2021:8, BT goals are certified on the BT goal form and STa3 (with
    all scientific work) on its own form, so an activity naming only those
    has no certificate of its own.
    """
    if records.trainee.regulation != HSLF:
        return list(codes)
    if kind == "scientific_work":
        return None
    own = [c for c in codes if not c.startswith("BT") and c != SCIENTIFIC_GOAL]
    return own if own or not codes else None


def _rotation_draft(
    records: Records, rotation: Rotation, signed: dict[str, dict[str, Any]]
) -> Draft | None:
    goals = _certificate_goals(records, "rotation", rotation.goal_codes)
    if goals is None:
        return None
    evidence = signed.get(f"rotation:{rotation.pk}", {})
    place = _rotation_place(rotation)
    # The rotation's own supervisor certifies it (form 9's "intygsutfärdande
    # handledare"), not the main supervisor who may have signed the goals off.
    signer = _rotation_supervisor(records, rotation) or _signer_from(records, evidence, goals)
    signer = signer or records.person(records.main_supervisor)
    description = rotation.description or f"Klinisk tjänstgöring vid {rotation.unit_name}."
    description += f" Omfattning {rotation.extent_percent} % av heltid."
    # An ongoing rotation is shown up to today, as on the service list.
    end = min(rotation.end, records.today)
    return Draft(
        key=f"{KEY_PREFIX['rotation']}-{rotation.pk}",
        form=form(
            records.trainee.regulation, ACTIVITY_FORMS[records.trainee.regulation]["rotation"]
        ),
        title=f"{rotation.unit_name} ({sv.period(rotation.start, end)})",
        packet=ST,
        complete=_goals_signed(goals, evidence) and rotation.end < records.today,
        signers=(signer,),
        fields={
            "goals": ", ".join(goals),
            "place": place,
            "period": sv.period(rotation.start, end),
            "place_period": f"{place}, {sv.period(rotation.start, end)}",
            "description": _with_assessments(records, description, rotation.start, end, goals),
        },
        sort_day=rotation.start,
    )


def _rotation_place(rotation: Rotation) -> str:
    host = rotation.host_region.name if rotation.host_region_id else ""
    return ", ".join(p for p in (rotation.unit_name, host) if p)


def _rotation_supervisor(records: Records, rotation: Rotation) -> Person | None:
    """The supervisor at the rotation's unit; their own workplace if the system knows it."""
    if rotation.local_supervisor_id:
        return records.person(rotation.local_supervisor, _rotation_place(rotation))
    if rotation.local_supervisor_name:
        return Person(name=rotation.local_supervisor_name, workplace=_rotation_place(rotation))
    return None


def _activity_draft(
    records: Records, activity: Activity, signed: dict[str, dict[str, Any]]
) -> Draft | None:
    goals = _certificate_goals(records, activity.kind, activity.goal_codes)
    number = ACTIVITY_FORMS[records.trainee.regulation].get(activity.kind)
    if goals is None or number is None:
        return None
    evidence = signed.get(f"activity:{activity.pk}", {})
    signer = _signer_from(records, evidence, goals)
    capacity = "handledare"
    if signer is None and activity.kind == "course" and activity.leader_name:
        signer, capacity = (
            Person(name=activity.leader_name, workplace=activity.provider),
            "kursledare",
        )
    signer = signer or records.person(records.main_supervisor)
    return Draft(
        key=f"{KEY_PREFIX[activity.kind]}-{activity.pk}",
        form=form(records.trainee.regulation, number),
        title=f"{activity.get_kind_display()}: {activity.title}",
        packet=ST,
        complete=_goals_signed(goals, evidence),
        signers=(signer,),
        fields={
            "goals": ", ".join(goals),
            "subject": activity.title,
            "place": activity.provider or records.home_workplace,
            "period": sv.period(activity.start, activity.end),
            "place_period": f"{activity.provider or records.home_workplace}, "
            f"{sv.period(activity.start, activity.end)}",
            "subject_period": f"{activity.title}, {sv.period(activity.start, activity.end)}",
            "leader": activity.leader_name,
            "capacity": capacity,
            "description": _with_assessments(
                records, _activity_description(activity), activity.start, activity.end, goals
            ),
        },
        sort_day=activity.start,
    )


def _activity_description(activity: Activity) -> str:
    if activity.description:
        return activity.description
    parts = [activity.title]
    if activity.provider:
        parts.append(f"Anordnare: {activity.provider}")
    if activity.leader_name:
        parts.append(f"Kursledare/handledare: {activity.leader_name}")
    parts.append(f"Period: {sv.period(activity.start, activity.end)}")
    return ". ".join(parts) + "."


def _with_assessments(records: Records, text: str, start: date, end: date, goals: list[str]) -> str:
    done = [
        f"{a.get_method_display()} {sv.yymmdd(a.performed_on)}"
        for a in records.assessments
        if a.performed_on and start <= a.performed_on <= end and set(a.goal_codes) & set(goals)
    ]
    return f"{text}\nBedömningar under perioden: {', '.join(done)}." if done else text


def _signer_from(records: Records, evidence: dict[str, Any], goals: list[str]) -> Person | None:
    for code in goals:
        if code in evidence:
            return records.person(evidence[code].signed_by)
    return None


def _goals_signed(goals: list[str], evidence: dict[str, Any]) -> bool:
    return bool(goals) and all(code in evidence for code in goals)


# --- Goal certificates: BT goals, STa3, basic and specialist competence ----------


def _goal_drafts(records: Records) -> list[Draft]:
    trainee = records.trainee
    main = records.person(records.main_supervisor)
    if trainee.regulation != HSLF:
        return [_specialist_2015(records)]
    drafts = [_sta3(records), _specialist_2021(records, main)]
    if trainee.bt_end:
        drafts += _bt_goal_drafts(records)
        drafts.append(
            Draft(
                key="baskompetens",
                form=form(HSLF, 4),
                title="Uppnådd baskompetens",
                packet=BT,
                # Both signers sign on paper; in the system it is complete once
                # every BT goal is signed off and the external assessor is named.
                complete=records.assessor is not None
                and all(code in records.signoffs for code in BT_GOALS),
                signers=(main, records.assessor),
            )
        )
    return drafts


def _specialist_2021(records: Records, main: Person | None) -> Draft:
    return Draft(
        key="specialistkompetens",
        form=form(HSLF, 7),
        title="Uppnådd specialistkompetens",
        packet=ST,
        complete=_all_curriculum_signed(records),
        signers=(main, None),
    )


def _specialist_2015(records: Records) -> Draft:
    director = records.person(records.study_director)
    return Draft(
        key="specialistkompetens",
        form=form("SOSFS 2015:8", 2),
        title="Uppnådd specialistkompetens",
        packet=ST,
        complete=_all_curriculum_signed(records),
        signers=(records.person(records.head_of_unit), records.person(records.main_supervisor)),
        fields={"study_director": director},
    )


def _all_curriculum_signed(records: Records) -> bool:
    goals = records.curriculum_goals
    return bool(goals) and all(code in records.signoffs for code in goals)


def _evidence_lines(records: Records, codes: list[str]) -> tuple[str, str]:
    """Per goal: the activities that name it, and how it was checked."""
    activities, checks = [], []
    for code in codes:
        done = [
            f"{r.unit_name} {sv.period(r.start, r.end)} (klinisk tjänstgöring)"
            for r in records.rotations
            if code in r.goal_codes
        ]
        done += [
            f"{a.title} {sv.period(a.start, a.end)} ({a.get_kind_display().lower()})"
            for a in records.activities
            if code in a.goal_codes or (code == SCIENTIFIC_GOAL and a.kind == "scientific_work")
        ]
        activities.append(f"{code}: {'; '.join(done) or '–'}")
        checks.append(f"{code}: {'; '.join(_checks(records, code)) or '–'}")
    return "\n".join(activities), "\n".join(checks)


# How each kind of cited record shows that a goal was checked (the form asks
# for "bedömningar av kliniskt omhändertagande eller kursexaminationer").
CHECK_BY_KIND = {
    "course": "kursexamination",
    "auskultation": "handledarens bedömning efter auskultationen",
    "scientific_work": "granskning av det skriftliga arbetet",
    "quality_work": "redovisning av utvecklingsarbetet",
}


def _checks(records: Records, code: str) -> list[str]:
    """What checked this goal: its assessments, the records its sign-off cites, the comment."""
    how = [
        f"{a.get_method_display()} {sv.yymmdd(a.performed_on)}"
        for a in records.assessments
        if code in a.goal_codes
    ]
    signoff = records.signoffs.get(code)
    if signoff is None:
        return how
    cited = set(signoff.evidence)
    how += [
        f"bedömning under klinisk tjänstgöring vid {r.unit_name}"
        for r in records.rotations
        if f"rotation:{r.pk}" in cited
    ]
    how += [
        f"{CHECK_BY_KIND[a.kind]}: {a.title}"
        for a in records.activities
        if f"activity:{a.pk}" in cited and a.kind in CHECK_BY_KIND
    ]
    if signoff.comment:
        how.append(signoff.comment)
    signed = sv.yymmdd(timezone.localdate(signoff.signed_at))
    return how or [f"handledarens samlade bedömning {signed}"]


def _sta3(records: Records) -> Draft:
    signoff = records.signoffs.get(SCIENTIFIC_GOAL)
    signer = (
        records.person(signoff.signed_by) if signoff else records.person(records.main_supervisor)
    )
    done, how = _evidence_lines(records, [SCIENTIFIC_GOAL])
    return Draft(
        key="sta3",
        form=form(HSLF, 12),
        title="Delmål STa3. Medicinsk vetenskap",
        packet=ST,
        complete=signoff is not None,
        signers=(signer,),
        fields={"activities": done, "checks": how},
    )


def _bt_goal_drafts(records: Records) -> list[Draft]:
    """One BT goal certificate per supervisor who signed BT goals off, and one for the rest."""
    by_signer: dict[int, list[str]] = defaultdict(list)
    for code in BT_GOALS:
        if (signoff := records.signoffs.get(code)) is not None:
            by_signer[signoff.signed_by_id].append(code)
    drafts = []
    for user_id, codes in by_signer.items():
        signer = records.person(records.signoffs[codes[0]].signed_by)
        drafts.append(_bt_goal_draft(records, f"bt-delmal-{user_id}", codes, signer, complete=True))
    rest = [c for c in BT_GOALS if c not in records.signoffs]
    if rest:
        signer = records.person(records.main_supervisor)
        drafts.append(_bt_goal_draft(records, "bt-delmal", rest, signer, complete=False))
    return drafts


def _bt_goal_draft(
    records: Records, key: str, codes: list[str], signer: Person | None, *, complete: bool
) -> Draft:
    done, how = _evidence_lines(records, codes)
    return Draft(
        key=key,
        form=form(HSLF, 2),
        title=f"Delmål i bastjänstgöringen ({codes[0]}–{codes[-1]})"
        if len(codes) > 1
        else f"Delmål i bastjänstgöringen ({codes[0]})",
        packet=BT,
        complete=complete,
        signers=(signer,),
        fields={"goals": ", ".join(codes), "activities": done, "checks": how},
    )


# --- Service lists ---------------------------------------------------------------


def _service_drafts(records: Records) -> list[Draft]:
    trainee = records.trainee
    head = records.person(records.head_of_unit, records.home_workplace)
    end = min(records.today, records.planned_end)
    drafts = []
    if trainee.regulation == HSLF:
        drafts.append(_service_draft(records, "tjanstgoring", 6, ST, trainee.start_date, end, head))
        if trainee.bt_end:
            bt_end = min(trainee.bt_end, records.today)
            drafts.append(
                _service_draft(records, "bt-tjanstgoring", 3, BT, trainee.start_date, bt_end, head)
            )
    return drafts


def service_list(records: Records, start: date, end: date) -> list[sv.ServiceRow]:
    """The service rows of the trainee between start and end."""
    trainee = records.trainee
    home = sv.Placement(
        place=records.home_workplace,
        start=start,
        end=end,
        extent_percent=trainee.extent_percent,
        primary_care=trainee.home_unit.kind == "health_centre",
        emergency="akut" in trainee.home_unit.name.lower(),
    )
    rotations = [
        sv.Placement(
            place=_rotation_place(r),
            start=r.start,
            end=r.end,
            extent_percent=r.extent_percent,
            primary_care=r.unit is not None and r.unit.kind == "health_centre",
            emergency="akut" in f"{r.unit_name} {r.description}".lower(),
        )
        for r in records.rotations
    ]
    absences = [sv.Span(a.start, a.end) for a in records.absences]
    return sv.service_rows(home, rotations, absences)


def _service_fields(records: Records, start: date, end: date) -> dict[str, Any]:
    rows = service_list(records, start, end)
    return {
        "rows": rows,
        "sum": sv.total(rows),
        "primary_care": _part_text([r for r in rows if r.primary_care]),
        "emergency": _part_text([r for r in rows if r.emergency]),
    }


def _part_text(rows: list[sv.ServiceRow]) -> str:
    if not rows:
        return ""
    lines = [
        f"{r.place} {sv.period(r.start, r.end)}: {sv.months_text(r.fte_months)} månader på heltid"
        for r in rows
    ]
    lines.append(f"Sammanlagt {sv.months_text(sv.total(rows))} månader på heltid.")
    return "\n".join(lines)


def _service_draft(
    records: Records,
    key: str,
    number: int,
    packet: str,
    start: date,
    end: date,
    head: Person | None,
) -> Draft:
    regulation = records.trainee.regulation
    return Draft(
        key=key,
        form=form(regulation, number),
        title=form(regulation, number).title,
        packet=packet,
        complete=end < records.today and _rotations_signed(records, start, end),
        signers=(head,),
        fields=_service_fields(records, start, end),
    )


def _rotations_signed(records: Records, start: date, end: date) -> bool:
    inside = [r for r in records.rotations if r.start <= end and r.end >= start]
    return all(code in records.signoffs for r in inside for code in r.goal_codes)


# --- Applications ----------------------------------------------------------------


def _application(records: Records, spec: FormSpec, packet: str, members: list[Draft]) -> Draft:
    numbers: dict[int, list[int]] = defaultdict(list)
    for draft in members:
        numbers[draft.form.number].append(draft.number or 0)
    fields: dict[str, Any] = {"attached": {str(n): _number_list(v) for n, v in numbers.items()}}
    if records.trainee.regulation != HSLF:
        start, end = records.trainee.start_date, min(records.today, records.planned_end)
        fields.update(_service_fields(records, start, end))
    key = "bt-ansokan" if packet == BT else "ansokan"
    return Draft(
        key=key,
        form=spec,
        title=spec.title,
        packet=packet,
        complete=bool(members) and all(d.complete for d in members),
        fields=fields,
    )


def _number_list(numbers: list[int]) -> str:
    """1, 2, 3, 5 → "1–3, 5": how the attachments are numbered on the application."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def find(drafts: list[Draft], key: str) -> Draft | None:
    """The draft with this key."""
    return next((d for d in drafts if d.key == key), None)
