"""The demo's two documented trainees and their certificate drafts, set up once per module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.core.management import call_command

from devtools.seeding import seed_demo_regions
from regions.tenancy import region_context
from trainees.certificates.drafts import Draft, drafts_for
from trainees.models import Trainee

DEMO_TRAINEES = ("st2015@blekinge.demo", "st2021@halland.demo")
DemoDrafts = dict[str, tuple[Trainee, list[Draft]]]


@contextmanager
def demo_drafts_seeded(*, today: date) -> Iterator[DemoDrafts]:
    """Seed the demo and draft every certificate of its two trainees as on `today`.

    For module-scoped fixtures (seeding takes seconds): they outlive the test
    transaction, so the database is flushed afterwards.
    """
    seed_demo_regions()
    result: DemoDrafts = {}
    for email in DEMO_TRAINEES:
        trainee = Trainee.unscoped.select_related("region", "user", "home_unit", "specialty").get(
            user__email=email
        )
        with region_context(trainee.region):
            result[email] = (trainee, drafts_for(trainee, today=today))
    try:
        yield result
    finally:
        call_command("flush", interactive=False, verbosity=0)
