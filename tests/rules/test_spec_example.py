"""The spec's example portfolio, evaluated for Blekinge on 2027-03-01, in full.

Every expected entry below is reasoned from 000_78535177efd85ec7.txt and the
spec, not copied from the engine's output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from regions.rules.engine import evaluate
from regions.rules.portfolio import evaluation_to_dict, parse_portfolio
from regions.rules.profile import load_profile
from tests.rules.conftest import SPEC, d
from tests.shared_files import require_shared

EXAMPLE = Path(__file__).resolve().parent / "data" / "example_portfolio.json"
SOURCE = "000_78535177efd85ec7.txt"


def _entry(
    code: str,
    subject: str,
    period: object,
    due: str | None,
    status: str,
    done_on: str | None,
    count: int | None,
    required: int | None,
    section: str,
) -> dict:
    return {
        "code": code,
        "subject": subject,
        "strength": "must",
        "period": period,
        "due": due,
        "status": status,
        "done_on": done_on,
        "count": count,
        "required": required,
        "source": f"{SOURCE} {section}",
    }


EXPECTED = {
    "region": "blekinge",
    "on": "2027-03-01",
    # 2026-01-12 + 66 months − 1 day = 2031-07-11, + 28 absence days (Jul 1–28).
    "planned_end": "2031-08-08",
    "obligations": [
        # §2.1: within 1 month of 2026-01-12 (the leave begins later and does not
        # push it); signed 2026-02-02 (the spec's own entry).
        _entry("contract", "trainee", None, "2026-02-12", "done", "2026-02-02", None, None, "§2.1"),
        # §2.2: within 6 months of training. 2026-07-12 is pushed by the leave that
        # began before it (Jul 1–11, then 22, then all 28 days): T = 2026-08-09.
        # The plan without phase was approved 2026-05-20.
        _entry("iup", "trainee", None, "2026-08-09", "done", "2026-05-20", None, None, "§2.2"),
        # §2.2: 12 months of training after the 2026-05-20 approval: 2027-05-20 + 28
        # days of leave = 2027-06-17; the 2027-05-02 revision is after `on`.
        _entry("iup_revision", "trainee", None, "2027-06-17", "open", None, None, None, "§2.2"),
        # §3.2: training year 1 is 2026-01-12..2027-01-11 + 28 days of leave, so it
        # ends 2027-02-08 and has the 2026-12-15 report; year 2 began 2027-02-09.
        _entry(
            "trainee_annual_report", "trainee", 1, "2027-02-08", "done", "2026-12-15", 1, 1, "§3.2"
        ),
        _entry("trainee_annual_report", "trainee", 2, "2028-02-08", "open", None, 0, 1, "§3.2"),
        # §3.4: the 2026-10-01 talk fulfils year 1.
        _entry("development_talk", "trainee", 1, "2027-02-08", "done", "2026-10-01", 1, 1, "§3.4"),
        _entry("development_talk", "trainee", 2, "2028-02-08", "open", None, 0, 1, "§3.4"),
        # §3.3: the main supervisor's yearly follow-up talk (a code beyond the spec's
        # table, docs/rules.md): none recorded, so year 1 is overdue.
        _entry("supervisor_followup", "trainee", 1, "2027-02-08", "overdue", None, 0, 1, "§3.3"),
        _entry("supervisor_followup", "trainee", 2, "2028-02-08", "open", None, 0, 1, "§3.3"),
        # §3.4: the rotation started 2027-02-01 with a named supervisor.
        _entry(
            "rotation_supervisor",
            "trainee",
            "2027-02-01",
            "2027-02-01",
            "done",
            "2027-02-01",
            None,
            None,
            "§3.4",
        ),
        # §2.6 feedback: the rotation ends 2027-04-30, after `on`: no entry yet.
        # §3.2: external, 3 months before 2027-02-01; contacted 2026-10-15.
        _entry(
            "rotation_contact",
            "trainee",
            "2027-02-01",
            "2026-11-01",
            "done",
            "2026-10-15",
            None,
            None,
            "§3.2",
        ),
        # §2.6: inspected 2021-10-04, five years later is before `on`.
        _entry(
            "external_inspection", "unit", None, "2026-10-04", "overdue", None, None, None, "§2.6"
        ),
        # §2.6: STINS 2024-02-01, two years later is before `on`.
        _entry("self_assessment", "unit", None, "2026-02-01", "overdue", None, None, None, "§2.6"),
        # Blekinge's source has no supervisor-training rule: no supervisor entries.
    ],
}


def _example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def _output(data: dict, on: str = "2027-03-01") -> dict:
    portfolio = parse_portfolio(data)
    evaluation = evaluate(portfolio, load_profile(portfolio.region), d(on))
    return evaluation_to_dict(portfolio.region, d(on), evaluation)


def test_the_example_file_is_the_spec_example() -> None:
    spec = require_shared(SPEC, "shared/spec")
    block = re.search(r"## Input\s+```json\n(.*?)```", spec.read_text(encoding="utf-8"), re.S)
    assert json.loads(block.group(1)) == _example()


def test_full_output_of_the_example() -> None:
    assert _output(_example()) == EXPECTED


def test_key_order_is_the_specs() -> None:
    output = _output(_example())
    assert list(output) == ["region", "on", "planned_end", "obligations"]
    spec_keys = [
        "code",
        "subject",
        "strength",
        "period",
        "due",
        "status",
        "done_on",
        "count",
        "required",
        "source",
    ]
    assert all(list(entry) == spec_keys for entry in output["obligations"])


def test_late_status_when_fulfilled_after_due() -> None:
    data = _example()
    data["events"][0]["date"] = "2026-02-13"
    contract = _output(data)["obligations"][0]
    assert (contract["status"], contract["done_on"]) == ("late", "2026-02-13")


def test_no_trainee_means_null_planned_end_and_only_unit_entries() -> None:
    data = _example()
    del data["trainee"]
    output = _output(data)
    assert output["planned_end"] is None
    assert [o["code"] for o in output["obligations"]] == ["external_inspection", "self_assessment"]


def test_the_example_in_ostergotland_counts_hours_of_supervision() -> None:
    """Spec 1.1: the example's one 60-minute meeting against Östergötland's 1 h a week (must)."""
    data = _example()
    data["region"] = "ostergotland"
    hours = [o for o in _output(data)["obligations"] if o["code"] == "supervision_hours"]
    source = "002_9e78cac0a2d4eb6a.txt Handledning"
    assert hours == [
        # Training year 1 ends 2027-02-08 (28 days of leave): 1.0 of 52.0 hours.
        {
            "code": "supervision_hours",
            "subject": "trainee",
            "strength": "must",
            "period": 1,
            "due": "2027-02-08",
            "status": "overdue",
            "done_on": None,
            "count": 1.0,
            "required": 52.0,
            "source": source,
        },
        {
            "code": "supervision_hours",
            "subject": "trainee",
            "strength": "must",
            "period": 2,
            "due": "2028-02-08",
            "status": "open",
            "done_on": None,
            "count": 0.0,
            "required": 52.0,
            "source": source,
        },
    ]
