"""Benchmark from the database: national-scale synthetic trainees, evaluated region by region.

Everything is written inside one transaction that is rolled back at the end,
so the benchmark leaves the database as it found it.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.db import transaction

from assessments.models import Specialty
from obligations.facts import evaluate_region
from regions.models import Region, Unit
from regions.rules.bench import BENCH_ON, synthetic_portfolios
from regions.rules.engine import Event, Portfolio
from stprogram.demo import REGIONS
from stprogram.models import User
from trainees.models import Absence, Activity, HistoricalEvent, Rotation, Trainee

CHUNK = 20_000


class _RollbackError(Exception):
    pass


def bench_database(n: int, events_per_trainee: int) -> dict[str, Any]:
    """Seed `n` trainees, time one full evaluation, roll everything back."""
    figures: dict[str, Any] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            regions = _seed(synthetic_portfolios(n, events_per_trainee))
            figures["seed_seconds"] = round(time.perf_counter() - started, 1)
            figures.update(_evaluate(regions))
            raise _RollbackError
    except _RollbackError:
        pass
    return figures


def _evaluate(regions: list[Region]) -> dict[str, Any]:
    started = time.perf_counter()
    trainees = obligations = 0
    for region in regions:
        for _pk, evaluation in evaluate_region(region, BENCH_ON):
            trainees += 1
            obligations += len(evaluation.obligations)
    seconds = time.perf_counter() - started
    return {
        "trainees": trainees,
        "obligations": obligations,
        "seconds": round(seconds, 2),
        "trainees_per_second": round(trainees / seconds) if seconds else None,
    }


def _seed(portfolios: list[Portfolio], first: int = 0) -> list[Region]:
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
            name="Benchmark-enhet",
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
