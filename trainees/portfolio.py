"""The database side of the `st-portfolio/1` format: facts for the engine, export and import.

Dashboards, reminders, "Min ST" and `manage.py obligations` evaluate the same
facts: `portfolio_for(trainee)` builds them from the records, and exporting
them gives exactly the document `obligations` would evaluate.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from assessments.models import Specialty
from regions.models import Membership, Region, Role, Unit
from regions.rules.engine import Event, Portfolio, SupervisorFacts, TraineeFacts, UnitFacts
from regions.rules.portfolio import (
    PortfolioError,
    event_to_dict,
    parse_portfolio,
    portfolio_to_dict,
)
from regions.tenancy import region_context
from stprogram.changes import record_change
from stprogram.models import Signature, User
from trainees import parties as p
from trainees.models import (
    Absence,
    Activity,
    Contract,
    HistoricalEvent,
    IupVersion,
    Rotation,
    Trainee,
)

NATIVE_TYPES = {"rotation", "absence", "course"}
EVENT_FIELDS = ("phase", "minutes", "method", "title", "goals")
# What a rotation's event is made of (`Rotation.supervisor_named` from the two
# supervisor columns): plain values, not model instances, at national scale.
ROTATION_FIELDS = (
    "trainee_id",
    "start",
    "end",
    "unit_name",
    "external",
    "local_supervisor_id",
    "local_supervisor_name",
    "contact_date",
    "feedback_date",
    "registered",
)


def portfolio_for(trainee: Trainee) -> Portfolio:
    """The trainee's facts as the engine reads them, from the database."""
    return portfolios_for([trainee])[trainee.pk]


def portfolios_for(trainees: list[Trainee]) -> dict[int, Portfolio]:
    """Facts for many trainees of one region in a fixed number of queries."""
    if not trainees:
        return {}
    with region_context(trainees[0].region):
        ids = [t.pk for t in trainees]
        events: dict[int, list[Event]] = defaultdict(list)
        for trainee_id, event in _all_events(ids, trainees[0].region.slug):
            events[trainee_id].append(event)
        supervisors = _main_supervisors(ids)
        reviews = unit_events({t.home_unit_id for t in trainees})
        return {
            t.pk: _portfolio(t, events[t.pk], supervisors.get(t.pk), reviews[t.home_unit_id])
            for t in trainees
        }


def unit_events(unit_ids: set[int]) -> defaultdict[int, tuple[Event, ...]]:
    """Each unit's performed external inspections and self-assessments as engine events.

    A planned review is not an event until it has taken place.
    """
    from inspections.models import Inspection

    events: defaultdict[int, list[Event]] = defaultdict(list)
    rows = Inspection.unscoped.filter(unit_id__in=unit_ids, performed_on__isnull=False)
    rows = rows.order_by("performed_on", "pk")
    for unit_id, kind, day in rows.values_list("unit_id", "kind", "performed_on"):
        events[unit_id].append(Event(type=kind, date=day))
    return defaultdict(tuple, {unit_id: tuple(rows) for unit_id, rows in events.items()})


def _portfolio(
    trainee: Trainee,
    events: list[Event],
    supervisor: SupervisorFacts | None,
    reviews: tuple[Event, ...],
) -> Portfolio:
    return Portfolio(
        region=trainee.region.slug,
        trainee=TraineeFacts(
            regulation=trainee.regulation,
            start=trainee.start_date,
            specialty=trainee.specialty.name.lower(),
            bt_end=trainee.bt_end,
            extent_percent=trainee.extent_percent,
            credited_months=trainee.credited_months,
        ),
        events=tuple(sorted(events, key=_event_key)),
        unit=UnitFacts(
            name=trainee.home_unit.name,
            first_trainee_start=trainee.home_unit.first_trainee_start,
            events=reviews,
        ),
        supervisor=supervisor,
    )


def _all_events(ids: list[int], slug: str) -> Iterator[tuple[int, Event]]:
    yield from _signed_events(ids, slug)
    rotations = Rotation.objects.filter(trainee_id__in=ids).order_by("pk")
    for row in rotations.values(*ROTATION_FIELDS):
        yield row["trainee_id"], _rotation_event(row)
    absences = Absence.objects.filter(trainee_id__in=ids).order_by("pk")
    for trainee_id, start, end, kind in absences.values_list("trainee_id", "start", "end", "kind"):
        yield trainee_id, Event(type="absence", start=start, end=end, kind=kind)
    courses = Activity.objects.filter(trainee_id__in=ids, kind="course").order_by("pk")
    for trainee_id, end, title, goals in courses.values_list(
        "trainee_id", "end", "title", "goal_codes"
    ):
        yield trainee_id, Event(type="course", date=end, title=title, goals=tuple(goals))
    yield from _supervision_events(ids)
    yield from _historical_events(ids)


