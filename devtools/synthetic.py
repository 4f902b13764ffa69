"""Synthetic trainees for the benchmarks: one per engine portfolio, in each region's one unit.

Written with bulk inserts and no audit lines or snapshots: the benchmarks time
the evaluation itself. Callers use `devtools.seeding`, not this module.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from assessments.models import Specialty
from devtools.demo import REGIONS
from regions.models import Region, Unit
from regions.rules.engine import Event, Portfolio
from stprogram.models import User
from trainees.models import Absence, Activity, HistoricalEvent, Rotation, Trainee

# Objects per bulk_create call (Django splits each into statements the backend accepts).
CHUNK = 20_000
# Every synthetic trainee's home unit until `devtools.national_scale` spreads them.
BENCH_UNIT = "Benchmark-enhet"


def seed_trainees(portfolios: list[Portfolio], first: int = 0) -> list[Region]:
    """Trainees for these portfolios (users numbered from `first`), in each region's one unit."""
    regions = {
        slug: Region.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in REGIONS.items()
    }
    specialty, _ = Specialty.objects.get_or_create(
        slug="allmanmedicin", defaults={"name": "Allmänmedicin"}
    )
    units = {
        slug: Unit.unscoped.get_or_create(
            region=region,
            name=BENCH_UNIT,
            defaults={
                "kind": "health_centre",
                "specialty": specialty,
                "first_trainee_start": date(2010, 1, 1),
            },
        )[0]
        for slug, region in regions.items()
    }
    users = User.objects.bulk_create(
        [
            User(email=f"bench{first + i}@bench.invalid", password="!")
            for i in range(len(portfolios))
        ],
        batch_size=CHUNK,
    )
    trainees = Trainee.unscoped.bulk_create(
        [
            Trainee(
                region=regions[p.region],
                user=user,
                home_unit=units[p.region],
                specialty=specialty,
                regulation=p.trainee.regulation,
                start_date=p.trainee.start,
                bt_end=p.trainee.bt_end,
                extent_percent=p.trainee.extent_percent,
            )
            for p, user in zip(portfolios, users, strict=True)
        ],
        batch_size=CHUNK,
    )
    _seed_events(portfolios, trainees, users[0])
    return list(regions.values())


def _seed_events(portfolios: list[Portfolio], trainees: list[Trainee], by: User) -> None:
    rows: dict[type, list[Any]] = {HistoricalEvent: [], Rotation: [], Absence: [], Activity: []}
    for portfolio, trainee in zip(portfolios, trainees, strict=True):
        for event in portfolio.events:
            model, row = _row(event, trainee, by)
            rows[model].append(row)
    for model, objects in rows.items():
        model.unscoped.bulk_create(objects, batch_size=CHUNK)


def _row(event: Event, trainee: Trainee, by: User) -> tuple[type, Any]:
    common = {"region_id": trainee.region_id, "trainee": trainee}
    if event.type == "rotation":
        return Rotation, Rotation(
            **common,
            created_by=by,
            unit_name="Placering",
            start=event.start,
            end=event.end,
            external=event.external,
            local_supervisor_name="X" if event.supervisor_named else "",
            contact_date=event.contact_date,
            feedback_date=event.feedback_date,
        )
    if event.type == "absence":
        return Absence, Absence(
            **common, created_by=by, kind="other", start=event.start, end=event.end
        )
    if event.type == "course":
        return Activity, Activity(
            **common, created_by=by, kind="course", title="Kurs", start=event.date, end=event.date
        )
    data = {k: getattr(event, k) for k in ("phase", "minutes", "method") if getattr(event, k)}
    return HistoricalEvent, HistoricalEvent(**common, type=event.type, date=event.date, data=data)
