"""The rule engine: facts in, obligations out.

Plain Python with no Django imports, so dashboards, reminders and
``manage.py obligations`` all compute "what is due" the same way. Semantics
follow shared/spec/portfolio-format.md; the decisions the spec leaves open
are written down in docs/rules.md.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from math import ceil, floor

from dateutil.relativedelta import relativedelta

from regions.rules.codes import CODES
from regions.rules.profile import Profile, RateRule, Rule

SOSFS_2015 = "SOSFS 2015:8"
HSLF_2021 = "HSLF-FS 2021:8"
REGULATION_MONTHS: dict[str, int] = {SOSFS_2015: 60, HSLF_2021: 66}

# Status order, best first (done > late > open > overdue), for callers that compare.
STATUS_RANK: dict[str, int] = {"overdue": 0, "open": 1, "late": 2, "done": 3}

# Which events fulfil which code, from the code table (codes with events only).
CODE_EVENTS: dict[str, tuple[str, ...]] = {
    code: row.events for code, row in CODES.items() if row.events
}
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class TraineeFacts:
    """The trainee's programme facts (the portfolio's ``trainee`` section)."""

    regulation: str
    start: date
    specialty: str | None = None
    bt_end: date | None = None
    extent_percent: int | float = 100
    credited_months: int | float = 0


@dataclass(frozen=True, slots=True)
class Event:
    """One dated fact; rotations and absences carry ``start``/``end`` instead of ``date``."""

    type: str
    date: date | None = None
    start: date | None = None
    end: date | None = None
    phase: str | None = None
    minutes: int | float | None = None
    method: str | None = None
    unit: str | None = None
    external: bool = False
    supervisor_named: bool = False
    contact_date: date | None = None
    feedback_date: date | None = None
    registered: date | None = None
    kind: str | None = None
    title: str | None = None
    goals: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """A training unit (clinic, health centre) and its review events."""

    name: str | None = None
    first_trainee_start: date | None = None
    events: tuple[Event, ...] = ()


@dataclass(frozen=True, slots=True)
class SupervisorFacts:
    """A supervisor and their supervisor-training events."""

    name: str | None = None
    events: tuple[Event, ...] = ()


@dataclass(frozen=True, slots=True)
class Portfolio:
    """An ``st-portfolio/1`` document as facts; every section is optional."""

    region: str
    trainee: TraineeFacts | None = None
    events: tuple[Event, ...] = ()
    unit: UnitFacts | None = None
    supervisor: SupervisorFacts | None = None


@dataclass(frozen=True, slots=True)
class Obligation:
    """One entry of the output: what is due, when, and whether it is done."""

    code: str
    subject: str
    strength: str
    period: int | date | None
    due: date | None
    status: str
    done_on: date | None
    # Whole events for quotas; hours with one decimal for supervision_hours.
    count: int | float | None
    required: int | float | None
    source: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The obligations of one portfolio on one date, and the planned end."""

    obligations: tuple[Obligation, ...]
    planned_end: date | None


@functools.lru_cache(maxsize=16384)
def add_months(day: date, months: int) -> date:
    """Calendar months with the day clamped to the month's end (spec: month arithmetic)."""
    return day + relativedelta(months=months)


Span = tuple[date, date]


def add_fractional_months(day: date, months: Fraction | int) -> date:
    """Whole calendar months, then the fraction as that share of the following month's days.

    The share is rounded up to a whole day so the planned time is never
    shorter than required (spec: the training clock, part time).
    """
    whole = floor(months)
    end = add_months(day, whole)
    if months != whole:
        month_days = (add_months(day, whole + 1) - end).days
        end += timedelta(days=ceil((months - whole) * month_days))
    return end


def merged_spans(absences: Iterable[Event]) -> tuple[Span, ...]:
    """Absences as sorted (first, last) days, overlapping or touching ones joined."""
    spans: list[Span] = []
    for absence in sorted(absences, key=lambda e: (e.start, e.end)):
        if spans and absence.start <= spans[-1][1] + _DAY:
            spans[-1] = (spans[-1][0], max(spans[-1][1], absence.end))
        else:
            spans.append((absence.start, absence.end))
    return tuple(spans)