def _historical_events(ids: list[int]) -> Iterator[tuple[int, Event]]:
    """Imported history, the bulk of the rows at national scale.

    Events are immutable, so identical ones (same type, day and details) are
    shared, and the details are read as text and decoded once per distinct
    value: object creation and JSON decoding dominated a national scan. The
    rows are read from the driver's cursor with the day as text, a chunk at a
    time: Django's per-row converters cost more than the query (issue 18).
    """
    rows = (
        HistoricalEvent.objects.filter(trainee_id__in=ids)
        .order_by("pk")
        .values_list("trainee_id", "type", Cast("date", TextField()), Cast("data", TextField()))
    )
    seen: dict[tuple[str, str, str], Event] = {}
    decoded: dict[str, dict[str, Any]] = {}
    for trainee_id, kind, day, raw in raw_rows(rows):
        event = seen.get((kind, day, raw))
        if event is None:
            data = decoded.get(raw)
            if data is None:
                data = decoded[raw] = json.loads(raw or "{}")
            event = seen[kind, day, raw] = _historical_event(kind, _day(day), data)
        yield trainee_id, event


def raw_rows(queryset: QuerySet, chunk: int = 10_000) -> Iterator[tuple]:
    """The queryset's rows as the driver returns them, without Django's per-row conversion.

    Through Django's cursor, so the region wall's statement wrapper still applies.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows


def _day(text: str) -> date:
    # PostgreSQL's text of a date and SQLite's stored value are both ISO days.
    return date.fromisoformat(text[:10])


def _supervision_events(ids: list[int]) -> Iterator[tuple[int, Event]]:
    from assessments.models import Assessment, counted_assessments
    from supervision.models import SupervisionMeeting, YearlyRecord

    meetings = SupervisionMeeting.objects.filter(trainee_id__in=ids).order_by("pk")
    for trainee_id, day, minutes in meetings.values_list("trainee_id", "date", "minutes"):
        yield trainee_id, Event(type="supervision", date=day, minutes=minutes)
    done = (
        Assessment.objects.filter(counted_assessments(), trainee_id__in=ids)
        .exclude(method="360-rater")
        .order_by("pk")
    )
    for trainee_id, method, day in done.values_list("trainee_id", "method", "performed_on"):
        if method == "specialistkollegium":
            yield trainee_id, Event(type="specialist_colloquium", date=day)
        else:
            yield trainee_id, Event(type="assessment", date=day, method=method)
    records = YearlyRecord.objects.filter(trainee_id__in=ids).order_by("pk")
    for trainee_id, kind, day in records.values_list("trainee_id", "kind", "date"):
        yield trainee_id, Event(type=kind, date=day)


def _event_key(event: Event) -> tuple[date, str]:
    # Sorting is stable: events on the same day of the same type keep the order
    # they were recorded in, so an import reproduces the exported order.
    return (event.date or event.start or date.min, event.type)


def _signatures(objects: list) -> dict[int, dict[str, Any]]:
    """Each object's signatures: party -> when, for objects of one model."""
    signed: dict[int, dict[str, Any]] = {}
    if not objects:
        return signed
    ct = ContentType.objects.get_for_model(objects[0])
    rows = Signature.objects.filter(content_type=ct, object_id__in=[o.pk for o in objects])
    for object_id, party, at in rows.values_list("object_id", "party", "signed_at"):
        signed.setdefault(object_id, {})[party] = at
    return signed


def _complete_on(signed: dict[str, Any], parties: p.Parties) -> date | None:
    """The day the last required signature was given, or None while one is missing."""
    if not p.is_complete(parties, set(signed)):
        return None
    return timezone.localdate(max(signed.values()))


