"""What is due, for whom: the engine's open obligations with their recipients.

The scan, the calendar feed and the tests read obligations through this one
module, so a reminder and a calendar entry always describe the same deadline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from inspections.models import Inspection, InspectionMeasure
from obligations import snapshot
from obligations.codes import CODE_DISPLAY
from obligations.facts import BATCH
from obligations.links import obligation_page
from regions.models import Membership, Region, Role, Unit
from regions.rules.engine import Obligation, Portfolio, SupervisorFacts, UnitFacts, evaluate
from regions.rules.profile import Profile, Reminders, load_profile
from regions.tenancy import region_context
from supervision.models import ActionMeasure, ActionPlan, Assignment
from trainees.models import Trainee
from trainees.portfolio import supervisor_training_events, unit_events

ESCALATION = "escalation"
OPEN = frozenset({"open", "overdue"})
# A step whose day passed longer ago than this when first seen is not sent:
# a years-old backlog (a region's history, a new trainee's imported past)
# belongs on the dashboards, not in a flood of e-mail. It also bounds how
# late a reminder may arrive after an outage.
CATCH_UP = timedelta(days=30)

CATEGORIES: dict[str, str] = {code: row.category for code, row in CODE_DISPLAY.items()}


@dataclass(frozen=True, slots=True)
class Due:
    """One open or overdue obligation with a due date, and who hears about it."""

    key: str
    region_id: int
    code: str
    subject: str
    label: str
    strength: str
    due: date
    status: str
    count: int | float | None
    required: int | float | None
    source: str
    route: tuple[str, tuple[tuple[str, str | int], ...]]
    recipients: frozenset[int]
    escalate_to: frozenset[int]

    @property
    def category(self) -> str:
        return CATEGORIES.get(self.code, "programme")

    @property
    def path(self) -> str:
        """Where the thing is done; resolved only for the few items that become reminders."""
        name, kwargs = self.route
        return reverse(name, kwargs=dict(kwargs))


@dataclass(frozen=True, slots=True)
class Scope:
    """Limit a collection to some subjects (None means all of the region's)."""

    trainee_ids: frozenset[int] | None = None
    unit_ids: frozenset[int] | None = None
    supervisor_ids: frozenset[int] | None = None
    measure_owner_ids: frozenset[int] | None = None


def current_step(due: date, on: date, lead: Reminders) -> str | None:
    """The latest reminder step whose day has come: before-N, on-day or after-N."""
    triggers = [(due - timedelta(days=n), f"before-{n}") for n in sorted(lead.days_before)[::-1]]
    if lead.on_day:
        triggers.append((due, "on-day"))
    triggers += [(due + timedelta(days=n), f"after-{n}") for n in sorted(lead.days_after)]
    step = None
    for day, name in triggers:
        if day <= on:
            step = name if on - day <= CATCH_UP else None
    return step


def escalates(item: Due, on: date, lead: Reminders) -> bool:
    """A *must* obligation overdue for the profile's escalation time goes to the study director."""
    day = item.due + timedelta(days=lead.escalate_after_days)
    return item.strength == "must" and item.status == "overdue" and day <= on <= day + CATCH_UP


def collect(
    region: Region, on: date, scope: Scope | None = None, *, store: bool = False
) -> Iterator[Due]:
    """Every open or overdue dated obligation of the region's trainees, units and supervisors.

    With `store`, the trainees' evaluations also replace the dashboards' snapshot.
    """
    scope = scope or Scope()
    profile = load_profile(region.slug)
    with region_context(region):
        staff = _Staff(region)
        yield from _trainee_items(region, on, scope.trainee_ids, staff, store)
        subjects = {rule.subject for rule in profile.rules}
        if "unit" in subjects:
            yield from _unit_items(region, profile, on, scope.unit_ids, staff)
        if "supervisor" in subjects:
            yield from _supervisor_items(region, profile, on, scope.supervisor_ids, staff)
        yield from _measure_items(region, on, scope.measure_owner_ids, staff)
        yield from _plan_follow_up_items(region, on, scope.trainee_ids, staff)
        yield from _inspection_measure_items(region, on, scope.measure_owner_ids, staff)
        yield from _follow_up_items(region, on, scope.unit_ids, staff)


class _Staff:
    """The region's study directors and heads of unit, loaded once per collection."""

    def __init__(self, region: Region) -> None:
        self.by_unit: defaultdict[tuple[int | None, str], set[int]] = defaultdict(set)
        self.supervisor_units: defaultdict[int, set[int]] = defaultdict(set)
        rows = Membership.objects.values_list("unit_id", "role", "user_id")
        for unit_id, role, user_id in rows:
            self.by_unit[unit_id, role].add(user_id)
            if role == Role.SUPERVISOR and unit_id is not None:
                self.supervisor_units[user_id].add(unit_id)
        self.regional = frozenset(self.by_unit[None, Role.REGIONAL_STUDY_DIRECTOR])

    def study_directors(self, unit_ids: Iterable[int | None]) -> frozenset[int]:
        """The units' study directors, else the region-wide ones, else the regional ones."""
        found = set().union(*(self.by_unit[u, Role.STUDY_DIRECTOR] for u in unit_ids))
        return frozenset(found or self.by_unit[None, Role.STUDY_DIRECTOR] or self.regional)

    def heads(self, unit_id: int | None) -> frozenset[int]:
        """The unit's heads of unit."""
        return frozenset(self.by_unit[unit_id, Role.HEAD_OF_UNIT])

    def unit_staff(self, unit_id: int) -> frozenset[int]:
        return frozenset(
            self.by_unit[unit_id, Role.HEAD_OF_UNIT] | self.by_unit[unit_id, Role.STUDY_DIRECTOR]
        )


def _trainee_items(
    region: Region, on: date, ids: frozenset[int] | None, staff: _Staff, store: bool
) -> Iterator[Due]:
    queryset = Trainee.objects.select_related("region", "home_unit", "specialty", "user")
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    head_owned = head_of_unit_codes(load_profile(region.slug))
    last = 0
    while batch := list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH]):
        last = batch[-1].pk
        obligations = snapshot.open_obligations(batch, on, store=store)
        supervisors = _main_supervisors([t.pk for t in batch], on)
        for trainee in batch:
            recipients = frozenset({trainee.user_id, *supervisors[trainee.pk]})
            escalate_to = staff.study_directors([trainee.home_unit_id])
            for obligation in obligations[trainee.pk]:
                if _is_open(obligation):
                    to = recipients
                    if obligation.code in head_owned:
                        # The source makes the head of unit responsible: they hear too.
                        to = recipients | staff.heads(trainee.home_unit_id)
                    route = _trainee_route(region, trainee.pk, obligation.code)
                    label = trainee.user.get_full_name() or trainee.user.email
                    subject_key = f"trainee:{trainee.pk}"
                    yield _due(region, obligation, subject_key, label, route, to, escalate_to)