def absence_days(spans: tuple[Span, ...], first: date, before: date) -> int:
    """Calendar days of absence on or after ``first`` and before ``before``."""
    total = 0
    for start, end in spans:
        if start >= before:
            break
        low, high = max(start, first), min(end, before - _DAY)
        if low <= high:
            total += (high - low).days + 1
    return total


def training_date(day: date, months: Fraction | int, spans: tuple[Span, ...]) -> date:
    """``T(D, N)``: N months of training after D, the clock stopped by absence.

    Absence that begins before the date is reached pushes it; absence that
    begins after does not. The fixed point is reached in at most one step per
    absence, since each step can only take in absences that begin later.
    """
    base = add_fractional_months(day, months)
    reached = base
    while spans:
        moved = base + timedelta(days=absence_days(spans, day, reached))
        if moved == reached:
            break
        reached = moved
    return reached


def months_between(first: date, after: date) -> Fraction:
    """Whole calendar months from ``first`` to ``after``, then the rest as a share of a month.

    The rest is measured against the calendar month that follows the whole
    months: 2023-09-04 to 2023-10-19 is 1 month + 15/31.
    """
    whole = (after.year - first.year) * 12 + after.month - first.month
    while whole > 0 and add_months(first, whole) > after:
        whole -= 1
    anchor = add_months(first, max(whole, 0))
    rest = (after - anchor).days
    if rest <= 0:
        return Fraction(max(whole, 0))
    return whole + Fraction(rest, (add_months(first, whole + 1) - anchor).days)


def service_months(
    first: date, last: date, extent_percent: int | float, spans: tuple[Span, ...]
) -> Fraction:
    """Service months of ``first``..``last`` (both inclusive): absence days are not service.

    E = last + 1 day − absence days inside; the months from ``first`` to E,
    times the extent (spec: the training clock, service months).
    """
    after = last + _DAY - timedelta(days=absence_days(spans, first, last + _DAY))
    return months_between(first, after) * _fraction(extent_percent) / 100


class _Facts:
    """Events of one subject visible on ``on``, grouped by type and sorted once."""

    __slots__ = (
        "absences",
        "anchor",
        "bounds",
        "dates",
        "minutes",
        "on",
        "rotations",
        "spans",
        "trainee",
    )

    def __init__(self, events: tuple[Event, ...], on: date, anchor: date | None) -> None:
        self.on = on
        self.anchor = anchor
        self.trainee: TraineeFacts | None = None
        self.bounds: list[date] | None = None
        self.rotations: list[Event] = []
        self.absences: list[Event] = []
        # (date, minutes) of the supervision events, for supervision_hours.
        self.minutes: list[tuple[date, int | float]] = []
        # Only the trainee's clock stops for absence; unit and supervisor
        # obligations keep the calendar (their facts carry no absences).
        self.spans: tuple[Span, ...] = ()
        dates: defaultdict[str, list[date]] = defaultdict(list)
        for event in events:
            when = event.date
            if when is not None:
                if when <= on:
                    key = event.type
                    if event.phase == "BT" and key == "iup_approved":
                        key = "iup_approved:BT"
                    elif key == "supervision" and event.minutes:
                        self.minutes.append((when, event.minutes))
                    dates[key].append(when)
            elif event.type == "rotation":
                # A rotation is known from the day it was entered in the plan
                # (else from its start), so its obligations show before they fall due.
                if (event.registered or event.start) <= on:
                    self.rotations.append(event)
            elif event.type == "absence" and event.start is not None and event.start <= on:
                self.absences.append(event)
        for values in dates.values():
            values.sort()
        self.minutes.sort()
        self.rotations.sort(key=_rotation_order)
        self.dates = dates
        self.spans = merged_spans(self.absences)

    def after(self, day: date, months: int) -> date:
        """``months`` after ``day`` on this subject's clock (a trainee's stops for absence)."""
        if not self.spans:
            return add_months(day, months)
        return training_date(day, months, self.spans)

    def matching(self, code: str, also: tuple[str, ...] = ()) -> list[date]:
        """Sorted dates of the events that fulfil ``code`` (and the profile's ``also_met_by``)."""
        keys = CODE_EVENTS[code] + also
        if len(keys) == 1:
            return self.dates.get(keys[0], [])
        return sorted(d for key in keys for d in self.dates.get(key, ()))

    def year_bounds(self) -> list[date]:
        """Starts of training years 1..K+1, K = the years started on or before ``on``."""
        if self.bounds is None:
            start = self.anchor
            bounds = [start]
            while bounds[-1] <= self.on:
                bounds.append(self.after(start, 12 * len(bounds)))
            self.bounds = bounds if len(bounds) > 1 else []
        return self.bounds


