"""The load benchmark's database: seeded once at national scale, then served by gunicorn.

Runs in a child process (``manage.py bench_load --prepare``) whose settings
point at the throwaway database, never at the developer's own. The seed is
`bench_dashboards`' (trainees over many units with their staff and
supervisors, the largest region's obligation snapshot), committed this time
because another process serves it, plus the personas locust logs in as: a few
of the largest region's trainees and a few study directors over all of its
units who are also its regional study directors.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.db import connection, transaction

from devtools.bench.dashboards import (
    TRAINEES_PER_UNIT,
    analyze,
    fill_snapshot,
    largest_region,
)
from devtools.seeding import seed_national_scale
from obligations.dashboard import PAGE_SIZE
from regions.models import Membership, Region, Role, Unit
from stprogram.models import User
from trainees.models import Trainee

# The personas' one password, in a database that exists for the benchmark only.
PASSWORD = "bench-load-2026"
TRAINEE_PERSONAS = 40
DIRECTOR_PERSONAS = 10
DIRECTOR_EMAIL = "load-studierektor-{}@bench.invalid"


class SeedError(RuntimeError):
    """The database is not one the benchmark may seed or reuse."""


def prepare(trainees: int, events: int, reuse: bool, manifest: Path) -> None:
    """Migrate, seed unless `reuse` finds an earlier seed, and write what locust needs."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    _collectstatic()
    seeded = User.objects.filter(email=DIRECTOR_EMAIL.format(0)).exists()
    if seeded and not reuse:
        raise SeedError("Databasen är redan fylld av bench_load: ange --reuse, eller töm den.")
    seconds = None
    if not seeded:
        if Trainee.unscoped.exists():
            raise SeedError("Databasen innehåller redan ST-läkare: ange en tom databas.")
        started = time.perf_counter()
        _seed(trainees, events)
        seconds = round(time.perf_counter() - started, 1)
    manifest.write_text(json.dumps(_manifest() | {"seed_seconds": seconds}))


def _collectstatic() -> None:
    """Collect and compress the static files, unless done since the last change (it takes ~20 s)."""
    done = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if done.exists() and done.stat().st_mtime > _newest_static_source():
        return
    call_command("collectstatic", interactive=False, verbosity=0)


def _newest_static_source() -> float:
    """Modification time of the newest file collectstatic would copy."""
    return max(
        Path(storage.path(path)).stat().st_mtime
        for finder in get_finders()
        for path, storage in finder.list(["CVS", ".*", "*~"])
    )


def _seed(trainees: int, events: int) -> None:
    """The national-scale seed, committed, with statistics for PostgreSQL's planner."""
    with transaction.atomic():
        units = max(round(trainees / TRAINEES_PER_UNIT), 1)
        seed_national_scale(trainees=trainees, units=units, events_per_trainee=events)
        region = largest_region()
        fill_snapshot(region)
        _personas(region)
    analyze()


def _personas(region: Region) -> None:
    """Trainee and study-director logins in the largest region, sharing one password hash."""
    hashed = make_password(PASSWORD)
    first = Trainee.unscoped.filter(region=region).order_by("pk")[:TRAINEE_PERSONAS]
    user_pks = list(first.values_list("user_id", flat=True))
    User.objects.filter(pk__in=user_pks).update(password=hashed)
    Membership.unscoped.bulk_create(
        [Membership(user_id=pk, region=region, role=Role.TRAINEE) for pk in user_pks]
    )
    directors = User.objects.bulk_create(
        [
            User(email=DIRECTOR_EMAIL.format(i), password=hashed, first_name="Studierektor")
            for i in range(DIRECTOR_PERSONAS)
        ]
    )
    # Logins need a verified address (e-mail verification is mandatory).
    personas = User.objects.filter(pk__in=[*user_pks, *(u.pk for u in directors)])
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=pk, email=email, verified=True, primary=True)
        for pk, email in personas.values_list("pk", "email")
    )
    units = list(Unit.unscoped.filter(region=region).values_list("pk", flat=True))
    Membership.unscoped.bulk_create(
        [
            Membership(user=user, region=region, role=Role.STUDY_DIRECTOR, unit_id=pk)
            for user in directors
            for pk in units
        ]
        + [
            Membership(user=user, region=region, role=Role.REGIONAL_STUDY_DIRECTOR)
            for user in directors
        ]
    )


def _manifest() -> dict[str, Any]:
    """Who logs in and what they may open, read back from the database (also when reused)."""
    director = User.objects.get(email=DIRECTOR_EMAIL.format(0))
    region = Membership.unscoped.filter(user=director).select_related("region").first().region
    in_region = Trainee.unscoped.filter(region=region)
    personas = in_region.filter(user__memberships__role=Role.TRAINEE).order_by("pk")
    pks = list(in_region.order_by("pk").values_list("pk", flat=True))
    return {
        "vendor": connection.vendor,
        "region": region.slug,
        "region_trainees": len(pks),
        "region_units": Unit.unscoped.filter(region=region).count(),
        "password": PASSWORD,
        "trainees": [[t.user.email, t.pk] for t in personas.select_related("user")],
        "directors": [DIRECTOR_EMAIL.format(i) for i in range(DIRECTOR_PERSONAS)],
        "trainee_pks": pks,
        "unit_pks": list(Unit.unscoped.filter(region=region).values_list("pk", flat=True)),
        "pages": max(math.ceil(len(pks) / PAGE_SIZE), 1),
    }