def head_of_unit_codes(profile: Profile) -> frozenset[str]:
    """The trainee obligations the region's sources make the head of unit responsible for."""
    return frozenset(rule.code for rule in profile.rules if rule.owner == "head_of_unit")


def _main_supervisors(trainee_ids: list[int], on: date) -> defaultdict[int, set[int]]:
    rows = (
        Assignment.objects.filter(trainee_id__in=trainee_ids, role="main_supervisor")
        .filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("trainee_id", "user_id")
    )
    result: defaultdict[int, set[int]] = defaultdict(set)
    for trainee_id, user_id in rows:
        result[trainee_id].add(user_id)
    return result


def _unit_items(
    region: Region, profile: Profile, on: date, ids: frozenset[int] | None, staff: _Staff
) -> Iterator[Due]:
    units = Unit.objects.order_by("pk")
    if ids is not None:
        units = units.filter(pk__in=ids)
    units = list(units)
    reviews = unit_events({u.pk for u in units})
    for unit in units:
        facts = UnitFacts(unit.name, unit.first_trainee_start, reviews[unit.pk])
        evaluation = evaluate(Portfolio(region=region.slug, unit=facts), profile, on)
        route = ("inspections:unit", (("region", region.slug), ("pk", unit.pk)))
        recipients = staff.unit_staff(unit.pk)
        # The unit's own study director already hears; escalation goes one level up.
        escalate_to = staff.regional or staff.study_directors([None])
        for obligation in evaluation.obligations:
            if _is_open(obligation):
                key = f"unit:{unit.pk}"
                yield _due(region, obligation, key, unit.name, route, recipients, escalate_to)


