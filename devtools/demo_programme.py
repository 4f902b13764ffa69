"""Demo programme records: contract, IUP, rotations, activities, absence, signed as in life.

Fixed dates and natural keys keep it idempotent. Certificates later draw on
these records, so the two documented trainees (st2015@blekinge.demo,
st2021@halland.demo) carry a full set of learning activities.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from stprogram.models import Signature, User
from stprogram.signing import content_hash
from trainees import parties as p
from trainees.models import (
    Absence,
    Activity,
    Contract,
    ExternalAssessor,
    IupGoalPlan,
    IupPlannedItem,
    IupVersion,
    Rotation,
    Trainee,
)
from trainees.services import contract_content, iup_content

TZ = ZoneInfo("Europe/Stockholm")
CONTRACT_TERMS = (
    "ST-läkaren genomför specialiseringstjänstgöring enligt målbeskrivningen och det "
    "individuella utbildningsprogrammet. Verksamhetschefen ansvarar för att tjänstgöring, "
    "handledning och kurser kan genomföras. Huvudhandledaren ger regelbunden handledning "
    "och bedömer kompetensutvecklingen. Studierektorn följer upp utbildningen."
)


def _months(day: date, months: int) -> date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def _sign_all(
    obj: Model, content: dict, parties: p.Parties, holders: dict[str, User], day: date
) -> None:
    ct = ContentType.objects.get_for_model(obj)
    for group in parties.groups:
        party = group[0]
        Signature.objects.get_or_create(
            content_type=ct,
            object_id=obj.pk,
            party=party,
            defaults={
                "user": holders[party],
                "region_slug": obj.region.slug,
                "content_hash": content_hash(content),
                "signed_at": datetime.combine(day, time(10), tzinfo=TZ),
            },
        )


def seed_programme(trainee: Trainee, holders: dict[str, User], full: bool) -> None:
    """Give a demo trainee their records; `full` adds everything a certificate needs."""
    start = trainee.start_date
    by = holders[p.MAIN_SUPERVISOR]
    contract, _ = Contract.unscoped.get_or_create(
        region=trainee.region,
        trainee=trainee,
        kind="ordinary",
        version=1,
        defaults={"terms": CONTRACT_TERMS, "created_by": by},
    )
    _sign_all(
        contract,
        contract_content(contract),
        p.CONTRACT_PARTIES[trainee.region.slug],
        holders,
        start + (_months(start, 1) - start) // 2,
    )
    _seed_iup(trainee, holders, "ST", 1, _months(start, 4))
    if full:
        _seed_iup(trainee, holders, "ST", 2, _months(start, 16))
        _seed_records(trainee, by)
        if trainee.bt_end:
            _seed_bt_records(trainee, by)
        seed_supervision(trainee, holders)
        seed_certificate_signoffs(trainee, holders)


def _seed_iup(
    trainee: Trainee, holders: dict[str, User], phase: str, version: int, day: date
) -> None:
    iup, created = IupVersion.unscoped.get_or_create(
        region=trainee.region,
        trainee=trainee,
        phase=phase,
        version=version,
        defaults={
            "created_by": holders[p.TRAINEE],
            "change_summary": "" if version == 1 else "Årlig revision: placeringar uppdaterade.",
            "scientific_work": "Vetenskapligt arbete om behandling av hypertoni i primärvården.",
            "quality_work": "Förbättringsarbete om uppföljning av diabetes.",
            "self_study": "Fyra timmar per vecka enligt schema.",
        },
    )
    if created:
        IupGoalPlan.objects.bulk_create(
            [
                IupGoalPlan(iup=iup, goal_code=code, activities=acts, assessment=how)
                for code, acts, how in _goal_rows(trainee)
            ]
        )
        IupPlannedItem.objects.create(
            iup=iup,
            kind="rotation",
            title="Medicinkliniken",
            start=_months(trainee.start_date, 12),
            end=_months(trainee.start_date, 18),
        )
    _sign_all(
        iup,
        iup_content(iup),
        p.IUP_PARTIES[trainee.region.slug],
        holders,
        day if day < date(2026, 11, 1) else date(2026, 10, 30),
    )


def _goal_rows(trainee: Trainee) -> list[tuple[str, str, str]]:
    if trainee.regulation == "SOSFS 2015:8":
        return [
            ("a1", "Kurs i ledarskap; handledning av läkarstudenter.", "Handledarens intyg."),
            ("a5", "Kurs i vetenskapligt förhållningssätt; eget arbete.", "Intyg."),
            ("b1", "Medsittning och reflektion.", "Medsittning, Mini-CEX."),
        ]
    return [
        ("STa3", "Kurs i medicinsk vetenskap och eget arbete.", "Intyg STa3."),
        ("STa5", "Ledarskapskurs; leda teamet på vårdcentralen.", "Handledarens bedömning."),
        ("STb1", "Medsittning och videoinspelade konsultationer.", "Medsittning, Mini-CEX."),
    ]


def _seed_records(trainee: Trainee, by: User) -> None:
    start = trainee.start_date
    common = {"region": trainee.region, "trainee": trainee}
    Rotation.unscoped.get_or_create(
        **common,
        unit_name=f"Medicinkliniken, {_hospital(trainee)}",
        start=_months(start, 12),
        defaults={
            "end": _months(start, 18),
            "created_by": by,
            "local_supervisor_name": "Lars Medin",
            "goal_codes": _codes(trainee, "c"),
            "contact_date": _months(start, 9),
            "feedback_date": _months(start, 18),
            "description": "Sidotjänstgöring i internmedicin med akutmottagning.",
        },
    )
    for kind, title, offset, goals in _activities(trainee):
        Activity.unscoped.get_or_create(
            **common,
            kind=kind,
            title=title,
            defaults={
                "start": _months(start, offset),
                "end": _months(start, offset) + timedelta(days=COURSE_DAYS.get(title, 1) - 1),
                "created_by": by,
                # An auskultation takes place at a clinic; courses have a course provider.
                "provider": f"Geriatriska kliniken, {_hospital(trainee)}"
                if kind == "auskultation"
                else "Regionens ST-kurser",
                "leader_name": "Kursledare Anna Kurs",
                "goal_codes": goals,
                "description": DESCRIPTIONS.get(title, ""),
            },
        )
    Absence.unscoped.get_or_create(
        **common,
        kind="parental",
        start=_months(start, 24),
        defaults={"end": _months(start, 25), "created_by": by},
    )


def _hospital(trainee: Trainee) -> str:
    """The hospital of the demo trainee's region, so a clinic is never named without it."""
    return {"SOSFS 2015:8": "Blekingesjukhuset"}.get(
        trainee.regulation, "Hallands sjukhus Halmstad"
    )


