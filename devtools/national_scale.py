"""National scale for the benchmarks: synthetic trainees over many units, and their people.

Heads of unit, study directors, a regional study director, main supervisors
with their training, and unit reviews due around the benchmark day. Callers
use `devtools.seeding`, not this module.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from itertools import batched
from typing import Any

from devtools.bench.engine import BENCH_ON, iter_synthetic_portfolios
from devtools.synthetic import BENCH_UNIT, CHUNK, seed_trainees
from inspections.models import Inspection
from regions.models import Membership, Region, Role, Unit
from regions.rules.engine import add_months
from stprogram.models import User
from supervision.models import Assignment, SupervisorTraining
from trainees.models import Trainee

TRAINEES_PER_SUPERVISOR = 4
UNITS_PER_STUDY_DIRECTOR = 5
SEED = 20260601
# Trainees seeded per round: the events of all 10,000 at once take gigabytes,
# and even 500 (150,000 model instances) pass the scan's memory target.
SEED_CHUNK = 100


def seed_national_scale(
    n: int, units: int, events_per_trainee: int
) -> tuple[dict[str, Any], list[Region]]:
    """Trainees and their events, then the units and people around them."""
    rng = random.Random(SEED)
    regions = _seed_trainees(n, events_per_trainee)
    trainees = _bench_trainees(regions)
    unit_lists = _seed_units(regions, trainees, units, rng)
    home = _place_trainees(trainees, unit_lists)
    _seed_unit_staff(unit_lists)
    supervisors = _seed_supervisors(trainees, home)
    _seed_inspections(unit_lists, rng)
    _seed_supervisor_training(supervisors, rng)
    counts = {
        "trainees": len(trainees),
        "units": sum(len(u) for u in unit_lists.values()),
        "supervisors": len(supervisors),
    }
    return counts, regions


def _seed_trainees(n: int, events_per_trainee: int) -> list[Region]:
    """`n` synthetic trainees with their events, written a chunk at a time."""
    regions: list[Region] = []
    portfolios = iter_synthetic_portfolios(n, events_per_trainee)
    for i, chunk in enumerate(batched(portfolios, SEED_CHUNK)):
        regions = seed_trainees(list(chunk), first=i * SEED_CHUNK)
    return regions


def _bench_trainees(regions: list[Region]) -> list[tuple[int, int, date]]:
    """(pk, region pk, start) of the trainees `seed_trainees` placed in its one unit per region."""
    rows = Trainee.unscoped.filter(region__in=regions, home_unit__name=BENCH_UNIT)
    return list(rows.order_by("pk").values_list("pk", "region_id", "start_date"))


def _seed_units(
    regions: list[Region], trainees: list[tuple[int, int, date]], total: int, rng: random.Random
) -> dict[int, list[Unit]]:
    """Each region's units, as many as its share of the trainees; BENCH_UNIT is the first."""
    per_region = _shares(regions, trainees, total)
    created: dict[int, list[Unit]] = {}
    new: list[Unit] = []
    for region in regions:
        first = Unit.unscoped.get(region=region, name=BENCH_UNIT)
        created[region.pk] = [first]
        for i in range(1, per_region[region.pk]):
            start = date(2000, 1, 1) + timedelta(days=rng.randrange(20 * 365))
            new.append(
                Unit(
                    region=region,
                    name=f"{BENCH_UNIT} {i:04d}",
                    kind=first.kind,
                    specialty_id=first.specialty_id,
                    first_trainee_start=start,
                )
            )
    for unit in Unit.unscoped.bulk_create(new, batch_size=CHUNK):
        created[unit.region_id].append(unit)
    return created


def _shares(
    regions: list[Region], trainees: list[tuple[int, int, date]], total: int
) -> dict[int, int]:
    """Units per region in proportion to its trainees (largest remainder), at least one each."""
    counts = {r.pk: 0 for r in regions}
    for _pk, region_id, _start in trainees:
        counts[region_id] += 1
    n = max(len(trainees), 1)
    exact = {pk: total * count / n for pk, count in counts.items()}
    shares = {pk: int(value) for pk, value in exact.items()}
    left = total - sum(shares.values())
    for pk in sorted(exact, key=lambda pk: exact[pk] - shares[pk], reverse=True)[:left]:
        shares[pk] += 1
    return {pk: max(share, 1) for pk, share in shares.items()}


def _place_trainees(
    trainees: list[tuple[int, int, date]], unit_lists: dict[int, list[Unit]]
) -> dict[int, Unit]:
    """Deal each region's trainees round-robin over its units; returns trainee pk -> unit."""
    home: dict[int, Unit] = {}
    dealt: defaultdict[int, int] = defaultdict(int)
    for pk, region_id, _start in trainees:
        units = unit_lists[region_id]
        home[pk] = units[dealt[region_id] % len(units)]
        dealt[region_id] += 1
    by_unit: defaultdict[int, list[int]] = defaultdict(list)
    for pk, unit in home.items():
        by_unit[unit.pk].append(pk)
    # One UPDATE per unit: a few thousand small statements beat a huge CASE expression.
    for unit_pk, pks in by_unit.items():
        Trainee.unscoped.filter(pk__in=pks).update(home_unit_id=unit_pk)
    return home


