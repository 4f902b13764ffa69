"""``st-portfolio/1``: parse and validate into facts, and back to JSON-ready dicts.

Every error names its key path (``trainee.start: ogiltigt datum "2026-02-30"``)
and all errors are collected before raising. Unknown keys are ignored.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from regions.rules.engine import (
    REGULATION_MONTHS,
    Evaluation,
    Event,
    Obligation,
    Portfolio,
    SupervisorFacts,
    TraineeFacts,
    UnitFacts,
)
from regions.rules.profile import REGIONS

FORMAT = "st-portfolio/1"

TRAINEE_DATED_TYPES: frozenset[str] = frozenset(
    {
        "contract_signed",
        "iup_approved",
        "iup_revised",
        "planning_meeting",
        "supervision",
        "assessment",
        "specialist_colloquium",
        "trainee_annual_report",
        "supervisor_statement",
        "development_talk",
        "supervisor_followup",
        "iup_followup",
        "studierektor_followup",
        "supervision_evaluation",
        "course",
    }
)
TRAINEE_SPAN_TYPES: frozenset[str] = frozenset({"rotation", "absence"})
UNIT_TYPES: frozenset[str] = frozenset({"external_inspection", "self_assessment"})
SUPERVISOR_TYPES: frozenset[str] = frozenset(
    {"supervisor_training_basic", "supervisor_training_supplementary"}
)
PHASES: tuple[str, ...] = ("BT",)
ABSENCE_KINDS: tuple[str, ...] = ("parental", "sick", "other")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The engine adds up to 6,600 months (66 at 1 % extent) and subtracts months from
# these dates; a year near 1 or 9999 would overflow on a dashboard later.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
_MISSING = object()
# The longest text column an imported text lands in (a rotation's unit, a course's title).
MAX_TEXT = 200


class PortfolioError(ValueError):
    """The document is not a valid portfolio; ``messages`` name each bad key."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