def _signed_events(ids: list[int], slug: str) -> Iterator[tuple[int, Event]]:
    contracts = list(Contract.objects.filter(trainee_id__in=ids).order_by("kind", "version"))
    signed = _signatures(contracts)
    for contract in contracts:
        day = _complete_on(signed.get(contract.pk, {}), p.CONTRACT_PARTIES[slug])
        if day is not None:
            yield contract.trainee_id, Event(type="contract_signed", date=day)
    iups = list(IupVersion.objects.filter(trainee_id__in=ids).order_by("phase", "version"))
    signed = _signatures(iups)
    seen: set[tuple[int, str]] = set()
    for iup in iups:
        key = (iup.trainee_id, iup.phase)
        # Once a phase's plan is approved, later versions are revisions: the
        # region's revision parties (Blekinge: the study director "vid behov").
        parties = p.iup_parties(slug, revision=key in seen)
        day = _complete_on(signed.get(iup.pk, {}), parties)
        if day is None:
            continue
        if key not in seen:
            seen.add(key)
            phase = "BT" if iup.phase == "BT" else None
            yield iup.trainee_id, Event(type="iup_approved", date=day, phase=phase)
        elif iup.phase == "ST":
            # A BT revision is not an ST revision; the format has no phase for revisions.
            yield iup.trainee_id, Event(type="iup_revised", date=day)


def _rotation_event(row: dict[str, Any]) -> Event:
    return Event(
        type="rotation",
        start=row["start"],
        end=row["end"],
        unit=row["unit_name"],
        external=row["external"],
        supervisor_named=bool(row["local_supervisor_id"] or row["local_supervisor_name"]),
        contact_date=row["contact_date"],
        feedback_date=row["feedback_date"],
        registered=_registered(row["registered"], row["start"]),
    )


def _registered(registered: date | None, start: date) -> date | None:
    """The day the rotation became known, when that was before its start.

    A rotation entered after it began is known from its start: it was
    happening, and a past day's evaluation should not lose it.
    """
    return registered if registered is not None and registered < start else None


def _historical_event(kind: str, day: date, data: dict[str, Any]) -> Event:
    if "goals" in data:
        data = {**data, "goals": tuple(data["goals"])}
    return Event(type=kind, date=day, **data)


def _main_supervisors(ids: list[int]) -> dict[int, SupervisorFacts]:
    """Each trainee's main supervisor with their supervisor-training events."""
    from trainees.selectors import active_assignments

    rows = list(
        active_assignments()
        .filter(trainee_id__in=ids, role="main_supervisor")
        .order_by("start_date", "pk")
        .values_list("trainee_id", "user_id", "user__first_name", "user__last_name")
    )
    trainings = supervisor_training_events({r[1] for r in rows})
    return {
        trainee_id: SupervisorFacts(name=f"{first} {last}".strip(), events=trainings[user_id])
        for trainee_id, user_id, first, last in rows
    }


def supervisor_training_events(user_ids: set[int]) -> defaultdict[int, tuple[Event, ...]]:
    """Each supervisor's supervisor-training courses as engine events."""
    from supervision.models import SupervisorTraining

    trainings: defaultdict[int, list[Event]] = defaultdict(list)
    courses = SupervisorTraining.objects.filter(user_id__in=user_ids)
    for user_id, kind, day in courses.order_by("date", "pk").values_list("user_id", "kind", "date"):
        trainings[user_id].append(Event(type=kind, date=day))
    return defaultdict(tuple, {user_id: tuple(events) for user_id, events in trainings.items()})


def export_portfolio(trainee: Trainee) -> dict[str, Any]:
    """The trainee's portfolio document (`st-portfolio/1`)."""
    return portfolio_to_dict(portfolio_for(trainee))


class ImportRefusedError(PortfolioError):
    """The document is valid but cannot be imported here; messages name the key."""


@transaction.atomic
def import_portfolio(
    *, data: object, region: Region, email: str, by: User | None = None, replace: bool = False
) -> Trainee:
    """Validate everything, then write the trainee's facts and history in one transaction.

    The unit and supervisor sections describe other people's records and are
    not imported; the trainee's home unit is matched by the unit's name.
    """
    portfolio = parse_portfolio(data)
    if portfolio.trainee is None:
        raise ImportRefusedError(["trainee: saknas (krävs för import)"])
    with region_context(region):
        trainee = _target_trainee(portfolio, region, email, replace)
        _write_events(trainee, portfolio.events, by or trainee.user)
    record_change(
        actor=by or trainee.user,
        region_slug=region.slug,
        trainee_id=trainee.pk,
        action="portfolio_imported",
        obj=trainee,
        details={"events": len(portfolio.events)},
    )
    return trainee