# Days of the multi-day courses (the rest are one-day activities).
COURSE_DAYS = {"Ledarskap för ST-läkare": 3, "Vetenskaplig metodik": 2, "Medicinsk vetenskap": 2}
DESCRIPTIONS = {
    "Ledarskap för ST-läkare": "Tredagarskurs om ledarskap, kommunikation i team och "
    "förbättringsarbete, med examination genom en skriftlig reflektion.",
    "Vetenskaplig metodik": "Kurs i vetenskapligt förhållningssätt, studiedesign, statistik och "
    "kritisk granskning av litteratur.",
    "Medicinsk vetenskap": "Kurs i vetenskaplig metodik, forskningsetik och kritisk granskning, "
    "med eget projektarbete som examination.",
    "Auskultation vid geriatriken": "Auskultation på geriatriska kliniken med fokus på "
    "multisjuka äldre, läkemedelsgenomgångar och vårdplanering.",
    "Uppföljning av diabetes på vårdcentralen": "ST-läkaren ledde en förbättringsgrupp som "
    "införde strukturerad årskontroll för patienter med typ 2-diabetes och följde upp resultatet.",
    "Hypertonibehandling i primärvården": "Självständigt skriftligt arbete enligt vetenskapliga "
    "principer: journalgranskning av 200 patienter med hypertoni, redovisat vid ST-dagen.",
    "Introduktionskurs för BT-läkare": "Kurs om författningar, intygsskrivning, dokumentation, "
    "läkemedel och palliativ vård för läkare i bastjänstgöring.",
}
BT_COURSE_GOALS = ["BT3", "BT4", "BT5", "BT6", "BT7", "BT8", "BT11", "BT13", "BT14"]
BT_COURSE_GOALS += ["BT16", "BT17", "BT18"]
BT_EMERGENCY_GOALS = ["BT1", "BT2", "BT9", "BT10", "BT12", "BT15"]
# Records up to this day are finished in the demo and signed off; later ones are not.
SIGNED_UNTIL = date(2026, 10, 30)


