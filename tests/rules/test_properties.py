"""Properties of the engine over generated portfolios (hypothesis).

Status order, best first: done > late > open > overdue (STATUS_RANK).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from datetime import date, timedelta
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from regions.rules.engine import (
    CODE_EVENTS,
    HSLF_2021,
    SOSFS_2015,
    STATUS_RANK,
    Event,
    Obligation,
    Portfolio,
    SupervisorFacts,
    TraineeFacts,
    UnitFacts,
    absence_days,
    add_fractional_months,
    add_months,
    evaluate,
    merged_spans,
    service_months,
    training_date,
    training_months,
)
from regions.rules.portfolio import parse_portfolio, portfolio_to_dict
from regions.rules.profile import REGIONS, load_profile

DATED_TYPES = sorted(
    {"supervision", "assessment", "course", "iup_approved", "iup_revised", "contract_signed"}
    | {key for keys in CODE_EVENTS.values() for key in keys if ":" not in key}
    - {"external_inspection", "self_assessment"}
    - {"supervisor_training_basic", "supervisor_training_supplementary"}
)
days = st.dates(min_value=date(2018, 1, 1), max_value=date(2033, 12, 31))


@st.composite
def dated_events(draw: st.DrawFn) -> Event:
    kind = draw(st.sampled_from(DATED_TYPES))
    phase = draw(st.sampled_from([None, "BT"])) if kind == "iup_approved" else None
    minutes = draw(st.integers(0, 180)) if kind == "supervision" else None
    return Event(type=kind, date=draw(days), phase=phase, minutes=minutes)


@st.composite
def rotations(draw: st.DrawFn) -> Event:
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(0, 240)))
    optional_day = st.none() | days
    return Event(
        type="rotation",
        start=start,
        end=end,
        external=draw(st.booleans()),
        supervisor_named=draw(st.booleans()),
        contact_date=draw(optional_day),
        feedback_date=draw(optional_day),
        registered=draw(optional_day),
    )


@st.composite
def absences(draw: st.DrawFn) -> Event:
    start = draw(days)
    return Event(type="absence", start=start, end=start + timedelta(days=draw(st.integers(0, 90))))


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    start = draw(st.dates(min_value=date(2019, 1, 1), max_value=date(2028, 12, 31)))
    regulation = draw(st.sampled_from([SOSFS_2015, HSLF_2021]))
    bt_end = None
    if regulation == HSLF_2021 and draw(st.booleans()):
        bt_end = start + timedelta(days=draw(st.integers(180, 400)))
    trainee = TraineeFacts(
        regulation=regulation,
        start=start,
        bt_end=bt_end,
        extent_percent=draw(st.sampled_from([100, 75, 80, 50, 62.5])),
        credited_months=draw(st.sampled_from([0, 3, 6])),
    )
    events = draw(st.lists(dated_events() | rotations() | absences(), max_size=15))
    unit_events = draw(
        st.lists(
            st.builds(Event, st.sampled_from(["external_inspection", "self_assessment"]), days),
            max_size=3,
        )
    )
    supervisor_events = draw(
        st.lists(
            st.builds(
                Event,
                st.sampled_from(["supervisor_training_basic", "supervisor_training_supplementary"]),
                days,
            ),
            max_size=3,
        )
    )
    return Portfolio(
        region=draw(st.sampled_from(REGIONS)),
        trainee=trainee,
        events=tuple(events),
        unit=UnitFacts("Enhet", draw(st.none() | days), tuple(unit_events)),
        supervisor=SupervisorFacts("Handledare", tuple(supervisor_events)),
    )


def _evaluate(portfolio: Portfolio, on: date) -> tuple[Obligation, ...]:
    return evaluate(portfolio, load_profile(portfolio.region), on).obligations


def _by_key(obligations: tuple[Obligation, ...]) -> dict[tuple, Obligation]:
    """Key entries by code, subject, period and occurrence (two rotations may share a start)."""
    keyed: dict[tuple, Obligation] = {}
    for obligation in obligations:
        key = (obligation.code, obligation.subject, obligation.period)
        occurrence = sum(1 for k in keyed if k[:3] == key)
        keyed[(*key, occurrence)] = obligation
    return keyed


@given(portfolios(), days)
def test_evaluation_is_deterministic_and_independent_of_event_order(
    portfolio: Portfolio, on: date
) -> None:
    first = evaluate(portfolio, load_profile(portfolio.region), on)
    again = evaluate(portfolio, load_profile(portfolio.region), on)
    shuffled = dataclasses.replace(portfolio, events=tuple(reversed(portfolio.events)))
    assert first == again == evaluate(shuffled, load_profile(portfolio.region), on)


def _fulfilling_change(portfolio: Portfolio, code: str, day: date, index: int) -> Portfolio:
    """The portfolio with one more fact that fulfils ``code``."""
    if code.startswith("rotation_"):
        rotation_indexes = [i for i, e in enumerate(portfolio.events) if e.type == "rotation"]
        if not rotation_indexes:
            return portfolio
        at = rotation_indexes[index % len(rotation_indexes)]
        old = portfolio.events[at]
        new = {
            "rotation_supervisor": {"supervisor_named": True},
            "rotation_feedback": {"feedback_date": old.feedback_date or day},
            "rotation_contact": {"contact_date": old.contact_date or day},
        }[code]
        events = list(portfolio.events)
        events[at] = dataclasses.replace(old, **new)
        return dataclasses.replace(portfolio, events=tuple(events))
    kind = CODE_EVENTS[code][index % len(CODE_EVENTS[code])]
    kind, _, phase = kind.partition(":")
    event = Event(type=kind, date=day, phase=phase or None)
    if code in ("external_inspection", "self_assessment"):
        unit = portfolio.unit
        return dataclasses.replace(
            portfolio, unit=dataclasses.replace(unit, events=(*unit.events, event))
        )
    if code.startswith("supervisor_training"):
        sup = portfolio.supervisor
        return dataclasses.replace(
            portfolio, supervisor=dataclasses.replace(sup, events=(*sup.events, event))
        )
    return dataclasses.replace(portfolio, events=(*portfolio.events, event))


@given(
    portfolios(),
    days,
    days,
    st.sampled_from(
        [*sorted(CODE_EVENTS), "rotation_supervisor", "rotation_feedback", "rotation_contact"]
    ),
    st.integers(0, 10),
)
def test_adding_a_fulfilling_fact_never_makes_a_status_worse(
    portfolio: Portfolio, on: date, day: date, code: str, index: int
) -> None:
    before = _by_key(_evaluate(portfolio, on))
    after = _by_key(_evaluate(_fulfilling_change(portfolio, code, day, index), on))
    for key, old in before.items():
        assert key in after, key
        if old.due is None:
            # Nothing to count from (no anchor, no event): "open" means unknown,
            # and a first dated event may well show it is overdue.
            continue
        assert STATUS_RANK[after[key].status] >= STATUS_RANK[old.status], (key, old, after[key])


@given(portfolios(), days, st.integers(0, 2000))
def test_moving_on_forward_never_undoes_done(portfolio: Portfolio, on: date, later: int) -> None:
    # Per entry (code, subject, period): the completion dates done by `on` are all
    # still there later. Not keyed by occurrence: a rotation registered later with
    # the same start may take an earlier place among the period's entries.
    before = _done_dates(_evaluate(portfolio, on))
    after = _done_dates(_evaluate(portfolio, on + timedelta(days=later)))
    for key, done in before.items():
        still = list(after.get(key, []))
        for day in done:
            assert day in still, (key, done, after.get(key))
            still.remove(day)


def _done_dates(obligations: tuple[Obligation, ...]) -> dict[tuple, list[date | None]]:
    found: dict[tuple, list[date | None]] = {}
    for obligation in obligations:
        if obligation.status == "done":
            key = (obligation.code, obligation.subject, obligation.period)
            found.setdefault(key, []).append(obligation.done_on)
    return found


@given(portfolios(), days)
def test_quota_years_partition_the_events(portfolio: Portfolio, on: date) -> None:
    """Summed over training years, a quota counts each event from start to ``on`` exactly once."""
    profile = load_profile(portfolio.region)
    start = portfolio.trainee.start
    for rule in (r for r in profile.rules if r.kind == "quota"):
        keys = set(CODE_EVENTS[rule.code])
        visible = sorted(
            e.date for e in portfolio.events if e.type in keys and e.date and e.date <= on
        )
        expected = len(visible) - bisect_left(visible, start)
        years = [o for o in _evaluate(portfolio, on) if o.code == rule.code]
        assert sum(o.count for o in years) == (expected if years else 0)
        assert [o.period for o in years] == list(range(1, len(years) + 1))


@given(portfolios())
@settings(max_examples=50)
def test_export_import_export_is_stable(portfolio: Portfolio) -> None:
    exported = portfolio_to_dict(portfolio)
    assert portfolio_to_dict(parse_portfolio(exported)) == exported


@given(days, st.integers(-150, 150))
def test_add_months_is_relativedelta(day: date, months: int) -> None:
    assert add_months(day, months) == day + relativedelta(months=months)


# --- The training clock (spec 1.1) ---------------------------------------------------


def _trainee_dues(portfolio: Portfolio, on: date) -> dict[tuple, date | None]:
    return {
        key: o.due
        for key, o in _by_key(_evaluate(portfolio, on)).items()
        if o.subject == "trainee" and o.code not in ("rotation_feedback", "rotation_contact")
    }


def _without_absences(portfolio: Portfolio) -> Portfolio:
    events = tuple(e for e in portfolio.events if e.type != "absence")
    return dataclasses.replace(portfolio, events=events)


@given(portfolios(), days, st.integers(0, 400))
def test_lengthening_an_absence_never_moves_a_due_date_earlier(
    portfolio: Portfolio, on: date, extra: int
) -> None:
    """More absence (a new one, or one that ends later) stops the clock longer, never shorter.

    "Moving an absence later" in general can move a date earlier: the spec lets
    only an absence that begins before the date is reached push it, so a leave
    moved to begin after the date no longer pushes it
    (test_an_absence_that_begins_after_the_date_does_not_push_it).
    """
    plain = _without_absences(portfolio)
    longer = list(portfolio.events)
    for index, event in enumerate(longer):
        if event.type == "absence":
            longer[index] = dataclasses.replace(event, end=event.end + timedelta(days=extra))
            break
    for fewer, more in (
        (plain, portfolio),
        (portfolio, dataclasses.replace(portfolio, events=tuple(longer))),
    ):
        before, after = _trainee_dues(fewer, on), _trainee_dues(more, on)
        for key, due in before.items():
            if key in after and due is not None:
                assert after[key] >= due, (key, due, after[key])


@given(portfolios(), days)
def test_without_absence_the_trainee_gets_exactly_the_calendar_dates(
    portfolio: Portfolio, on: date
) -> None:
    plain = _without_absences(portfolio)
    start = plain.trainee.start
    profile = load_profile(plain.region)
    for o in _evaluate(plain, on):
        rule = profile.rule(o.code)  # None for supervision_hours, a quota from [[rates]]
        if rule is None or rule.kind == "quota":
            assert o.due == add_months(start, 12 * o.period) - timedelta(days=1), o
        elif rule.kind == "deadline" and rule.months is not None:
            # Jönköping's ST plan counts from the ST start, the day after BT.
            bt_end = plain.trainee.bt_end
            anchor = bt_end + timedelta(days=1) if rule.anchor == "st_start" and bt_end else start
            assert o.due == add_months(anchor, rule.months), o
    end = evaluate(plain, profile, on).planned_end
    assert end == add_fractional_months(start, training_months(plain.trainee)) - timedelta(days=1)


@given(portfolios(), days)
def test_planned_end_is_the_training_clock_minus_one_day(portfolio: Portfolio, on: date) -> None:
    """planned_end + 1 = start + M months + the absence days before it: T's fixed point."""
    facts = portfolio.trainee
    end = evaluate(portfolio, load_profile(portfolio.region), on).planned_end
    visible = [e for e in portfolio.events if e.type == "absence" and e.start <= on]
    spans = merged_spans(visible)
    after = end + timedelta(days=1)
    base = add_fractional_months(facts.start, training_months(facts))
    assert after == base + timedelta(days=absence_days(spans, facts.start, after))
    assert after == training_date(facts.start, training_months(facts), spans)
    if all(facts.start <= s and e <= end for s, e in spans):
        total = sum((e - s).days + 1 for s, e in spans)
        assert end == base - timedelta(days=1) + timedelta(days=total)


@given(portfolios(), days)
def test_serving_until_the_planned_end_gives_exactly_the_required_months(
    portfolio: Portfolio, on: date
) -> None:
    """Never 59.9 of 60: service months from start to planned_end round to the requirement."""
    facts = portfolio.trainee
    if facts.credited_months:
        facts = dataclasses.replace(facts, credited_months=0)
        portfolio = dataclasses.replace(portfolio, trainee=facts)
    end = evaluate(portfolio, load_profile(portfolio.region), on).planned_end
    visible = [e for e in portfolio.events if e.type == "absence" and e.start <= on]
    months = service_months(facts.start, end, facts.extent_percent, merged_spans(visible))
    required = 60 if facts.regulation == SOSFS_2015 else 66
    assert required <= months < required + Fraction(1, 20)
