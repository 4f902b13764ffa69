"""Bulk onboarding: check a file set (the dry run), confirm it, run it once, all or nothing.

The web's real run goes through the worker: confirming marks the import
pending and queues a task with its id; the task (or, without a broker, the
periodic scan) claims it with a conditional update and writes everything in
one transaction, re-checking the rows against the region as it then is.
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regions import tenancy
from regions.models import Region
from regions.onboarding.apply import write
from regions.onboarding.models import OnboardingImport
from regions.onboarding.plan import Plan, make_plan
from regions.onboarding.progress import progress_clear, progress_write
from regions.onboarding.reader import FileError, read_files
from regions.tenancy import region_context
from stprogram.models import User

logger = logging.getLogger(__name__)

Files = list[tuple[str, bytes]]
# A run writes a region's whole staff in under a minute; one claimed for longer
# than this belonged to a worker that died (its transaction rolled back).
LEASE = timedelta(minutes=30)
S = OnboardingImport.Status


class StaleError(Exception):
    """The region changed since the dry run, so rows that passed would now be refused."""


def onboarding_plan(*, region: Region, files: Files) -> Plan:
    """The dry run: every row checked against the region; a file not understood is refused.

    Raises ValidationError (Swedish, naming the file) for a file that is not a
    table this import knows.
    """
    try:
        sheets = read_files(files)
    except FileError as error:
        raise ValidationError(str(error)) from None
    return make_plan(region, sheets)


@transaction.atomic
def onboarding_check(
    *, region: Region, by: User, files: Files
) -> tuple[Plan, OnboardingImport | None]:
    """Run the dry run and, if no row is refused, keep the files for the real run."""
    plan = onboarding_plan(region=region, files=files)
    if plan.refused or not plan.results:
        return plan, None
    onboarding = OnboardingImport.unscoped.create(
        region=region,
        uploaded_by=by,
        file_names=", ".join(name for name, _data in files)[:300],
        files=[{"name": n, "data": base64.b64encode(d).decode()} for n, d in files],
        status=S.CHECKED,
        rows=len(plan.results),
        summary={"plan": plan.counts()},
    )
    return plan, onboarding


@transaction.atomic
def onboarding_confirm(*, onboarding: OnboardingImport, by: User) -> bool:
    """Ask the worker to run a checked import; False if it was already confirmed."""
    confirmed = OnboardingImport.unscoped.filter(pk=onboarding.pk, status=S.CHECKED).update(
        status=S.PENDING
    )
    if confirmed:
        pk, region_pk = onboarding.pk, onboarding.region_id
        transaction.on_commit(lambda: _enqueue(pk, region_pk))
    return bool(confirmed)


def _enqueue(pk: int, region_pk: int) -> None:
    from regions.onboarding.tasks import run_onboarding

    try:
        run_onboarding.delay(pk, region_pk)
    except Exception as exc:
        # The periodic scan runs it; a broker outage must not fail the request.
        logger.warning("Onboarding %s not queued (%s); the scan runs it.", pk, type(exc).__name__)


def onboarding_import(
    *,
    region: Region,
    by: User,
    files: Files,
    progress: Callable[[float], None],
    onboarding: OnboardingImport | None = None,
) -> dict:
    """The real run, in one transaction: checked again, then written; StaleError if refused now."""
    with transaction.atomic():
        plan = onboarding_plan(region=region, files=files)
        progress(0.1)
        if plan.refused:
            raise StaleError(len(plan.refused))
        written = write(
            plan, by=by, onboarding=onboarding, progress=lambda s: progress(0.1 + 0.9 * s)
        )
        summary = {"plan": plan.counts(), "written": written}
        if onboarding is not None:
            _finish(onboarding, S.DONE, summary=summary)
    return summary


def _claimable(now) -> Q:
    return Q(status=S.PENDING) | Q(status=S.RUNNING, claimed_at__lt=now - LEASE)


def run_one(pk: int) -> str | None:
    """Claim and run one confirmed import; None if another process has it or it is done."""
    now, token = timezone.now(), uuid.uuid4().hex
    with transaction.atomic():
        claimed = OnboardingImport.unscoped.filter(_claimable(now), pk=pk).update(
            status=S.RUNNING, claim_token=token, claimed_at=now
        )
    if not claimed:
        return None
    onboarding = OnboardingImport.unscoped.select_related("region", "uploaded_by").get(pk=pk)
    files = [(f["name"], base64.b64decode(f["data"])) for f in onboarding.files]
    try:
        onboarding_import(
            region=onboarding.region,
            by=onboarding.uploaded_by,
            files=files,
            progress=lambda share: progress_write(pk, share),
            onboarding=onboarding,
        )
    except Exception as exc:
        with transaction.atomic():
            _finish(onboarding, S.FAILED, error=_failure(exc))
        logger.warning("Onboarding %s failed: %s", pk, type(exc).__name__)
        return S.FAILED
    finally:
        progress_clear(pk)
    logger.info("Onboarding %s done.", pk)
    return S.DONE


def _failure(exc: Exception) -> str:
    if isinstance(exc, StaleError):
        return _(
            "Regionens uppgifter har ändrats sedan kontrollen, så %(n)s rader skulle nu avvisas. "
            "Ingenting sparades. Läs in filen igen."
        ) % {"n": exc.args[0]}
    return _("Inläsningen avbröts av ett fel (%(kind)s). Ingenting sparades.") % {
        "kind": type(exc).__name__
    }


def _finish(
    onboarding: OnboardingImport, status: str, *, summary: dict | None = None, error: str = ""
) -> None:
    # The files held names and addresses; once run (or failed) they are not kept.
    OnboardingImport.unscoped.filter(pk=onboarding.pk, claim_token=onboarding.claim_token).update(
        files=[],
        status=status,
        summary=summary or onboarding.summary,
        error=error[:300],
        claim_token="",
        finished_at=timezone.now(),
    )


def run_pending() -> int:
    """Run every confirmed import whose task never ran (no broker, a worker that died)."""
    now = timezone.now()
    with tenancy.all_regions():
        waiting = list(
            OnboardingImport.unscoped.filter(_claimable(now))
            .select_related("region")
            .order_by("pk")
        )
    done = 0
    for onboarding in waiting:
        with region_context(onboarding.region):
            done += run_one(onboarding.pk) == S.DONE
    return done