def _seed_bt_records(trainee: Trainee, by: User) -> None:
    """BT's emergency-care part and a BT course, so every BT form has something to show."""
    start = trainee.start_date
    common = {"region": trainee.region, "trainee": trainee}
    Rotation.unscoped.get_or_create(
        **common,
        unit_name="Akutmottagningen, Hallands sjukhus Halmstad",
        start=_months(start, 6),
        defaults={
            "end": _months(start, 9) - (date(2000, 1, 2) - date(2000, 1, 1)),
            "created_by": by,
            "local_supervisor_name": "Nils Ström",
            "goal_codes": BT_EMERGENCY_GOALS,
            "feedback_date": _months(start, 9),
            "description": "BT:s del inom akut sjukvård: akutmottagningen, med handledning av "
            "specialist i akutsjukvård.",
        },
    )
    Activity.unscoped.get_or_create(
        **common,
        kind="course",
        title="Introduktionskurs för BT-läkare",
        defaults={
            "start": _months(start, 2),
            "end": _months(start, 2),
            "created_by": by,
            "provider": "Regionens BT-kurser",
            "leader_name": "Kursledare Anna Kurs",
            "goal_codes": BT_COURSE_GOALS,
            "description": DESCRIPTIONS["Introduktionskurs för BT-läkare"],
        },
    )


def seed_external_assessor(trainee: Trainee, by: User) -> None:
    """The BT's external assessor, named by the study director, as bilaga 4 asks for."""
    ExternalAssessor.unscoped.get_or_create(
        region=trainee.region,
        trainee=trainee,
        defaults={
            "created_by": by,
            "name": "Eva Berglund",
            "profession": "Specialist i allmänmedicin",
            "workplace": "Vårdcentralen Söder, Region Kalmar län",
            "email": "eva.berglund@example.org",
        },
    )


def seed_certificate_signoffs(trainee: Trainee, holders: dict[str, User]) -> None:
    """Sign off every goal that finished records name, citing those records.

    The certificates of those records then carry no "UTKAST" mark; the
    specialist-competence certificate stays a draft (not every goal is reached).
    """
    from assessments.models import GoalSignoff

    for code, keys in sorted(_record_evidence(trainee).items()):
        GoalSignoff.unscoped.get_or_create(
            region=trainee.region,
            trainee=trainee,
            goal_code=code,
            revoked_at=None,
            defaults={
                "signed_by": holders[p.MAIN_SUPERVISOR],
                "party": "main_supervisor",
                "evidence": sorted(keys),
                "content_hash": "0" * 64,
            },
        )


def _record_evidence(trainee: Trainee) -> dict[str, list[str]]:
    """Per goal, the finished rotations and activities that name it ("activity:12")."""
    evidence: dict[str, list[str]] = {}
    records = [
        *(("rotation", r) for r in Rotation.unscoped.filter(trainee=trainee)),
        *(("activity", a) for a in Activity.unscoped.filter(trainee=trainee)),
    ]
    for kind, record in records:
        if record.end > SIGNED_UNTIL:
            continue
        for code in record.goal_codes:
            evidence.setdefault(code, []).append(f"{kind}:{record.pk}")
    return evidence


def _codes(trainee: Trainee, group: str) -> list[str]:
    if trainee.regulation == "SOSFS 2015:8":
        return {"c": ["c1", "c2"], "a": ["a1"]}[group]
    return {"c": ["STc1", "STc2"], "a": ["STa5"]}[group]


def _activities(trainee: Trainee) -> list[tuple[str, str, int, list[str]]]:
    if trainee.regulation == "SOSFS 2015:8":
        return [
            ("course", "Ledarskap för ST-läkare", 8, ["a1"]),
            ("course", "Vetenskaplig metodik", 14, ["a5"]),
            ("auskultation", "Auskultation vid geriatriken", 20, ["c3"]),
            ("quality_work", "Uppföljning av diabetes på vårdcentralen", 30, ["a4"]),
            ("scientific_work", "Hypertonibehandling i primärvården", 40, ["a5"]),
        ]
    return [
        ("course", "Ledarskap för ST-läkare", 8, ["STa5"]),
        ("course", "Medicinsk vetenskap", 14, ["STa3"]),
        ("auskultation", "Auskultation vid geriatriken", 20, ["STc3"]),
        ("quality_work", "Uppföljning av diabetes på vårdcentralen", 30, ["STa2"]),
        ("scientific_work", "Hypertonibehandling i primärvården", 26, ["STa3"]),
    ]