def _supervisor_items(
    region: Region, profile: Profile, on: date, ids: frozenset[int] | None, staff: _Staff
) -> Iterator[Due]:
    rows = Membership.objects.filter(role=Role.SUPERVISOR).select_related("user")
    if ids is not None:
        rows = rows.filter(user_id__in=ids)
    people = {m.user_id: m.user for m in rows.order_by("user_id")}
    trainings = supervisor_training_events(set(people))
    route = ("supervision:qualifications", (("region", region.slug),))
    for user_id, user in people.items():
        name = user.get_full_name() or user.email
        facts = SupervisorFacts(name=name, events=trainings[user_id])
        evaluation = evaluate(Portfolio(region=region.slug, supervisor=facts), profile, on)
        escalate_to = staff.study_directors(staff.supervisor_units[user_id] or [None])
        for obligation in evaluation.obligations:
            if _is_open(obligation):
                key = f"supervisor:{user_id}"
                yield _due(region, obligation, key, name, route, frozenset({user_id}), escalate_to)


def _deadline(
    region: Region,
    on: date,
    subject_key: str,
    code: str,
    subject: str,
    label: str,
    strength: str,
    due: date,
    route: tuple[str, tuple[tuple[str, str | int], ...]],
    recipients: frozenset[int],
    escalate_to: frozenset[int],
) -> Due:
    """A dated deadline that is not one of the engine's rules (a measure, a follow-up)."""
    return Due(
        key=f"{region.slug}:{subject_key}:{code}:-:{due}",
        region_id=region.pk,
        code=code,
        subject=subject,
        label=label,
        strength=strength,
        due=due,
        status="overdue" if due < on else "open",
        count=None,
        required=None,
        source="",
        route=route,
        recipients=recipients,
        escalate_to=escalate_to,
    )


def _measure_items(
    region: Region, on: date, owners: frozenset[int] | None, staff: _Staff
) -> Iterator[Due]:
    """Open measures of open action plans, reminded to their owners like any deadline."""
    measures = ActionMeasure.objects.filter(done_on__isnull=True, plan__closed_on__isnull=True)
    if owners is not None:
        measures = measures.filter(owner_id__in=owners)
    for m in measures.select_related("plan__trainee__user", "plan__trainee__home_unit"):
        trainee = m.plan.trainee
        name = trainee.user.get_full_name() or trainee.user.email
        route_kwargs = (("region", region.slug), ("pk", trainee.pk), ("plan_pk", m.plan_id))
        yield _deadline(
            region,
            on,
            f"measure:{m.pk}",
            "action_measure",
            "measure",
            f"{m.description[:120]} ({name})",
            "must",
            m.due,
            ("supervision:action_plan", route_kwargs),
            frozenset({m.owner_id}),
            staff.study_directors([trainee.home_unit_id]),
        )