def _rotation_order(rotation: Event) -> tuple:
    """Start, then end, then every other field: the output never depends on input order."""
    return (
        rotation.start,
        rotation.end,
        rotation.unit or "",
        rotation.external,
        rotation.supervisor_named,
        rotation.contact_date or date.min,
        rotation.feedback_date or date.min,
        rotation.registered or date.min,
    )


def evaluate(portfolio: Portfolio, profile: Profile, on: date) -> Evaluation:
    """Evaluate every present section of ``portfolio`` against ``profile`` on ``on``.

    Obligations are ordered by subject (trainee, unit, supervisor; the
    profile keeps its rules in that order), then by the profile's rule
    order, then by period (training year, or rotation start and end).
    """
    facts = _subject_facts(portfolio, on)
    obligations: list[Obligation] = []
    trainee_facts = facts.get("trainee")
    for rule in profile.rules:
        subject_facts = facts.get(rule.subject)
        if subject_facts is not None:
            obligations.extend(_EVALUATORS[rule.kind](rule, subject_facts))
    if trainee_facts is not None and profile.rates:
        # The hour rates are trainee quotas too: after the trainee's rules.
        at = sum(1 for o in obligations if o.subject == "trainee")
        obligations[at:at] = _supervision_hours(profile.rates, trainee_facts)
    planned = _planned_end(portfolio.trainee, trainee_facts) if trainee_facts else None
    return Evaluation(obligations=tuple(obligations), planned_end=planned)


def _subject_facts(portfolio: Portfolio, on: date) -> dict[str, _Facts]:
    facts: dict[str, _Facts] = {}
    if portfolio.trainee is not None:
        trainee = _Facts(portfolio.events, on, portfolio.trainee.start)
        trainee.trainee = portfolio.trainee
        facts["trainee"] = trainee
    if portfolio.unit is not None:
        facts["unit"] = _Facts(portfolio.unit.events, on, portfolio.unit.first_trainee_start)
    if portfolio.supervisor is not None:
        facts["supervisor"] = _Facts(portfolio.supervisor.events, on, None)
    return facts


def status_of(due: date | None, done_on: date | None, on: date) -> str:
    """The spec's status: done / late / overdue / open."""
    if done_on is not None:
        return "done" if due is None or done_on <= due else "late"
    return "overdue" if due is not None and due < on else "open"


def _obligation(
    rule: Rule,
    due: date | None,
    status: str,
    done_on: date | None = None,
    period: int | date | None = None,
    count: int | None = None,
) -> Obligation:
    return Obligation(
        code=rule.code,
        subject=rule.subject,
        strength=rule.strength,
        period=period,
        due=due,
        status=status,
        done_on=done_on,
        count=count,
        required=rule.quota if count is not None else None,
        source=rule.source,
    )


def _deadline(rule: Rule, facts: _Facts) -> list[Obligation]:
    trainee = facts.trainee
    if rule.code == "iup_bt" and (trainee is None or trainee.bt_end is None):
        return []
    anchor = facts.anchor
    if rule.anchor == "st_start" and trainee is not None and trainee.bt_end is not None:
        anchor = trainee.bt_end + _DAY
    due = facts.after(anchor, rule.months) if rule.months is not None else None
    dates = facts.matching(rule.code, rule.also_met_by)
    done_on = dates[0] if dates else None
    return [_obligation(rule, due, status_of(due, done_on, facts.on), done_on)]