def _seed_unit_staff(unit_lists: dict[int, list[Unit]]) -> None:
    """A head of unit per unit, a study director per few units, a regional study director."""
    memberships: list[Membership] = []
    for region_id, units in unit_lists.items():
        heads = _users(f"head-{region_id}", len(units))
        directors = _users(f"sr-{region_id}", -(-len(units) // UNITS_PER_STUDY_DIRECTOR))
        [regional] = _users(f"rsr-{region_id}", 1)
        for i, unit in enumerate(units):
            memberships.append(_member(heads[i], region_id, Role.HEAD_OF_UNIT, unit))
            director = directors[i // UNITS_PER_STUDY_DIRECTOR]
            memberships.append(_member(director, region_id, Role.STUDY_DIRECTOR, unit))
        memberships.append(_member(regional, region_id, Role.REGIONAL_STUDY_DIRECTOR, None))
    Membership.unscoped.bulk_create(memberships, batch_size=CHUNK)


def _seed_supervisors(trainees: list[tuple[int, int, date]], home: dict[int, Unit]) -> list[User]:
    """A main supervisor per few trainees of the same unit, assigned from each trainee's start."""
    by_unit: defaultdict[int, list[tuple[int, int, date]]] = defaultdict(list)
    for row in trainees:
        by_unit[home[row[0]].pk].append(row)
    groups = [
        rows[i : i + TRAINEES_PER_SUPERVISOR]
        for rows in by_unit.values()
        for i in range(0, len(rows), TRAINEES_PER_SUPERVISOR)
    ]
    supervisors = _users("hl", len(groups))
    memberships: list[Membership] = []
    assignments: list[Assignment] = []
    for user, group in zip(supervisors, groups, strict=True):
        unit = home[group[0][0]]
        memberships.append(_member(user, unit.region_id, Role.SUPERVISOR, unit))
        assignments += [
            Assignment(
                region_id=region_id,
                trainee_id=pk,
                user=user,
                role=Assignment.Role.MAIN_SUPERVISOR,
                start_date=start,
            )
            for pk, region_id, start in group
        ]
    Membership.unscoped.bulk_create(memberships, batch_size=CHUNK)
    Assignment.unscoped.bulk_create(assignments, batch_size=CHUNK)
    return supervisors


def _seed_inspections(unit_lists: dict[int, list[Unit]], rng: random.Random) -> None:
    """One self-assessment and one external inspection per unit, next ones due around BENCH_ON."""
    rows: list[Inspection] = []
    for units in unit_lists.values():
        for unit in units:
            # Self-assessments are due every 2 years, external inspections every 5:
            # dates chosen so some are due within the reminders' 30 days.
            self_due = BENCH_ON + timedelta(days=rng.randrange(-60, 400))
            external_due = BENCH_ON + timedelta(days=rng.randrange(-60, 1500))
            rows.append(_inspection(unit, Inspection.Kind.SELF_ASSESSMENT, self_due, 24))
            rows.append(_inspection(unit, Inspection.Kind.EXTERNAL, external_due, 60))
    Inspection.unscoped.bulk_create(rows, batch_size=CHUNK)


def _inspection(unit: Unit, kind: str, due: date, interval_months: int) -> Inspection:
    performed = add_months(due, -interval_months)
    return Inspection(region_id=unit.region_id, unit=unit, kind=kind, performed_on=performed)


def _seed_supervisor_training(supervisors: list[User], rng: random.Random) -> None:
    """A basic and a supplementary course per supervisor, at mixed dates."""
    rows: list[SupervisorTraining] = []
    for user in supervisors:
        basic = BENCH_ON - timedelta(days=rng.randrange(10 * 365 + 60))
        extra = BENCH_ON - timedelta(days=rng.randrange(3 * 365 + 60))
        rows.append(SupervisorTraining(user=user, kind=SupervisorTraining.Kind.BASIC, date=basic))
        rows.append(
            SupervisorTraining(user=user, kind=SupervisorTraining.Kind.SUPPLEMENTARY, date=extra)
        )
    SupervisorTraining.objects.bulk_create(rows, batch_size=CHUNK)


def _users(prefix: str, count: int) -> list[User]:
    """`count` users with unique benchmark addresses and names for the e-mails."""
    return User.objects.bulk_create(
        [
            User(
                email=f"bench-{prefix}-{i}@bench.invalid",
                password="!",
                first_name="Bench",
                last_name=f"{prefix} {i}",
            )
            for i in range(count)
        ],
        batch_size=CHUNK,
    )


def _member(user: User, region_id: int, role: str, unit: Unit | None) -> Membership:
    return Membership(user=user, region_id=region_id, role=role, unit=unit)