def _plan_follow_up_items(
    region: Region, on: date, ids: frozenset[int] | None, staff: _Staff
) -> Iterator[Due]:
    """An open action plan's own follow-up date, to the main supervisor and study director.

    The plan "ska" have "en tidsplan för uppföljning" (Norrbotten, Halland); the
    main supervisor writes and follows it up, the study director takes part in it.
    Overdue, it escalates one level up, to the region's study directors.
    """
    plans = ActionPlan.objects.filter(closed_on__isnull=True)
    if ids is not None:
        plans = plans.filter(trainee_id__in=ids)
    plans = list(plans.select_related("trainee__user").order_by("pk"))
    supervisors = _main_supervisors([plan.trainee_id for plan in plans], on)
    escalate_to = staff.regional or staff.study_directors([None])
    for plan in plans:
        trainee = plan.trainee
        name = trainee.user.get_full_name() or trainee.user.email
        route_kwargs = (("region", region.slug), ("pk", trainee.pk), ("plan_pk", plan.pk))
        to = frozenset(supervisors[trainee.pk]) | staff.study_directors([trainee.home_unit_id])
        yield _deadline(
            region,
            on,
            f"action-plan:{plan.pk}",
            "action_plan_follow_up",
            "trainee",
            name,
            "must",
            plan.follow_up_on,
            ("supervision:action_plan", route_kwargs),
            to,
            escalate_to,
        )


def _inspection_measure_items(
    region: Region, on: date, owners: frozenset[int] | None, staff: _Staff
) -> Iterator[Due]:
    """Open measures after a unit's review, to their owners; overdue ones escalate upwards."""
    measures = InspectionMeasure.objects.filter(done_on__isnull=True)
    if owners is not None:
        measures = measures.filter(owner_id__in=owners)
    escalate_to = staff.regional or staff.study_directors([None])
    for m in measures.select_related("inspection__unit"):
        yield _deadline(
            region,
            on,
            f"inspection-measure:{m.pk}",
            "inspection_measure",
            "measure",
            f"{m.description[:120]} ({m.inspection.unit.name})",
            "must",
            m.due,
            ("inspections:detail", (("region", region.slug), ("pk", m.inspection_id))),
            frozenset({m.owner_id}),
            escalate_to,
        )


def _follow_up_items(
    region: Region, on: date, ids: frozenset[int] | None, staff: _Staff
) -> Iterator[Due]:
    """A review's action plan to follow up by its date, to the unit's head and study director."""
    reviews = Inspection.objects.filter(follow_up_due__isnull=False, followed_up_on__isnull=True)
    if ids is not None:
        reviews = reviews.filter(unit_id__in=ids)
    escalate_to = staff.regional or staff.study_directors([None])
    for review in reviews.select_related("unit"):
        yield _deadline(
            region,
            on,
            f"inspection:{review.pk}",
            "inspection_follow_up",
            "unit",
            review.unit.name,
            "should",
            review.follow_up_due,
            ("inspections:detail", (("region", region.slug), ("pk", review.pk))),
            staff.unit_staff(review.unit_id),
            escalate_to,
        )


def _is_open(obligation: Obligation) -> bool:
    return obligation.status in OPEN and obligation.due is not None


def _due(
    region: Region,
    obligation: Obligation,
    subject_key: str,
    label: str,
    route: tuple[str, tuple[tuple[str, str | int], ...]],
    recipients: frozenset[int],
    escalate_to: frozenset[int],
) -> Due:
    period = obligation.period
    period_key = period.isoformat() if isinstance(period, date) else str(period or "-")
    due = obligation.due or date.max  # _is_open() lets only dated obligations through
    return Due(
        key=f"{region.slug}:{subject_key}:{obligation.code}:{period_key}:{due}",
        region_id=region.pk,
        code=obligation.code,
        subject=obligation.subject,
        label=label,
        strength=obligation.strength,
        due=due,
        status=obligation.status,
        count=obligation.count,
        required=obligation.required,
        source=obligation.source,
        route=route,
        recipients=recipients,
        escalate_to=escalate_to,
    )


def _trainee_route(
    region: Region, trainee_id: int, code: str
) -> tuple[str, tuple[tuple[str, str | int], ...]]:
    name, extra = obligation_page(code)
    return name, (("region", region.slug), ("pk", trainee_id), *extra.items())
