"""Benchmark of the reminder scan at national scale, rolled back afterwards.

Seeds synthetic trainees (as `regions.bench_db` does, a chunk at a time),
spreads them over many units with heads of unit, study directors, main
supervisors and unit reviews, times the plain database evaluation of the same
trainees (`bench_engine --database`), then two scans on the benchmark day: the
first creates and delivers the due reminders, the second must find nothing new
to create or send.
"""

from __future__ import annotations

import ctypes
import random
import resource
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from itertools import batched
from pathlib import Path
from typing import Any
from unittest import mock

from django.core import mail
from django.db import transaction
from django.test.utils import override_settings
from django.urls import get_resolver
from django.utils import timezone

from inspections.models import Inspection
from regions.bench_db import CHUNK, _evaluate, _seed
from regions.models import Membership, Region, Role, Unit
from regions.rules.bench import BENCH_ON, iter_synthetic_portfolios
from regions.rules.engine import add_months
from stprogram.models import User
from stprogram.reminders import outbox
from supervision.models import Assignment, SupervisorTraining
from trainees.models import Trainee

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TRAINEES_PER_SUPERVISOR = 4
UNITS_PER_STUDY_DIRECTOR = 5
SEED = 20260601
# Trainees seeded per round: the events of all 10,000 at once take gigabytes,
# and even 500 (150,000 model instances) pass the scan's memory target.
SEED_CHUNK = 100


class _RollbackError(Exception):
    pass


def bench_reminders(n: int, units: int, events_per_trainee: int) -> dict[str, Any]:
    """Seed `n` trainees over `units` units, time two reminder scans, roll everything back."""
    figures: dict[str, Any] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            seeded, regions = _seed_all(n, units, events_per_trainee)
            figures.update(seeded)
            figures["seed_seconds"] = round(time.perf_counter() - started, 1)
            evaluation = _evaluation(regions)
            figures.update({f"evaluation_{key}": value for key, value in evaluation.items()})
            figures["seed_and_evaluation_peak_memory_mb"] = _peak_memory_mb()
            # On SQLite the one rolled-back seeding transaction keeps its pages
            # in the process; the scans' own share is their peak minus this.
            _release_freed_memory()
            figures["memory_before_scans_mb"] = _current_memory_mb()
            _reset_peak_memory()
            figures.update(_scans())
            figures["scan_peak_memory_mb"] = _peak_memory_mb()
            figures["scan1_to_evaluation"] = _ratio(figures["scan1_seconds"], evaluation)
            without_mail = figures["scan1_seconds"] - figures["scan1_delivery_seconds"]
            figures["scan1_without_delivery_to_evaluation"] = _ratio(without_mail, evaluation)
            figures["scan1_cpu_to_evaluation_cpu"] = _ratio(
                figures["scan1_cpu_seconds"], evaluation, "cpu_seconds"
            )
            figures["scan2_to_evaluation"] = _ratio(figures["scan2_seconds"], evaluation)
            raise _RollbackError
    except _RollbackError:
        pass
    # The whole run's peak: the higher of the seeding's and the scans'.
    figures["peak_memory_mb"] = max(
        _peak_memory_mb(), figures.get("seed_and_evaluation_peak_memory_mb", 0)
    )
    return figures


def _seed_all(n: int, units: int, events_per_trainee: int) -> tuple[dict[str, Any], list[Region]]:
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
        regions = _seed(list(chunk), first=i * SEED_CHUNK)
    return regions


def _ratio(seconds: float, evaluation: dict[str, Any], key: str = "seconds") -> float | None:
    """What the scan costs per unit of plain evaluation of the same trainees."""
    return round(seconds / evaluation[key], 2) if evaluation.get(key) else None


def _evaluation(regions: list[Region]) -> dict[str, Any]:
    """`bench_engine --database` on the seeded trainees, with its CPU time."""
    cpu = time.process_time()
    figures = _evaluate(regions)
    figures["cpu_seconds"] = round(time.process_time() - cpu, 2)
    return figures


