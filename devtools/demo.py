"""Demo data: five regions with units, people in every role, and trainees.

Idempotent: every row is found by a natural key and brought to the state
described here, so running it twice leaves the same data. Dates are fixed,
not relative to today, for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assessments.models import Regulation, Specialty
from assessments.services import catalogue_load_shipped
from devtools.demo_programme import seed_external_assessor, seed_programme, seed_supervisor
from inspections.models import Finding, Inspection, InspectionMeasure
from obligations.snapshot import refresh_trainee
from regions.models import Membership, Region, Role, Unit
from regions.rules.profile import load_profile
from stprogram.accounts import email_address_vouch
from stprogram.models import User
from supervision.models import Assignment
from trainees.grants import grant_permission_give
from trainees.models import Rotation, RotationAccessGrant, Trainee

SPECIALTIES = {
    "allmanmedicin": "Allmänmedicin",
    "psykiatri": "Psykiatri",
    "internmedicin": "Internmedicin",
}

REGIONS = {
    "blekinge": "Region Blekinge",
    "norrbotten": "Region Norrbotten",
    "ostergotland": "Region Östergötland",
    "jonkoping": "Region Jönköpings län",
    "halland": "Region Halland",
}

# (name, kind, specialty, first took ST trainees)
UNITS: dict[str, list[tuple[str, str, str, date | None]]] = {
    "blekinge": [
        ("Vårdcentralen Ronneby", "health_centre", "allmanmedicin", date(2012, 9, 1)),
        ("Vårdcentralen Karlshamn", "health_centre", "allmanmedicin", date(2015, 2, 1)),
        ("Psykiatriska kliniken Karlskrona", "clinic", "psykiatri", date(2009, 1, 15)),
        ("Medicinkliniken Blekingesjukhuset", "clinic", "internmedicin", date(2008, 3, 1)),
    ],
    "norrbotten": [
        ("Hälsocentralen Kiruna", "health_centre", "allmanmedicin", date(2014, 8, 18)),
        ("Hälsocentralen Hertsön", "health_centre", "allmanmedicin", date(2018, 1, 8)),
        ("Medicinkliniken Sunderby sjukhus", "clinic", "internmedicin", date(2010, 9, 1)),
        ("Psykiatriska kliniken Luleå", "clinic", "psykiatri", date(2011, 2, 1)),
    ],
    "ostergotland": [
        ("Vårdcentralen Ekholmen", "health_centre", "allmanmedicin", date(2013, 1, 7)),
        ("Vårdcentralen Kärna", "health_centre", "allmanmedicin", date(2016, 8, 15)),
        ("Vårdcentralen Skärblacka", "health_centre", "allmanmedicin", date(2025, 2, 3)),
    ],
    "jonkoping": [
        ("Vårdcentralen Huskvarna", "health_centre", "allmanmedicin", date(2012, 3, 1)),
        ("Medicinkliniken Länssjukhuset Ryhov", "clinic", "internmedicin", date(2007, 9, 1)),
        ("Psykiatriska kliniken Jönköping", "clinic", "psykiatri", date(2010, 1, 11)),
    ],
    "halland": [
        ("Vårdcentralen Falkenberg", "health_centre", "allmanmedicin", date(2014, 4, 1)),
        ("Medicinkliniken Hallands sjukhus Halmstad", "clinic", "internmedicin", date(2009, 9, 1)),
        ("Psykiatri Halland Varberg", "clinic", "psykiatri", date(2025, 9, 1)),
    ],
}


@dataclass(frozen=True)
class DemoTrainee:
    key: str
    first: str
    last: str
    unit_index: int
    regulation: str
    start: date
    bt_end: date | None = None
    extent: int = 100
    track: str = "ordinary"


TRAINEES = [
    DemoTrainee("st2015", "Sara", "Lind", 0, Regulation.SOSFS_2015_8, date(2021, 2, 1)),
    DemoTrainee(
        "st2021", "Johan", "Ek", 0, Regulation.HSLF_FS_2021_8, date(2023, 9, 4), date(2024, 8, 31)
    ),
    DemoTrainee(
        "bt", "Amira", "Haddad", 1, Regulation.HSLF_FS_2021_8, date(2026, 3, 2), date(2027, 2, 28)
    ),
    DemoTrainee(
        "st2021b",
        "Erik",
        "Nyström",
        2,
        Regulation.HSLF_FS_2021_8,
        date(2022, 1, 10),
        date(2022, 12, 31),
        extent=75,
    ),
]

# Every demo account's password: printed by `seed_demo` and in the README, so
# it must never exist where real people log in (the app is development-only).
DEMO_PASSWORD = "st-demo-2026"

# (e-mail local part, first name, last name) of the staff in every region.
STAFF = {
    "hh": ("Karin", "Holm"),
    "hh2": ("Per", "Sandberg"),
    "sr": ("Anders", "Berg"),
    "vc": ("Maria", "Lundqvist"),
    "rsr": ("Lena", "Forsberg"),
    "admin": ("Olof", "Strand"),
}
# The same study director works in two regions and switches between them.
TWO_REGION_USER = ("sr@tva-regioner.demo", "Eva", "Dahl", ("blekinge", "halland"))


@cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; the demo accounts share one password, so hash it once.
    return make_password(DEMO_PASSWORD)


def _user(email: str, first: str, last: str) -> User:
    user, _created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first, "last_name": last, "password": _demo_password_hash()},
    )
    if (user.first_name, user.last_name) != (first, last):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    email_address_vouch(user=user)
    return user


def _member(user: User, region: Region, role: str, unit: Unit | None = None) -> None:
    Membership.unscoped.get_or_create(user=user, region=region, role=role, unit=unit)


def _seed_region(region: Region, specialties: dict[str, Specialty]) -> None:
    units = []
    for name, kind, spec, first_start in UNITS[region.slug]:
        unit, _ = Unit.unscoped.update_or_create(
            region=region,
            name=name,
            defaults={
                "kind": kind,
                "specialty": specialties[spec],
                "first_trainee_start": first_start,
            },
        )
        units.append(unit)
    staff = {k: _user(f"{k}@{region.slug}.demo", f, n) for k, (f, n) in STAFF.items()}
    for unit in units:
        _member(staff["sr"], region, Role.STUDY_DIRECTOR, unit)
    for unit in units[:2]:
        _member(staff["vc"], region, Role.HEAD_OF_UNIT, unit)
    _member(staff["hh"], region, Role.SUPERVISOR, units[0])
    _member(staff["hh2"], region, Role.SUPERVISOR, units[1])
    seed_supervisor(staff["hh"], units[0].specialty_id, qualified=True)
    seed_supervisor(staff["hh2"], units[1].specialty_id, qualified=False)
    _member(staff["rsr"], region, Role.REGIONAL_STUDY_DIRECTOR)
    _member(staff["admin"], region, Role.REGIONAL_ADMIN)
    for spec in TRAINEES:
        _seed_trainee(region, units, staff, spec)
    _seed_reviews(region, units, staff["vc"])
    _seed_findings(region, units[0], staff)


def _seed_reviews(region: Region, units: list[Unit], head: User) -> None:
    """Past reviews, dated from today so the first unit's next ones fall due within weeks.

    That gives a fresh demo something in the heads of unit's and study
    directors' notifications whatever day it is started.
    """
    profile = load_profile(region.slug)
    today = timezone.localdate()
    for kind, soon in (("external_inspection", 20), ("self_assessment", 6)):
        rule = profile.rule(kind)
        if rule is None:
            continue
        for index, unit in enumerate(units):
            next_due = today + timedelta(days=soon if index == 0 else 400)
            Inspection.unscoped.update_or_create(
                region=region,
                unit=unit,
                kind=kind,
                defaults={
                    "performed_on": next_due - relativedelta(months=rule.interval_months),
                    "ordering_body": "LIPUS" if kind == "external_inspection" else "",
                    "created_by": head,
                },
            )


def _seed_findings(region: Region, unit: Unit, staff: dict[str, User]) -> None:
    """The first unit's last external review: two findings and a plan to follow up."""
    review = (
        Inspection.unscoped.filter(unit=unit, kind="external_inspection")
        .order_by("-performed_on")
        .first()
    )
    if review is None:
        return
    today = timezone.localdate()
    review.inspectors = "Demo Inspektör, Exempel Granskare"
    review.follow_up_due = today + timedelta(days=120)
    review.save(update_fields=["inspectors", "follow_up_due"])
    deficiency, _ = Finding.unscoped.get_or_create(
        region=region,
        inspection=review,
        kind="deficiency",
        area="supervision",
        defaults={
            "severity": "moderate",
            "text": "Handledarsamtalen är inte schemalagda för alla ST-läkare.",
        },
    )
    Finding.unscoped.get_or_create(
        region=region,
        inspection=review,
        kind="recommendation",
        area="learning",
        defaults={"severity": "minor", "text": "Inför en gemensam internutbildning varje vecka."},
    )
    InspectionMeasure.unscoped.get_or_create(
        region=region,
        inspection=review,
        finding=deficiency,
        defaults={
            "description": "Schemalägg handledning varannan vecka för alla ST-läkare",
            "owner": staff["sr"],
            "due": today + timedelta(days=10),
        },
    )


