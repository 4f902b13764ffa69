"""The obligation snapshot: the engine's answers stored per trainee for fast dashboards.

Every change to a trainee's records re-stores their snapshot (see
`stprogram.signing.audit`), so storing is also where the region's snapshot
version moves on. Region-wide figures computed from the snapshot (the risk
list, the region's compliance) are cached under that version: the next change
makes them unreachable, and `CACHED_SECONDS` bounds what a lost bump (a cache
outage) can leave behind.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from regions.models import ObligationStatus
from regions.obligations import evaluate_trainees
from regions.rules.engine import Evaluation
from trainees.models import Trainee


def store(trainees: list[Trainee], evaluations: dict[int, Evaluation], on: date) -> None:
    """Replace the stored obligations of `trainees` with these evaluations."""
    rows = [
        ObligationStatus(
            region_id=trainee.region_id,
            trainee_id=trainee.pk,
            code=o.code,
            period=o.period.isoformat() if isinstance(o.period, date) else str(o.period or ""),
            strength=o.strength,
            due=o.due,
            done_on=o.done_on,
            count=o.count,
            required=o.required,
            evaluated_on=on,
        )
        for trainee in trainees
        for o in evaluations[trainee.pk].obligations
        if o.subject == "trainee"
    ]
    regions = {trainee.region_id for trainee in trainees}
    with transaction.atomic():
        ObligationStatus.unscoped.filter(trainee_id__in=[t.pk for t in trainees]).delete()
        ObligationStatus.unscoped.bulk_create(rows, batch_size=2000)
        # Now, and again once committed: a figure computed in between from the
        # not yet committed rows is then unreachable too.
        _new_versions(regions)
        transaction.on_commit(lambda: _new_versions(regions))


def refresh_trainee(trainee_id: int) -> None:
    """Re-evaluate one trainee after a change to their records."""
    trainee = (
        Trainee.unscoped.select_related("region", "home_unit", "specialty")
        .filter(pk=trainee_id)
        .first()
    )
    if trainee is not None:
        on = timezone.localdate()
        store([trainee], evaluate_trainees([trainee], on), on)


CACHED_SECONDS = 300
_VERSION_KEY = "stprogram:snapshot-version:{}"


def version(region_id: int) -> str:
    """The region's snapshot version: a new one after every stored change."""
    key = _VERSION_KEY.format(region_id)
    current = cache.get(key)
    if current is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        current = cache.get(key, "")
    return current


def _new_versions(region_ids: Iterable[int]) -> None:
    # Random, not a counter: a version evicted and created again never repeats.
    cache.set_many({_VERSION_KEY.format(pk): uuid.uuid4().hex for pk in region_ids}, None)


def cached[T](region_id: int, name: str, inputs: tuple, compute: Callable[[], T]) -> T:
    """`compute()` for this region's current snapshot and these inputs, cached.

    `inputs` must hold everything else the result depends on (the day, the
    language, the selection's SQL). Without a working cache it just computes.
    """
    current = version(region_id)
    if not current:
        return compute()
    digest = hashlib.sha256(repr(inputs).encode()).hexdigest()[:32]
    key = f"stprogram:{name}:{region_id}:{current}:{digest}"
    found: Any = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHED_SECONDS)
    return found


def selection_key(selection: QuerySet) -> tuple:
    """A selection as a cache input: its SQL and parameters (who sees what, which filters)."""
    try:
        return selection.query.sql_with_params()
    except EmptyResultSet:
        return ("empty",)