def _bench_trainees(regions: list[Region]) -> list[tuple[int, int, date]]:
    """(pk, region pk, start) of the trainees `_seed` placed in its one unit per region."""
    rows = Trainee.unscoped.filter(region__in=regions, home_unit__name="Benchmark-enhet")
    return list(rows.order_by("pk").values_list("pk", "region_id", "start_date"))


def _seed_units(
    regions: list[Region], trainees: list[tuple[int, int, date]], total: int, rng: random.Random
) -> dict[int, list[Unit]]:
    """Each region's units, as many as its share of the trainees; `_seed`'s unit is the first."""
    per_region = _shares(regions, trainees, total)
    created: dict[int, list[Unit]] = {}
    new: list[Unit] = []
    for region in regions:
        first = Unit.unscoped.get(region=region, name="Benchmark-enhet")
        created[region.pk] = [first]
        for i in range(1, per_region[region.pk]):
            start = date(2000, 1, 1) + timedelta(days=rng.randrange(20 * 365))
            new.append(
                Unit(
                    region=region,
                    name=f"Benchmark-enhet {i:04d}",
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


def _scans() -> dict[str, Any]:
    """Two scans on BENCH_ON at 08:00, e-mail kept in memory; the second must be empty."""
    now = datetime.combine(BENCH_ON, dt_time(8), tzinfo=timezone.get_current_timezone())
    previous = getattr(mail, "outbox", None)
    mail.outbox = []
    # A running scheduler has its URLs loaded; the first reverse() would
    # otherwise charge their import (seconds without .pyc files) to scan 1.
    get_resolver().url_patterns  # noqa: B018
    try:
        with override_settings(MAILERS=LOCMEM):
            first = _timed_scan(now)
            emails = len(mail.outbox)
            second = _timed_scan(now)
    finally:
        mail.outbox = previous if previous is not None else []
    return {
        **{f"scan1_{key}": value for key, value in first.items()},
        **{f"scan2_{key}": value for key, value in second.items()},
        "emails": emails,
    }


def _timed_scan(now: datetime) -> dict[str, Any]:
    """One scan with its total time and the part spent delivering, on the clock and in CPU.

    The CPU time of this process is what a shared, loaded machine does not inflate.
    """
    spent = {"delivery": 0.0}
    with _timing(outbox, "deliver_ready", spent, "delivery"):
        started, cpu = time.perf_counter(), time.process_time()
        result = outbox.scan(on=BENCH_ON, now=now)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "delivery_seconds": round(spent["delivery"], 2),
        "obligations": result.obligations,
        "created": result.created,
        "cancelled": result.cancelled,
        "sent": result.delivery.sent,
        "failed": result.delivery.failed,
    }


@contextmanager
def _timing(module: Any, name: str, spent: dict[str, float], key: str) -> Iterator[None]:
    """Add the time spent in `module.name` to `spent[key]` while the block runs."""
    original: Callable[..., Any] = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - started

    with mock.patch.object(module, name, timed):
        yield


def _peak_memory_mb() -> int:
    """Peak resident memory of this process since the last reset (or its start), in MB."""
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(status.split("VmHWM:")[1].split()[0]) / 1024)
    except (OSError, IndexError, ValueError):
        # Not Linux: the peak since the process started (reported in bytes on macOS).
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _current_memory_mb() -> int | None:
    """Resident memory now (Linux), in MB."""
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(status.split("VmRSS:")[1].split()[0]) / 1024)
    except (OSError, IndexError, ValueError):
        return None


def _release_freed_memory() -> None:
    """Hand the seeding's freed heap back to the system (glibc), so it is not counted as the scans'.

    Seeding frees its objects chunk by chunk, but glibc keeps the freed pages;
    without this the resident memory the scans start from is the seeding's
    high-water mark. Elsewhere a no-op.
    """
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _reset_peak_memory() -> None:
    """Start the peak over (Linux), so the scans' own peak is not the seeding's."""
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
