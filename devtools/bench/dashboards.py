"""Benchmark of the dashboard pages at national scale, rolled back afterwards.

Seeds synthetic trainees, units and staff (`devtools.seeding.seed_national_scale`,
as `bench_reminders` does), fills the obligation snapshot for today, gives one person of the
largest region each role over all of its units, then requests every page of
`PAGES` through Django's test client and reports render times and queries.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from devtools.seeding import seed_national_scale
from obligations.facts import evaluate_batches
from obligations.snapshot import store
from regions.models import Membership, Region, Role, Unit
from stprogram.models import User
from trainees.models import Trainee

# Same density as `bench_reminders`: 1,500 units for 10,000 trainees.
TRAINEES_PER_UNIT = 10_000 / 1_500
BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Page:
    """A page to time: who asks for it, its path below `/<region>/`, whether the target applies."""

    name: str
    role: str
    path: str
    judged: bool = True


# One line per dashboard; a page for a role without an entry in PERSONAS needs one there too.
PAGES: tuple[Page, ...] = (
    Page("studierektor", Role.STUDY_DIRECTOR, "studierektor/"),
    Page(
        "studierektor-forsenade",
        Role.STUDY_DIRECTOR,
        "studierektor/?status=overdue&sortering=forsenade",
    ),
    Page("studierektor-export", Role.STUDY_DIRECTOR, "studierektor/export.csv", judged=False),
    Page("verksamhetschef", Role.HEAD_OF_UNIT, "verksamhetschef/"),
    Page("region", Role.REGIONAL_STUDY_DIRECTOR, "region/"),
    Page("min-st", Role.TRAINEE, "min-st/"),
)


class PageError(RuntimeError):
    """A page answered something other than 200."""


class _RollbackError(Exception):
    pass


def bench_dashboards(n: int, events: int, repeats: int) -> dict[str, Any]:
    """Seed `n` trainees with `events` events each, time every page `repeats` times, roll back."""
    figures: dict[str, Any] = {"vendor": connection.vendor}
    try:
        with transaction.atomic():
            figures.update(_prepare(n, events))
            region = Region.objects.get(slug=figures["region"])
            figures["pages"] = _time_pages(region, repeats)
            raise _RollbackError
    except _RollbackError:
        pass
    return figures


def _prepare(n: int, events: int) -> dict[str, Any]:
    """Seed, fill the largest region's snapshot and refresh the planner's statistics."""
    started = time.perf_counter()
    units = max(round(n / TRAINEES_PER_UNIT), 1)
    seed_national_scale(trainees=n, units=units, events_per_trainee=events)
    seeded = time.perf_counter()
    region = largest_region()
    fill_snapshot(region)
    stored = time.perf_counter()
    analyze()
    return {
        "seed_seconds": round(seeded - started, 1),
        "snapshot_seconds": round(stored - seeded, 1),
        "analyze_seconds": round(time.perf_counter() - stored, 1),
        "region": region.slug,
        "region_trainees": Trainee.unscoped.filter(region=region).count(),
        "region_units": Unit.unscoped.filter(region=region).count(),
    }


def largest_region() -> Region:
    """The region with the most trainees (the first by pk on a tie)."""
    counts = Region.objects.annotate(n=Count("trainee")).order_by("-n", "pk")
    return counts.first()


def fill_snapshot(region: Region) -> None:
    """Evaluate the region's trainees today and store the snapshot, batch by batch.

    Only this region: the pages read no other region's snapshot rows.
    """
    on = timezone.localdate()
    queryset = Trainee.unscoped.filter(region=region).select_related(
        "region", "home_unit", "specialty"
    )
    for batch, evaluations in evaluate_batches(queryset, on):
        store(batch, evaluations, on)


def analyze() -> None:
    """Give PostgreSQL's planner statistics of the seeded rows, as autovacuum would in production.

    The seed is never committed, so autovacuum cannot see it: without this the
    planner works from whatever it last saw (often empty tables) and picks
    nested loops that take seconds. ANALYZE counts the transaction's own rows
    and may run inside it; its row estimates stay after the rollback until
    autovacuum next visits the tables. SQLite is left alone: Django never runs
    ANALYZE there, so production has no statistics either.
    """
    if connection.vendor != "postgresql":
        return
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _persona_over_units(role: str) -> Callable[[Region], User]:
    """A new person holding `role` for every unit of the region."""

    def make(region: Region) -> User:
        user = _bench_user(f"{role}-{region.slug}")
        units = Unit.unscoped.filter(region=region).values_list("pk", flat=True)
        Membership.unscoped.bulk_create(
            [Membership(user=user, region=region, role=role, unit_id=pk) for pk in units]
        )
        return user

    return make


def _regional_persona(region: Region) -> User:
    """A new regional study director."""
    user = _bench_user(f"rsr-{region.slug}")
    Membership.unscoped.create(user=user, region=region, role=Role.REGIONAL_STUDY_DIRECTOR)
    return user


def _trainee_persona(region: Region) -> User:
    """The user of the region's first trainee, given the trainee role the seed leaves out."""
    trainee = Trainee.unscoped.filter(region=region).order_by("pk").select_related("user").first()
    Membership.unscoped.get_or_create(user=trainee.user, region=region, role=Role.TRAINEE)
    return trainee.user