def _target_trainee(portfolio: Portfolio, region: Region, email: str, replace: bool) -> Trainee:
    facts = portfolio.trainee
    errors = []
    specialty = Specialty.objects.filter(name__iexact=facts.specialty or "").first()
    if specialty is None:
        errors.append(f'trainee.specialty: okänd specialitet "{facts.specialty}"')
    existing = Trainee.unscoped.filter(region=region, user__email=email.lower()).first()
    unit = existing.home_unit if existing else _unit_named(portfolio, region, errors)
    if existing and _has_records(existing) and not replace:
        errors.append(f"--trainee: {email} har redan registrerade uppgifter (använd --replace)")
    if existing is None and User.objects.filter(email__iexact=email).exists():
        # Never attach a record to an account the import did not create (issue 17,
        # finding 1): the address may have been claimed by someone else.
        errors.append(f"--trainee: det finns redan ett konto med {email}; importen skapar nya")
    if errors:
        raise ImportRefusedError(errors)
    trainee = existing or _new_trainee(region, email, unit)
    if replace:
        _clear_records(trainee)
    for field, value in (
        ("regulation", facts.regulation),
        ("start_date", facts.start),
        ("bt_end", facts.bt_end),
        ("extent_percent", facts.extent_percent),
        ("credited_months", facts.credited_months),
        ("specialty", specialty),
    ):
        setattr(trainee, field, value)
    trainee.save()
    return trainee


def _unit_named(portfolio: Portfolio, region: Region, errors: list[str]) -> Unit | None:
    name = portfolio.unit.name if portfolio.unit else None
    unit = Unit.unscoped.filter(region=region, name=name).first() if name else None
    if unit is None:
        errors.append(f'unit.name: ingen enhet "{name or ""}" i regionen {region.slug}')
    return unit


def _new_trainee(region: Region, email: str, unit: Unit) -> Trainee:
    user = User.objects.create_user(email=email.lower())
    Membership.unscoped.get_or_create(user=user, region=region, role=Role.TRAINEE)
    # Placeholder facts; the caller overwrites them from the portfolio before saving.
    return Trainee(region=region, user=user, home_unit=unit, start_date=date.today())  # noqa: DTZ011


def _has_records(trainee: Trainee) -> bool:
    models = (Rotation, Absence, Activity, HistoricalEvent)
    return any(m.unscoped.filter(trainee=trainee).exists() for m in models)


def _clear_records(trainee: Trainee) -> None:
    for model in (Rotation, Absence, Activity, HistoricalEvent):
        model.unscoped.filter(trainee=trainee).delete()


def _key(event: Event) -> str:
    return json.dumps(event_to_dict(event), sort_keys=True)


def _write_events(trainee: Trainee, events: tuple[Event, ...], by: User) -> None:
    common = {"region": trainee.region, "trainee": trainee}
    # Events the trainee's own signed documents already give (a contract signed
    # here) are not stored twice, so importing one's own export changes nothing.
    already = Counter(_key(e) for e in portfolio_for(trainee).events)
    for event in events:
        if already[_key(event)]:
            already[_key(event)] -= 1
            continue
        if event.type == "rotation":
            Rotation.unscoped.create(
                **common,
                created_by=by,
                unit_name=event.unit or "",
                external=event.external,
                start=event.start,
                end=event.end,
                contact_date=event.contact_date,
                feedback_date=event.feedback_date,
                registered=event.registered,
                local_supervisor_name="Namngiven (importerad)" if event.supervisor_named else "",
            )
        elif event.type == "absence":
            Absence.unscoped.create(
                **common,
                created_by=by,
                kind=event.kind or "other",
                start=event.start,
                end=event.end,
            )
        elif event.type == "course":
            Activity.unscoped.create(
                **common,
                created_by=by,
                kind="course",
                title=event.title or "",
                start=event.date,
                end=event.date,
                goal_codes=list(event.goals),
            )
        else:
            fields = {f: getattr(event, f) for f in EVENT_FIELDS if getattr(event, f)}
            if "goals" in fields:
                fields["goals"] = list(fields["goals"])
            HistoricalEvent.unscoped.create(**common, type=event.type, date=event.date, data=fields)