def _interval(rule: Rule, facts: _Facts) -> list[Obligation]:
    """One entry: the interval running from the latest event (or the anchor)."""
    if rule.code == "iup_revision" and not facts.dates.get("iup_approved"):
        return []
    dues: list[date] = []
    dates = facts.matching(rule.code, rule.also_met_by)
    if dates:
        dues.append(facts.after(dates[-1], rule.interval_months))
    # The revision interval has no anchor: it starts with the approved plan.
    if facts.anchor is not None and rule.code != "iup_revision":
        dues.append(facts.after(facts.anchor, rule.first_review_months or rule.interval_months))
    # An event long before the anchor (an inspection before the unit took
    # trainees) must not make the first review due earlier: take the later date.
    due = max(dues) if dues else None
    return [_obligation(rule, due, status_of(due, None, facts.on))]


def _quota(rule: Rule, facts: _Facts) -> list[Obligation]:
    """One entry per training year started on or before ``on``."""
    bounds = facts.year_bounds()
    dates = facts.matching(rule.code, rule.also_met_by)
    quota = rule.quota
    result: list[Obligation] = []
    low = bisect_left(dates, bounds[0]) if bounds else 0
    for year in range(1, len(bounds)):
        high = bisect_left(dates, bounds[year])
        count = high - low
        due = bounds[year] - _DAY
        if count >= quota:
            done_on = dates[low + quota - 1]
            result.append(_obligation(rule, due, "done", done_on, year, count))
        else:
            status = "overdue" if due < facts.on else "open"
            result.append(_obligation(rule, due, status, None, year, count))
        low = high
    return result


def _rotation(rule: Rule, facts: _Facts) -> list[Obligation]:
    return _ROTATION_EVALUATORS[rule.code](rule, facts)


def _rotation_supervisor(rule: Rule, facts: _Facts) -> list[Obligation]:
    """Due at the rotation's start; fulfilled by a named supervisor; listed once known."""
    result: list[Obligation] = []
    for rotation in facts.rotations:
        if not _longer_than(rotation, rule.min_rotation_months):
            continue
        done_on = rotation.start if rotation.supervisor_named else None
        status = status_of(rotation.start, done_on, facts.on)
        result.append(_obligation(rule, rotation.start, status, done_on, rotation.start))
    return result


def _longer_than(rotation: Event, months: int) -> bool:
    # A rotation from Feb 1 to Feb 28 lasts exactly one month: its day after
    # the end equals start + 1 month, so it is not "longer than one month".
    return months == 0 or rotation.end + _DAY > add_months(rotation.start, months)


def _rotation_feedback(rule: Rule, facts: _Facts) -> list[Obligation]:
    """Due a fixed number of days after the rotation ends; only ended rotations."""
    result: list[Obligation] = []
    for rotation in facts.rotations:
        if rotation.end > facts.on:
            continue
        due = rotation.end + timedelta(days=rule.days_after)
        done_on = _visible(rotation.feedback_date, facts.on)
        status = status_of(due, done_on, facts.on)
        result.append(_obligation(rule, due, status, done_on, rotation.start))
    return result


def _rotation_contact(rule: Rule, facts: _Facts) -> list[Obligation]:
    """External rotations (every one where the profile says so); due before the start."""
    result: list[Obligation] = []
    for rotation in facts.rotations:
        if not (rotation.external or rule.all_rotations):
            continue
        due = add_months(rotation.start, -rule.months_before) - timedelta(days=rule.days_before)
        done_on = _visible(rotation.contact_date, facts.on)
        status = status_of(due, done_on, facts.on)
        result.append(_obligation(rule, due, status, done_on, rotation.start))
    return result


def _visible(day: date | None, on: date) -> date | None:
    return day if day is not None and day <= on else None


_EVALUATORS = {
    "deadline": _deadline,
    "interval": _interval,
    "quota": _quota,
    "rotation": _rotation,
}
_ROTATION_EVALUATORS = {
    "rotation_supervisor": _rotation_supervisor,
    "rotation_feedback": _rotation_feedback,
    "rotation_contact": _rotation_contact,
}