def seed_supervisor(user: User, specialty_id: int, qualified: bool) -> None:
    """A supervisor profile; the unqualified one shows the warnings in the demo."""
    from supervision.models import SupervisorProfile, SupervisorTraining

    SupervisorProfile.objects.get_or_create(
        user=user, defaults={"specialty_id": specialty_id, "specialist_since": date(2012, 5, 1)}
    )
    if qualified:
        SupervisorTraining.objects.get_or_create(
            user=user,
            kind="supervisor_training_basic",
            date=date(2014, 3, 12),
            defaults={"provider": "Regionens handledarutbildning"},
        )
        SupervisorTraining.objects.get_or_create(
            user=user,
            kind="supervisor_training_supplementary",
            date=date(2025, 2, 4),
            defaults={"provider": "Regionens handledarutbildning"},
        )


def _author(kind: str, holders: dict[str, User]) -> User:
    """The person whose role writes this kind of yearly record (supervision.yearly)."""
    from supervision.yearly import yearly_form

    return holders[yearly_form(kind).author]


def seed_supervision(trainee: Trainee, holders: dict[str, User]) -> None:
    """Monthly supervision meetings, signed assessments, yearly records and one sign-off."""
    from assessments.models import Assessment, GoalSignoff
    from supervision.models import SupervisionMeeting, YearlyRecord
    from supervision.yearly import offered_in

    supervisor, start = holders[p.MAIN_SUPERVISOR], trainee.start_date
    common = {"region": trainee.region, "trainee": trainee}
    codes = _codes(trainee, "a")
    for month in range(0, 36, 1):
        day = _months(start, month) + (date(2000, 1, 10) - date(2000, 1, 1))
        if day >= date(2026, 11, 1):
            break
        SupervisionMeeting.unscoped.get_or_create(
            **common,
            date=day,
            defaults={
                "minutes": 60,
                "supervisor": supervisor,
                "created_by": trainee.user,
                "goal_codes": codes if month % 6 == 0 else [],
                "topics": "Genomgång av patientfall och IUP.",
                "confirmed_at": datetime.combine(day, time(16), tzinfo=TZ),
            },
        )
    for index, method in enumerate(
        ("mini-cex", "dops", "cbd", "medsittning", "specialistkollegium")
    ):
        day = _months(start, 3 + index * 5)
        Assessment.unscoped.get_or_create(
            **common,
            method=method,
            performed_on=day,
            defaults={
                "status": "signed",
                "assessor": supervisor,
                "requested_by": trainee.user,
                "goal_codes": codes,
                "data": {"performed_on": day.isoformat()},
                "completed_at": datetime.combine(day, time(15), tzinfo=TZ),
            },
        )
    kinds = (
        "trainee_annual_report",
        "supervisor_statement",
        "development_talk",
        "studierektor_followup",
        "supervision_evaluation",
        "supervisor_followup",
    )
    # Only the kinds the region's source asks for (Blekinge's follow-up talk).
    kinds = tuple(k for k in kinds if offered_in(k, trainee.region.slug))
    for year in range(1, 3):
        for kind in kinds:
            day = _months(start, 12 * year) - (date(2000, 1, 15) - date(2000, 1, 1))
            YearlyRecord.unscoped.get_or_create(
                **common,
                kind=kind,
                date=day,
                defaults={"data": {"date": day.isoformat()}, "author": _author(kind, holders)},
            )
    first = Assessment.unscoped.filter(trainee=trainee).order_by("pk").first()
    GoalSignoff.unscoped.get_or_create(
        **common,
        goal_code=codes[0],
        revoked_at=None,
        defaults={
            "signed_by": supervisor,
            "party": "main_supervisor",
            "evidence": sorted(
                [f"assessment:{first.pk}", *_record_evidence(trainee).get(codes[0], [])]
            ),
            "content_hash": "0" * 64,
        },
    )