def _seed_trainee(
    region: Region, units: list[Unit], staff: dict[str, User], spec: DemoTrainee
) -> None:
    unit = units[spec.unit_index % len(units)]
    user = _user(f"{spec.key}@{region.slug}.demo", spec.first, spec.last)
    _member(user, region, Role.TRAINEE)
    trainee, _ = Trainee.unscoped.update_or_create(
        region=region,
        user=user,
        defaults={
            "personnummer": _demo_personnummer(region.slug, spec.key),
            "home_unit": unit,
            "specialty": unit.specialty,
            "regulation": spec.regulation,
            "start_date": spec.start,
            "bt_end": spec.bt_end,
            "extent_percent": spec.extent,
            "track": spec.track,
        },
    )
    supervisor = staff["hh"] if spec.unit_index % 2 == 0 else staff["hh2"]
    for person, role in ((supervisor, "main_supervisor"), (staff["sr"], "study_director")):
        Assignment.unscoped.get_or_create(
            region=region,
            trainee=trainee,
            user=person,
            role=role,
            defaults={"start_date": spec.start},
        )
    if spec.unit_index < 2:
        holders = {
            "trainee": user,
            "main_supervisor": supervisor,
            "study_director": staff["sr"],
            "head_of_unit": staff["vc"],
        }
        seed_programme(trainee, holders, full=spec.key in ("st2015", "st2021"))
    if spec.key == "bt":
        # A demo study director then sees a BT with its external assessor named.
        seed_external_assessor(trainee, by=staff["sr"])