def planned_end(trainee: TraineeFacts, events: tuple[Event, ...], on: date) -> date:
    """The planned last day of training: ``T(start, M)`` − 1 day (spec: planned_end)."""
    facts = _Facts(events, on, trainee.start)
    return _planned_end(trainee, facts)


def training_months(trainee: TraineeFacts) -> Fraction:
    """M: the regulation's months × 100 / extent − credited months (never below zero)."""
    months = Fraction(REGULATION_MONTHS[trainee.regulation]) * 100
    months = months / _fraction(trainee.extent_percent) - _fraction(trainee.credited_months)
    return max(months, Fraction(0))


def _planned_end(trainee: TraineeFacts, facts: _Facts) -> date:
    # T(start, M) is the first day after the training; the planned end is the
    # last day of training, so one day earlier.
    return training_date(trainee.start, training_months(trainee), facts.spans) - _DAY


def _fraction(number: int | float) -> Fraction:
    # Through str() so 75.5 is exactly 151/2 and not its binary approximation.
    return Fraction(number) if isinstance(number, int) else Fraction(str(number))


# Hours per training year of an hour rate "per week" or "per month" (spec: × 52).
_PERIODS_PER_YEAR: dict[str, int] = {"week": 52, "month": 12}


def _supervision_hours(rates: tuple[RateRule, ...], facts: _Facts) -> list[Obligation]:
    """One entry per training year: hours of supervision against the region's rate.

    A rate that holds in one phase only (Jönköping: BT per week, ST per month)
    counts for the share of the year's days in that phase.
    """
    windows = [(r, w) for r in rates if (w := _phase_window(r, facts.trainee)) is not None]
    bounds = facts.year_bounds()
    days = [day for day, _minutes in facts.minutes]
    result: list[Obligation] = []
    for year in range(1, len(bounds)):
        first, after = bounds[year - 1], bounds[year]
        shares = [(r, _overlap(w, first, after) / (after - first).days) for r, w in windows]
        shares = [(r, share) for r, share in shares if share > 0]
        if not shares:
            continue
        required = _tenths(sum(r.hours * _PERIODS_PER_YEAR[r.per] * share for r, share in shares))
        low, high = bisect_left(days, first), bisect_left(days, after)
        result.append(_hours_entry(shares, facts, year, after - _DAY, required, low, high))
    return result


def _hours_entry(
    shares: list[tuple[RateRule, float]],
    facts: _Facts,
    year: int,
    due: date,
    required: float,
    low: int,
    high: int,
) -> Obligation:
    done_on, total = None, 0.0
    for day, minutes in facts.minutes[low:high]:
        total += minutes
        if done_on is None and total >= required * 60:
            done_on = day
    status = "done" if done_on else ("overdue" if due < facts.on else "open")
    # The strongest rate decides; the source is the rate that covers most of the year.
    main = max(shares, key=lambda item: item[1])[0]
    return Obligation(
        code="supervision_hours",
        subject="trainee",
        strength="must" if any(r.strength == "must" for r, _s in shares) else "should",
        period=year,
        due=due,
        status=status,
        done_on=done_on,
        count=_tenths(total / 60),
        required=required,
        source=main.source,
    )


def _phase_window(rule: RateRule, trainee: TraineeFacts) -> tuple[date, date] | None:
    """First and day after the last of the rule's phase, or None if the trainee has none."""
    if rule.phase == "BT":
        return (trainee.start, trainee.bt_end + _DAY) if trainee.bt_end else None
    if rule.phase == "ST" and trainee.bt_end is not None:
        return (trainee.bt_end + _DAY, date.max)
    return (trainee.start, date.max)


def _overlap(window: tuple[date, date], first: date, after: date) -> int:
    return max((min(window[1], after) - max(window[0], first)).days, 0)


def _tenths(hours: float) -> float:
    """Hours with one decimal, half up (0.05 → 0.1), as the output shows them."""
    return floor(hours * 10 + 0.5 + 1e-9) / 10
