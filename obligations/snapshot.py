"""The obligation snapshot: the engine's answers stored per trainee for fast dashboards.

Every change to a trainee's records re-stores their snapshot (see
`stprogram.changes.record_change`), so storing is also where the region's snapshot
version moves on. Region-wide figures computed from the snapshot (the risk
list, the region's compliance) are cached under that version: the next change
makes them unreachable, and `CACHED_SECONDS` bounds what a lost bump (a cache
outage) can leave behind.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from itertools import batched
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Max, Min, QuerySet
from django.utils import timezone

from obligations.facts import evaluate_trainees
from regions.models import ObligationStatus
from regions.rules.engine import Evaluation, Obligation, status_of
from regions.rules.profile import load_profile
from trainees.models import Trainee

OPEN = frozenset({"open", "overdue"})

Row = tuple[str, str, str, date | None, date | None, int | None, int | None]
FIELDS = ("code", "period", "strength", "due", "done_on", "count", "required")
DATE_FIELDS = frozenset({"due", "done_on", "evaluated_on"})


def store(trainees: list[Trainee], evaluations: dict[int, Evaluation], on: date) -> None:
    """Replace the stored obligations of `trainees` with these evaluations."""
    own = {
        t.pk: [o for o in evaluations[t.pk].obligations if o.subject == "trainee"] for t in trainees
    }
    _replace(trainees, own, on)


def _replace(trainees: list[Trainee], own: dict[int, list[Obligation]], on: date) -> None:
    rows = [
        (trainee.region_id, trainee.pk, *_row(o), on)
        for trainee in trainees
        for o in own[trainee.pk]
    ]
    regions = {trainee.region_id for trainee in trainees}
    with transaction.atomic():
        ObligationStatus.unscoped.filter(trainee_id__in=[t.pk for t in trainees]).delete()
        _insert(rows)
        # Now, and again once committed: a figure computed in between from the
        # not yet committed rows is then unreachable too.
        _new_versions(regions)
        transaction.on_commit(lambda: _new_versions(regions))


def _insert(rows: list[tuple]) -> None:
    """Plain rows in one prepared INSERT: bulk_create's per-field compiling cost as
    much as the evaluation itself when a whole region is stored (issue 18)."""
    if not rows:
        return
    meta = ObligationStatus._meta
    names = ("region", "trainee", *FIELDS, "evaluated_on")
    columns = [meta.get_field(name).column for name in names]
    dates = [i for i, name in enumerate(names) if name in DATE_FIELDS]
    adapt = connection.ops.adapt_datefield_value
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table), ", ".join(map(quote, columns)), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        for chunk in batched(rows, 2000):
            cursor.executemany(sql, [_adapted(row, dates, adapt) for row in chunk])


def _adapted(row: tuple, dates: list[int], adapt: Callable[[Any], Any]) -> tuple:
    values = list(row)
    for i in dates:
        values[i] = adapt(values[i])
    return tuple(values)


def _row(o: Obligation) -> Row:
    period = o.period.isoformat() if isinstance(o.period, date) else str(o.period or "")
    return (o.code, period, o.strength, o.due, o.done_on, o.count, o.required)


def open_obligations(
    trainees: list[Trainee], on: date, *, store: bool
) -> dict[int, list[Obligation]]:
    """The trainees' own open or overdue dated obligations on `on`, in a fixed number of queries.

    With `store` (the scan), a trainee whose stored obligations were evaluated
    on `on` is not evaluated again: every change to their records re-stores
    them (refresh_trainee), so the next scan of the day reads the open rows
    instead of running the engine. The others are evaluated, and stored only
    where the answer changed, so an unchanged region keeps its cached figures.
    """
    if not trainees:
        return {}
    fresh = _fresh([t.pk for t in trainees], on) if store else set()
    result = _stored_open(fresh, on, trainees[0].region.slug)
    stale = [t for t in trainees if t.pk not in fresh]
    if not stale:
        return result
    own = {
        pk: [o for o in evaluation.obligations if o.subject == "trainee"]
        for pk, evaluation in evaluate_trainees(stale, on).items()
    }
    if store:
        _store_changed(stale, own, on)
    for pk, obligations in own.items():
        result[pk] = [o for o in obligations if o.status in OPEN and o.due is not None]
    return result


def _fresh(trainee_ids: list[int], on: date) -> set[int]:
    """Trainees whose every stored obligation was evaluated on `on`."""
    days = (
        ObligationStatus.unscoped.filter(trainee_id__in=trainee_ids)
        .values("trainee_id")
        .annotate(first=Min("evaluated_on"), last=Max("evaluated_on"))
    )
    return {d["trainee_id"] for d in days if d["first"] == d["last"] == on}


def _stored_open(trainee_ids: set[int], on: date, slug: str) -> dict[int, list[Obligation]]:
    result: dict[int, list[Obligation]] = {pk: [] for pk in trainee_ids}
    if not trainee_ids:
        return result
    sources = {rule.code: rule.source for rule in load_profile(slug).rules}
    rows = ObligationStatus.unscoped.filter(
        trainee_id__in=trainee_ids, done_on__isnull=True, due__isnull=False
    ).values_list("trainee_id", *FIELDS)
    for trainee_id, *row in rows:
        result[trainee_id].append(_obligation(tuple(row), on, sources))  # type: ignore[arg-type]
    return result


def _stored(trainee_ids: list[int]) -> dict[int, Counter[Row]]:
    rows: defaultdict[int, Counter[Row]] = defaultdict(Counter)
    found = ObligationStatus.unscoped.filter(trainee_id__in=trainee_ids).values_list(
        "trainee_id", *FIELDS
    )
    for trainee_id, *row in found:
        rows[trainee_id][tuple(row)] += 1  # type: ignore[index]
    return rows


def _obligation(row: Row, on: date, sources: dict[str, str]) -> Obligation:
    code, period, strength, due, done_on, count, required = row
    return Obligation(
        code=code,
        subject="trainee",
        strength=strength,
        period=_period(period),
        due=due,
        status=status_of(due, done_on, on),
        done_on=done_on,
        count=count,
        required=required,
        source=sources.get(code, ""),
    )


def _period(stored: str) -> int | date | None:
    """The engine's period back from its stored text: a training year or a date."""
    if not stored:
        return None
    return int(stored) if stored.isdigit() else date.fromisoformat(stored)


def _store_changed(trainees: list[Trainee], own: dict[int, list[Obligation]], on: date) -> None:
    stored = _stored([t.pk for t in trainees])
    changed = [t for t in trainees if Counter(map(_row, own[t.pk])) != stored[t.pk]]
    if changed:
        _replace(changed, own, on)
    ids = {t.pk for t in changed}
    same = [t.pk for t in trainees if t.pk not in ids]
    ObligationStatus.unscoped.filter(trainee_id__in=same).exclude(evaluated_on=on).update(
        evaluated_on=on
    )


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