class _Reader:
    """Reads typed values out of decoded JSON, recording an error per bad key."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def get(self, obj: dict[str, Any], key: str, path: str, *, required: bool) -> Any:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(path, "saknas")
            return _MISSING
        return value

    def mapping(self, value: Any, path: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.fail(path, "måste vara ett objekt")
        return None

    def date(self, obj: dict[str, Any], key: str, path: str, *, required: bool) -> date | None:
        value = self.get(obj, key, path, required=required)
        if value is _MISSING:
            return None
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                if EARLIEST <= day <= LATEST:
                    return day
                self.fail(path, f"datumet {_show(value)} ligger inte mellan år 1900 och 2100")
                return None
        self.fail(path, f"ogiltigt datum {_show(value)}")
        return None

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool) -> str | None:
        value = self.get(obj, key, path, required=required)
        if value is _MISSING:
            return None
        if isinstance(value, str) and self._clean_text(value, path):
            return value
        if not isinstance(value, str):
            self.fail(path, f"måste vara en text, inte {_show(value)}")
        return None

    def _clean_text(self, value: str, path: str) -> bool:
        # PostgreSQL stores no NUL character, in text or in JSON.
        if "\x00" in value:
            self.fail(path, "får inte innehålla NUL-tecken (\\u0000)")
            return False
        if len(value) > MAX_TEXT:
            self.fail(path, f"får vara högst {MAX_TEXT} tecken lång, inte {len(value)}")
            return False
        return True

    def number(
        self, obj: dict[str, Any], key: str, path: str, default: float, bounds: tuple[float, float]
    ) -> int | float:
        value = self.get(obj, key, path, required=False)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"måste vara ett tal, inte {_show(value)}")
            return default
        low, high = bounds
        if not low <= value <= high:
            self.fail(path, f"måste vara mellan {_num(low)} och {_num(high)}, inte {_num(value)}")
            return default
        return value

    def flag(self, obj: dict[str, Any], key: str, path: str) -> bool:
        value = self.get(obj, key, path, required=False)
        if value is _MISSING:
            return False
        if isinstance(value, bool):
            return value
        self.fail(path, f"måste vara true eller false, inte {_show(value)}")
        return False

    def texts(self, obj: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = self.get(obj, key, path, required=False)
        if value is _MISSING:
            return ()
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            if all(self._clean_text(v, f"{path}[{i}]") for i, v in enumerate(value)):
                return tuple(value)
            return ()
        self.fail(path, "måste vara en lista av texter")
        return ()


def _show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def parse_portfolio(data: object) -> Portfolio:
    """Validate a decoded ``st-portfolio/1`` document and return its facts.

    Raises PortfolioError with one Swedish message per bad key.
    """
    reader = _Reader()
    if not isinstance(data, dict):
        raise PortfolioError(["dokumentet: måste vara ett JSON-objekt"])
    fmt = reader.get(data, "format", "format", required=True)
    if fmt is not _MISSING and fmt != FORMAT:
        reader.fail("format", f"måste vara {_show(FORMAT)}, inte {_show(fmt)}")
    region = reader.text(data, "region", "region", required=True)
    if region is not None and region not in REGIONS:
        reader.fail("region", f"okänd region {_show(region)} (giltiga: {', '.join(REGIONS)})")
    trainee = _trainee(reader, data)
    events = _events(reader, data, "events", TRAINEE_DATED_TYPES | TRAINEE_SPAN_TYPES)
    unit = _unit(reader, data)
    supervisor = _supervisor(reader, data)
    if reader.errors:
        raise PortfolioError(reader.errors)
    return Portfolio(
        region=region, trainee=trainee, events=events, unit=unit, supervisor=supervisor
    )


def _trainee(reader: _Reader, data: dict[str, Any]) -> TraineeFacts | None:
    raw = reader.get(data, "trainee", "trainee", required=False)
    obj = None if raw is _MISSING else reader.mapping(raw, "trainee")
    if obj is None:
        return None
    regulation = reader.text(obj, "regulation", "trainee.regulation", required=True)
    if regulation is not None and regulation not in REGULATION_MONTHS:
        allowed = ", ".join(_show(r) for r in REGULATION_MONTHS)
        reader.fail("trainee.regulation", f"okänd föreskrift {_show(regulation)} ({allowed})")
        regulation = None
    start = reader.date(obj, "start", "trainee.start", required=True)
    bt_end = _bt_end(reader, obj, regulation, start)
    most = REGULATION_MONTHS.get(regulation, max(REGULATION_MONTHS.values()))
    trainee = TraineeFacts(
        regulation=regulation or "",
        start=start or date.min,
        specialty=reader.text(obj, "specialty", "trainee.specialty", required=False),
        bt_end=bt_end,
        extent_percent=reader.number(
            obj, "extent_percent", "trainee.extent_percent", 100, (1, 100)
        ),
        credited_months=reader.number(
            obj, "credited_months", "trainee.credited_months", 0, (0, most)
        ),
    )
    return trainee if regulation and start else None


def _bt_end(
    reader: _Reader, obj: dict[str, Any], regulation: str | None, start: date | None
) -> date | None:
    bt_end = reader.date(obj, "bt_end", "trainee.bt_end", required=False)
    if bt_end is None:
        return None
    if regulation == "SOSFS 2015:8":
        reader.fail(
            "trainee.bt_end", "får bara anges för HSLF-FS 2021:8 (BT finns inte i SOSFS 2015:8)"
        )
    elif start is not None and bt_end < start:
        reader.fail("trainee.bt_end", "får inte vara före trainee.start")
    return bt_end


def _unit(reader: _Reader, data: dict[str, Any]) -> UnitFacts | None:
    raw = reader.get(data, "unit", "unit", required=False)
    obj = None if raw is _MISSING else reader.mapping(raw, "unit")
    if obj is None:
        return None
    return UnitFacts(
        name=reader.text(obj, "name", "unit.name", required=False),
        first_trainee_start=reader.date(
            obj, "first_trainee_start", "unit.first_trainee_start", required=False
        ),
        events=_events(reader, obj, "unit.events", UNIT_TYPES),
    )


def _supervisor(reader: _Reader, data: dict[str, Any]) -> SupervisorFacts | None:
    raw = reader.get(data, "supervisor", "supervisor", required=False)
    obj = None if raw is _MISSING else reader.mapping(raw, "supervisor")
    if obj is None:
        return None
    return SupervisorFacts(
        name=reader.text(obj, "name", "supervisor.name", required=False),
        events=_events(reader, obj, "supervisor.events", SUPERVISOR_TYPES),
    )


def _events(
    reader: _Reader, obj: dict[str, Any], path: str, allowed: frozenset[str]
) -> tuple[Event, ...]:
    raw = reader.get(obj, path.rsplit(".", 1)[-1], path, required=False)
    if raw is _MISSING:
        return ()
    if not isinstance(raw, list):
        reader.fail(path, "måste vara en lista")
        return ()
    events = (_event(reader, item, f"{path}[{i}]", allowed) for i, item in enumerate(raw))
    return tuple(event for event in events if event is not None)


def _event(reader: _Reader, raw: Any, path: str, allowed: frozenset[str]) -> Event | None:
    obj = reader.mapping(raw, path)
    if obj is None:
        return None
    kind = reader.text(obj, "type", f"{path}.type", required=True)
    if kind is None:
        return None
    if kind not in allowed:
        reader.fail(f"{path}.type", f"okänd händelsetyp {_show(kind)} här")
        return None
    if kind == "rotation":
        return _rotation(reader, obj, path)
    if kind == "absence":
        start, end = _span(reader, obj, path)
        kind_of = reader.text(obj, "kind", f"{path}.kind", required=False)
        if kind_of is not None and kind_of not in ABSENCE_KINDS:
            allowed = ", ".join(_show(k) for k in ABSENCE_KINDS)
            reader.fail(f"{path}.kind", f"okänd frånvarotyp {_show(kind_of)} ({allowed})")
            return None
        return Event(type=kind, start=start, end=end, kind=kind_of) if start and end else None
    return _dated(reader, obj, path, kind)


def _dated(reader: _Reader, obj: dict[str, Any], path: str, kind: str) -> Event | None:
    when = reader.date(obj, "date", f"{path}.date", required=True)
    phase = None
    if kind == "iup_approved":
        # Only an IUP approval has a phase; elsewhere the key is ignored like any unknown key.
        phase = reader.text(obj, "phase", f"{path}.phase", required=False)
        if phase is not None and phase not in PHASES:
            reader.fail(f"{path}.phase", f'okänd fas {_show(phase)} (giltig: "BT")')
    minutes = None
    if obj.get("minutes") is not None:
        minutes = reader.number(obj, "minutes", f"{path}.minutes", 0, (0, 24 * 60))
    event = Event(
        type=kind,
        date=when,
        phase=phase,
        minutes=minutes,
        method=reader.text(obj, "method", f"{path}.method", required=False),
        title=reader.text(obj, "title", f"{path}.title", required=False),
        goals=reader.texts(obj, "goals", f"{path}.goals"),
    )
    return event if when else None


def _span(reader: _Reader, obj: dict[str, Any], path: str) -> tuple[date | None, date | None]:
    start = reader.date(obj, "start", f"{path}.start", required=True)
    end = reader.date(obj, "end", f"{path}.end", required=True)
    if start and end and end < start:
        reader.fail(f"{path}.end", f"får inte vara före start ({start.isoformat()})")
        return None, None
    return start, end


def _rotation(reader: _Reader, obj: dict[str, Any], path: str) -> Event | None:
    start, end = _span(reader, obj, path)
    event = Event(
        type="rotation",
        start=start,
        end=end,
        unit=reader.text(obj, "unit", f"{path}.unit", required=False),
        external=reader.flag(obj, "external", f"{path}.external"),
        supervisor_named=reader.flag(obj, "supervisor_named", f"{path}.supervisor_named"),
        contact_date=reader.date(obj, "contact_date", f"{path}.contact_date", required=False),
        feedback_date=reader.date(obj, "feedback_date", f"{path}.feedback_date", required=False),
        registered=reader.date(obj, "registered", f"{path}.registered", required=False),
    )
    return event if start and end else None


def portfolio_to_dict(portfolio: Portfolio) -> dict[str, Any]:
    """The inverse of parse_portfolio: export, import and export again give the same dict."""
    data: dict[str, Any] = {"format": FORMAT, "region": portfolio.region}
    if portfolio.trainee is not None:
        data["trainee"] = _trainee_dict(portfolio.trainee)
    data["events"] = [event_to_dict(event) for event in portfolio.events]
    if portfolio.unit is not None:
        data["unit"] = _drop_none(
            {
                "name": portfolio.unit.name,
                "first_trainee_start": _iso(portfolio.unit.first_trainee_start),
                "events": [event_to_dict(event) for event in portfolio.unit.events],
            }
        )
    if portfolio.supervisor is not None:
        data["supervisor"] = _drop_none(
            {
                "name": portfolio.supervisor.name,
                "events": [event_to_dict(event) for event in portfolio.supervisor.events],
            }
        )
    return data


def _trainee_dict(trainee: TraineeFacts) -> dict[str, Any]:
    return _drop_none(
        {
            "regulation": trainee.regulation,
            "specialty": trainee.specialty,
            "start": trainee.start.isoformat(),
            "bt_end": _iso(trainee.bt_end),
            "extent_percent": trainee.extent_percent,
            "credited_months": trainee.credited_months,
        }
    )


def event_to_dict(event: Event) -> dict[str, Any]:
    """One event as the format writes it (keys in the spec example's order)."""
    if event.type == "rotation":
        return _drop_none(
            {
                "type": event.type,
                "start": _iso(event.start),
                "end": _iso(event.end),
                "unit": event.unit,
                "external": event.external,
                "supervisor_named": event.supervisor_named,
                "contact_date": _iso(event.contact_date),
                "feedback_date": _iso(event.feedback_date),
                "registered": _iso(event.registered),
            }
        )
    if event.type == "absence":
        data = {"type": event.type, "start": _iso(event.start), "end": _iso(event.end)}
        return _drop_none(data | {"kind": event.kind})
    return _drop_none(
        {
            "type": event.type,
            "phase": event.phase,
            "date": _iso(event.date),
            "minutes": event.minutes,
            "method": event.method,
            "title": event.title,
            "goals": list(event.goals) or None,
        }
    )


def evaluation_to_dict(region: str, on: date, evaluation: Evaluation) -> dict[str, Any]:
    """The spec's output JSON: region, on, planned_end, obligations (in that key order)."""
    return {
        "region": region,
        "on": on.isoformat(),
        "planned_end": _iso(evaluation.planned_end),
        "obligations": [obligation_to_dict(o) for o in evaluation.obligations],
    }


def obligation_to_dict(obligation: Obligation) -> dict[str, Any]:
    """One obligation with the spec's keys, in the spec's order; absent values are null."""
    period = obligation.period
    return {
        "code": obligation.code,
        "subject": obligation.subject,
        "strength": obligation.strength,
        "period": period.isoformat() if isinstance(period, date) else period,
        "due": _iso(obligation.due),
        "status": obligation.status,
        "done_on": _iso(obligation.done_on),
        "count": obligation.count,
        "required": obligation.required,
        "source": obligation.source,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}