def _supervisor_persona(region: Region) -> User:
    """A supervisor the seed already placed in the region."""
    membership = Membership.unscoped.filter(region=region, role=Role.SUPERVISOR).order_by("pk")
    return membership.select_related("user").first().user


PERSONAS: dict[str, Callable[[Region], User]] = {
    Role.STUDY_DIRECTOR: _persona_over_units(Role.STUDY_DIRECTOR),
    Role.HEAD_OF_UNIT: _persona_over_units(Role.HEAD_OF_UNIT),
    Role.REGIONAL_STUDY_DIRECTOR: _regional_persona,
    Role.TRAINEE: _trainee_persona,
    Role.SUPERVISOR: _supervisor_persona,
}


def _bench_user(name: str) -> User:
    return User.objects.create(
        email=f"bench-dash-{name}@bench.invalid", password="!", first_name="Bench", last_name=name
    )


def _time_pages(region: Region, repeats: int) -> dict[str, dict[str, Any]]:
    """Figures per page, each persona logged in on its own client."""
    clients: dict[str, Client] = {}
    for role in dict.fromkeys(page.role for page in PAGES):
        client = Client()
        client.force_login(PERSONAS[role](region), backend=BACKEND)
        clients[role] = client
    # The real static storage needs `collectstatic`'s manifest, which a fresh
    # var dir lacks; a URL lookup costs the same either way. The client's host
    # must be allowed whatever DJANGO_ALLOWED_HOSTS says.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]),
        warnings.catch_warnings(),
    ):
        # WhiteNoise warns once that STATIC_ROOT is missing; nothing is served from it here.
        warnings.filterwarnings("ignore", message="No directory at")
        return {
            page.name: _time_page(clients[page.role], f"/{region.slug}/{page.path}", repeats)
            | {"judged": page.judged}
            for page in PAGES
        }


def _time_page(client: Client, url: str, repeats: int) -> dict[str, Any]:
    """Warm up once, count the queries of one request, then time `repeats` requests."""
    _get(client, url)
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    # Read now: the next request's `request_started` clears the connection's log.
    queries = len(captured)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        _get(client, url)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "url": url,
        "status": 200,
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "queries": queries,
    }


def _get(client: Client, url: str) -> None:
    """Request the page over HTTPS (so an SSL redirect never interferes); it must answer 200."""
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise PageError(f"{url} answered {response.status_code}, expected 200")
    if response.streaming:
        b"".join(response.streaming_content)


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank `p`th percentile of `values`."""
    ordered = sorted(values)
    rank = max(math.ceil(p / 100 * len(ordered)), 1)
    return ordered[rank - 1]
