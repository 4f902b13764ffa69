"""Parsing and validating ``st-portfolio/1``; export → import → export is stable."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from regions.rules.engine import HSLF_2021, SOSFS_2015
from regions.rules.portfolio import PortfolioError, parse_portfolio, portfolio_to_dict
from tests.rules.conftest import d

EXAMPLE = json.loads(
    (Path(__file__).resolve().parent / "data" / "example_portfolio.json").read_text("utf-8")
)


def _errors(data: object) -> list[str]:
    with pytest.raises(PortfolioError) as caught:
        parse_portfolio(data)
    return caught.value.messages


def _with(**changes: object) -> dict:
    """The example with dotted keys replaced (value None deletes the key)."""
    data = copy.deepcopy(EXAMPLE)
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        target = data
        for parent in parents:
            target = target[int(parent)] if isinstance(target, list) else target[parent]
        if value is None:
            del target[key]
        else:
            target[key] = value
    return data


def test_the_example_parses_into_facts() -> None:
    portfolio = parse_portfolio(EXAMPLE)
    assert portfolio.region == "blekinge"
    assert portfolio.trainee.regulation == HSLF_2021
    assert portfolio.trainee.bt_end == d("2026-12-31")
    assert len(portfolio.events) == 16
    rotation = portfolio.events[13]
    assert (rotation.start, rotation.external, rotation.contact_date) == (
        d("2027-02-01"),
        True,
        d("2026-10-15"),
    )
    assert portfolio.unit.first_trainee_start == d("2021-03-01")
    assert portfolio.supervisor.events[1].type == "supervisor_training_supplementary"


def test_export_import_export_is_stable() -> None:
    exported = portfolio_to_dict(parse_portfolio(EXAMPLE))
    assert portfolio_to_dict(parse_portfolio(exported)) == exported
    assert exported == EXAMPLE  # the example already uses the format's canonical key order


def test_defaults_for_extent_and_credited_months() -> None:
    portfolio = parse_portfolio(_with(trainee__extent_percent=None, trainee__credited_months=None))
    assert (portfolio.trainee.extent_percent, portfolio.trainee.credited_months) == (100, 0)


def test_unknown_keys_are_ignored() -> None:
    data = _with(extra="x", trainee__nickname="Kim", events__0__note="hej")
    assert parse_portfolio(data) == parse_portfolio(EXAMPLE)


def test_sections_are_optional() -> None:
    portfolio = parse_portfolio({"format": "st-portfolio/1", "region": "halland"})
    assert (portfolio.trainee, portfolio.unit, portfolio.supervisor, portfolio.events) == (
        None,
        None,
        None,
        (),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"trainee__start": "2026-02-30"}, 'trainee.start: ogiltigt datum "2026-02-30"'),
        ({"trainee__start": "12/01/2026"}, 'trainee.start: ogiltigt datum "12/01/2026"'),
        ({"trainee__start": 20260112}, "trainee.start: ogiltigt datum 20260112"),
        ({"trainee__start": None}, "trainee.start: saknas"),
        ({"region": "gotland"}, 'region: okänd region "gotland"'),
        ({"region": None}, "region: saknas"),
        ({"format": "st-portfolio/2"}, 'format: måste vara "st-portfolio/1"'),
        ({"trainee__regulation": "SOSFS 1999:5"}, 'trainee.regulation: okänd föreskrift "SOSFS'),
        ({"trainee__regulation": SOSFS_2015}, "trainee.bt_end: får bara anges för HSLF-FS 2021:8"),
        ({"trainee__bt_end": "2025-12-31"}, "trainee.bt_end: får inte vara före trainee.start"),
        ({"trainee__extent_percent": 0}, "trainee.extent_percent: måste vara mellan 1 och 100"),
        ({"trainee__extent_percent": 101}, "trainee.extent_percent: måste vara mellan 1 och 100"),
        (
            {"trainee__extent_percent": "100"},
            'trainee.extent_percent: måste vara ett tal, inte "100"',
        ),
        ({"trainee__credited_months": -1}, "trainee.credited_months: måste vara mellan 0 och 66"),
        ({"trainee": []}, "trainee: måste vara ett objekt"),
        ({"events": {}}, "events: måste vara en lista"),
        ({"events__5__minutes": "60"}, 'events[5].minutes: måste vara ett tal, inte "60"'),
        ({"events__0__date": None}, "events[0].date: saknas"),
        ({"events__0__type": "contract"}, 'events[0].type: okänd händelsetyp "contract"'),
        ({"events__2__phase": "ST"}, 'events[2].phase: okänd fas "ST"'),
        ({"events__13__end": "2027-01-31"}, "events[13].end: får inte vara före start"),
        ({"events__13__external": "yes"}, "events[13].external: måste vara true eller false"),
        ({"events__14__start": "2026-07-32"}, 'events[14].start: ogiltigt datum "2026-07-32"'),
        (
            {"events__13__registered": "2026-9-1"},
            'events[13].registered: ogiltigt datum "2026-9-1"',
        ),
        ({"events__13__registered": True}, "events[13].registered: ogiltigt datum true"),
        ({"events__5__minutes": -5}, "events[5].minutes: måste vara mellan 0 och 1440"),
        ({"unit__first_trainee_start": "2021-3-1"}, "unit.first_trainee_start: ogiltigt datum"),
        ({"unit__events__0__type": "supervision"}, "unit.events[0].type: okänd händelsetyp"),
        ({"supervisor__events__0__date": ""}, 'supervisor.events[0].date: ogiltigt datum ""'),
    ],
)
def test_each_error_names_its_key(changes: dict, message: str) -> None:
    errors = _errors(_with(**changes))
    assert any(error.startswith(message) for error in errors), errors


def test_all_errors_are_collected() -> None:
    data = _with(
        region="gotland",
        trainee__start="2026-02-30",
        trainee__extent_percent=0,
        events__1__date="x",
    )
    errors = _errors(data)
    assert [error.split(":")[0] for error in errors] == [
        "region",
        "trainee.start",
        "trainee.extent_percent",
        "events[1].date",
    ]


def test_a_document_that_is_not_an_object() -> None:
    assert _errors([1, 2]) == ["dokumentet: måste vara ett JSON-objekt"]


def test_a_rotations_registered_date_is_read_and_written_back() -> None:
    data = _with(events__13__registered="2026-09-01")
    portfolio = parse_portfolio(data)
    assert portfolio.events[13].registered == d("2026-09-01")
    exported = portfolio_to_dict(portfolio)
    assert exported["events"][13]["registered"] == "2026-09-01"
    assert portfolio_to_dict(parse_portfolio(exported)) == exported