def _demo_personnummer(slug: str, key: str) -> str:
    """A valid-looking, made-up personnummer, stable per demo account."""
    birth = {"st2015": "19880412", "st2021": "19930921", "bt": "19970203", "st2021b": "19910707"}
    serial = f"{sorted(REGIONS).index(slug) * 20 + 101 + list(birth).index(key):03d}"
    digits = birth[key][2:] + serial
    total = sum(
        (lambda n: n - 9 if n > 9 else n)(int(ch) * (2 if i % 2 == 0 else 1))
        for i, ch in enumerate(digits)
    )
    return birth[key] + serial + str((10 - total % 10) % 10)


def _seed_cross_region_rotation(regions: dict[str, Region]) -> None:
    """Halland's st2021 rotates to Blekinge, supervised there by hh@blekinge.demo."""
    trainee = Trainee.unscoped.get(region=regions["halland"], user__email="st2021@halland.demo")
    host_supervisor = User.objects.get(email="hh@blekinge.demo")
    rotation, _ = Rotation.unscoped.get_or_create(
        region=trainee.region,
        trainee=trainee,
        unit_name="Barnkliniken Blekingesjukhuset",
        start=date(2026, 10, 5),
        defaults={
            "end": date(2027, 1, 29),
            "host_region": regions["blekinge"],
            "external": True,
            "local_supervisor": host_supervisor,
            "contact_date": date(2026, 6, 1),
            "created_by": trainee.user,
            "goal_codes": ["STc4"],
        },
    )
    grant, _created = RotationAccessGrant.unscoped.update_or_create(
        rotation=rotation,
        defaults={
            "region": trainee.region,
            "user": host_supervisor,
            "valid_from": rotation.start,
            "valid_until": date(2027, 2, 28),
            # Accepted by the receiving unit, as a grant must be before it gives access.
            "status": RotationAccessGrant.Status.ACCEPTED,
            "host_unit_id": Membership.unscoped.filter(user=host_supervisor, role=Role.SUPERVISOR)
            .exclude(unit=None)
            .values_list("unit", flat=True)
            .first(),
            "goal_codes": ["STc4"],
            "decided_by": User.objects.get(email="sr@blekinge.demo"),
        },
    )
    grant_permission_give(grant)


@transaction.atomic
def seed_demo() -> None:
    """Create or refresh all demo data."""
    catalogue_load_shipped()
    specialties = {
        slug: Specialty.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in SPECIALTIES.items()
    }
    regions = {
        slug: Region.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in REGIONS.items()
    }
    for region in regions.values():
        _seed_region(region, specialties)
    _seed_cross_region_rotation(regions)
    email, first, last, slugs = TWO_REGION_USER
    user = _user(email, first, last)
    for slug in slugs:
        region = regions[slug]
        for unit in Unit.unscoped.filter(region=region).order_by("name")[:1]:
            _member(user, region, Role.STUDY_DIRECTOR, unit)
    for pk in Trainee.unscoped.values_list("pk", flat=True):
        refresh_trainee(pk)


def demo_logins() -> list[tuple[str, str]]:
    """(e-mail, what the account is) for the README and the start-up banner."""
    rows = [
        ("st2015@blekinge.demo", "ST-läkare, SOSFS 2015:8, Blekinge"),
        ("st2021@halland.demo", "ST-läkare, HSLF-FS 2021:8, Halland"),
        ("bt@norrbotten.demo", "BT-läkare, Norrbotten"),
        ("hh@blekinge.demo", "Huvudhandledare, Blekinge; handleder en placering från Halland"),
        ("sr@blekinge.demo", "Studierektor, Blekinge"),
        ("vc@norrbotten.demo", "Verksamhetschef, Norrbotten"),
        ("rsr@jonkoping.demo", "Regionövergripande studierektor, Jönköping"),
        ("admin@ostergotland.demo", "Regional administratör, Östergötland"),
        (TWO_REGION_USER[0], "Studierektor i Blekinge och Halland"),
    ]
    return rows
