"""Region rule profiles: loading and validating ``profiles/<slug>.toml``.

A profile is data: which obligation codes a region has, with what strength
and numbers, each citing the seed document and section it comes from. See
docs/rules.md for the file format.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from datetime import datetime as datetime_type
from pathlib import Path
from typing import Any

from regions.rules.codes import CODES

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"

REGIONS: tuple[str, ...] = ("blekinge", "norrbotten", "ostergotland", "jonkoping", "halland")

SUBJECTS: tuple[str, ...] = ("trainee", "unit", "supervisor")
STRENGTHS: tuple[str, ...] = ("must", "should")

# Codes beyond the spec's table (docs/rules.md, "Codes beyond the spec"): a
# region's source asks for them and the spec has no code yet.
EXTENSION_CODES: frozenset[str] = frozenset({"supervisor_followup"})

# Number parameters: name -> (minimum, maximum).
_LIMITS: dict[str, tuple[int, int]] = {
    "months": (1, 120),
    "interval_months": (1, 240),
    "first_review_months": (1, 240),
    "quota": (1, 366),
    "min_rotation_months": (0, 60),
    "days_after": (0, 366),
    "months_before": (0, 24),
    "days_before": (0, 366),
}

# Per kind (or per code for the rotation codes): (required, optional) numbers.
_PARAMS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "deadline": (frozenset(), frozenset({"months"})),
    "interval": (frozenset({"interval_months"}), frozenset()),
    "quota": (frozenset({"quota"}), frozenset()),
    "interval_or_quota": (frozenset(), frozenset({"interval_months", "quota"})),
    "rotation_supervisor": (frozenset(), frozenset({"min_rotation_months"})),
    "rotation_feedback": (frozenset(), frozenset({"days_after"})),
    "rotation_contact": (frozenset({"months_before"}), frozenset({"days_before"})),
    "unit_interval": (frozenset({"interval_months"}), frozenset({"first_review_months"})),
}
_TEXT_KEYS = frozenset(
    {"code", "strength", "source", "text_sv", "text_en", "owner", "also_met_by"}
    | {"anchor", "all_rotations"}
)
# A deadline's anchor: the programme start, or the ST start after BT (Jönköping's
# ST plan "inom 6 månader efter start ST"; without BT the two are the same day).
ANCHORS: tuple[str, ...] = ("start", "st_start")
_TOP_KEYS = frozenset(
    {"slug", "name", "source_document", "document", "sections"}
    | {"reminders", "rules", "rates", "info", "parties", "action_plan"}
    | {"supervisor_qualification", "study_director_qualification"}
    | {"head_of_unit_as_supervisor"}
)
# The people who sign documents and own duties (trainees.parties names them in Swedish).
PARTIES: tuple[str, ...] = ("trainee", "head_of_unit", "main_supervisor", "study_director")
# Besides the trainee and main supervisor (who always hear), who a rule's `owner` may name.
OWNERS: tuple[str, ...] = ("head_of_unit", "study_director")
# Documents whose signing parties a profile gives; iup_revision defaults to iup.
DOCUMENTS: tuple[str, ...] = ("contract", "iup", "iup_revision")
# Event types a region's source may let fulfil a code besides the spec's own (`also_met_by`).
ALSO_MET_BY: dict[str, frozenset[str]] = {
    "iup_revision": frozenset({"iup_followup"}),
    "supervisor_training": frozenset({"supervisor_training_supplementary"}),
}
_POLICY_KEYS = frozenset({"strength", "source"})
_QUALIFICATION_KEYS = frozenset(
    {"specialty", "supervisor_training", "study_director_course", "basic_course_from", "source"}
    | {"specialist_in_bt"}
)
_DOCUMENT_KEYS = frozenset({"title", "owner", "date", "version"})
_RATE_KEYS = frozenset(
    {"code", "strength", "hours", "hours_max", "per", "phase", "source", "text_sv", "text_en"}
)
_INFO_KEYS = frozenset({"key", "strength", "source", "text_sv", "text_en", "rows"})
_REMINDER_DEFAULTS: dict[str, Any] = {
    "days_before": [30, 7],
    "on_day": True,
    "days_after": [7],
    "escalate_after_days": 30,
}
_SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
_SOURCE = re.compile(r"^(\d{3}_[0-9a-f]{16}\.txt) (\S.*)$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

RATE_CODES: tuple[str, ...] = ("supervision_hours",)
RATE_PERIODS: tuple[str, ...] = ("week", "month")
RATE_PHASES: tuple[str, ...] = ("all", "BT", "ST")


class ProfileError(ValueError):
    """A rule profile is malformed; the message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One obligation rule of a region, with its numbers and source."""

    code: str
    subject: str
    kind: str
    strength: str
    source: str
    text_sv: str
    text_en: str
    months: int | None = None
    interval_months: int | None = None
    first_review_months: int | None = None
    quota: int | None = None
    min_rotation_months: int = 0
    days_after: int = 30
    months_before: int = 0
    days_before: int = 0
    # Who the source makes responsible beyond the trainee and main supervisor
    # (the head of unit for the yearly development talk): they are reminded too.
    owner: str | None = None
    also_met_by: tuple[str, ...] = ()
    anchor: str = "start"
    # rotation_contact: every rotation, not only external ones (Halland: "i annan verksamhet").
    all_rotations: bool = False


@dataclass(frozen=True, slots=True)
class PartySet:
    """Who signs a document: every group needs one signature from one of its parties."""

    groups: tuple[tuple[str, ...], ...]
    source: str


@dataclass(frozen=True, slots=True)
class Policy:
    """A regional rule that is no obligation (a plan required, a conflict to avoid)."""

    strength: str
    source: str


@dataclass(frozen=True, slots=True)
class QualificationRule:
    """What a role's holder must have: specialist competence (in which specialty) and courses.

    ``specialty`` is "same" (the trainee's or unit's specialty), "any", or a
    specialty's name; ``basic_course_from`` is the earliest basic supervisor
    course that counts.
    """

    specialty: str
    supervisor_training: bool
    study_director_course: bool
    basic_course_from: date | None
    source: str
    # Jönköping: the main supervisor during BT "är specialist eller i slutet av ST".
    specialist_in_bt: bool = True


@dataclass(frozen=True, slots=True)
class RateRule:
    """An hour-rate requirement (e.g. supervision hours per week)."""

    code: str
    strength: str
    hours: float
    hours_max: float | None
    per: str
    phase: str
    source: str
    text_sv: str
    text_en: str


@dataclass(frozen=True, slots=True)
class Reminders:
    """Reminder lead times in days, relative to an obligation's due date."""

    days_before: tuple[int, ...]
    on_day: bool
    days_after: tuple[int, ...]
    escalate_after_days: int


@dataclass(frozen=True, slots=True)
class InfoSection:
    """A non-obligation fact (metrics, time allotments) with its source."""

    key: str
    strength: str | None
    source: str
    text_sv: str
    text_en: str
    # Left out of the hash (dicts are unhashable) so a Profile stays hashable.
    rows: tuple[dict[str, str | int | float | bool], ...] = field(hash=False)


@dataclass(frozen=True, slots=True)
class Document:
    """The regional guideline a profile cites: what a reader would look it up by."""

    file: str
    title: str
    owner: str
    date: str
    version: str
    # Section reference as the sources write it -> the section's heading.
    sections: tuple[tuple[str, str], ...] = ()

    def section_name(self, ref: str) -> str:
        """ "§2.6" -> "2.6 Kvalitetsgranskning"; a named section is its own name."""
        heading = dict(self.sections).get(ref)
        number = ref.removeprefix("§")
        return f"{number} {heading}" if heading else number


@dataclass(frozen=True, slots=True)
class Profile:
    """A region's validated rule profile."""

    slug: str
    name: str
    source_document: str
    document: Document
    rules: tuple[Rule, ...]
    rates: tuple[RateRule, ...]
    reminders: Reminders
    info: tuple[InfoSection, ...]
    contract_parties: PartySet | None = None
    iup_parties: PartySet | None = None
    iup_revision_parties: PartySet | None = None
    action_plan: Policy | None = None
    head_of_unit_as_supervisor: Policy | None = None
    supervisor_qualification: QualificationRule | None = None
    study_director_qualification: QualificationRule | None = None

    def rule(self, code: str) -> Rule | None:
        """Return the rule for ``code``, or None if the region has none."""
        return next((r for r in self.rules if r.code == code), None)


@functools.cache
def load_profile(slug: str) -> Profile:
    """Load and validate the bundled profile of region ``slug`` (cached)."""
    if slug not in REGIONS:
        raise ProfileError(f"okänd region {slug!r} (giltiga: {', '.join(REGIONS)})")
    return load_profile_file(PROFILE_DIR / f"{slug}.toml")


def all_profiles() -> dict[str, Profile]:
    """Return every bundled profile keyed by slug, in the regions' order."""
    return {slug: load_profile(slug) for slug in REGIONS}


def load_profile_file(path: Path) -> Profile:
    """Load and validate one profile file; the slug must match the file name."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ProfileError(f"{path.name}: kan inte läsas ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path.name}: ogiltig TOML ({exc})") from exc
    return parse_profile(data, path.name)


def parse_profile(data: dict[str, Any], origin: str) -> Profile:
    """Validate a decoded profile; ``origin`` (the file name) prefixes errors."""
    _check_keys(data, _TOP_KEYS, origin)
    slug = _text(data, "slug", origin)
    if origin.endswith(".toml") and Path(origin).stem != slug:
        raise ProfileError(f"{origin}: slug {slug!r} stämmer inte med filnamnet")
    document = _text(data, "source_document", origin)
    if not _SEED_FILE.match(document):
        raise ProfileError(f"{origin}: source_document {document!r} är inget källdokument")
    rules = _parse_rules(data.get("rules", []), origin, document)
    # Stable sort: the engine's output order is subject first, then file order.
    rules = tuple(sorted(rules, key=lambda rule: SUBJECTS.index(rule.subject)))
    parties = _parse_parties(data.get("parties"), origin, document)
    return Profile(
        slug=slug,
        name=_text(data, "name", origin),
        source_document=document,
        document=_parse_document(data, origin, document),
        rules=rules,
        rates=_parse_rates(data.get("rates", []), origin, document),
        reminders=_parse_reminders(data.get("reminders", {}), origin),
        info=_parse_info(data.get("info", []), origin, document),
        contract_parties=parties["contract"],
        iup_parties=parties["iup"],
        iup_revision_parties=parties["iup_revision"],
        action_plan=_parse_policy(data, "action_plan", origin, document),
        head_of_unit_as_supervisor=_parse_policy(
            data, "head_of_unit_as_supervisor", origin, document
        ),
        supervisor_qualification=_parse_qualification(
            data, "supervisor_qualification", origin, document
        ),
        study_director_qualification=_parse_qualification(
            data, "study_director_qualification", origin, document
        ),
    )


def _parse_parties(raw: object, origin: str, document: str) -> dict[str, PartySet | None]:
    """[parties.contract] and [parties.iup] are required; [parties.iup_revision] defaults to iup."""
    where = f"{origin}: [parties]"
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: saknas (contract och iup)")
    _check_keys(raw, frozenset(DOCUMENTS), where)
    result: dict[str, PartySet | None] = {}
    for name in DOCUMENTS:
        item = raw.get(name)
        if item is None and name != "iup_revision":
            raise ProfileError(f"{where}: {name} saknas")
        result[name] = None if item is None else _party_set(item, f"{where}.{name}", document)
    result["iup_revision"] = result["iup_revision"] or result["iup"]
    return result


def _party_set(item: object, where: str, document: str) -> PartySet:
    if not isinstance(item, dict):
        raise ProfileError(f"{where}: måste vara en tabell (groups, source)")
    _check_keys(item, frozenset({"groups", "source"}), where)
    groups = item.get("groups")
    valid = (
        isinstance(groups, list)
        and groups
        and all(isinstance(g, list) and g and all(x in PARTIES for x in g) for g in groups)
    )
    if not valid:
        raise ProfileError(f"{where}: groups ska vara listor av {', '.join(PARTIES)}")
    names = [x for g in groups for x in g]
    if len(set(names)) != len(names):
        raise ProfileError(f"{where}: en part står i flera grupper")
    return PartySet(tuple(tuple(g) for g in groups), _source(item, where, document))


def _parse_policy(data: dict[str, Any], key: str, origin: str, document: str) -> Policy | None:
    raw = data.get(key)
    if raw is None:
        return None
    where = f"{origin}: [{key}]"
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: måste vara en tabell (strength, source)")
    _check_keys(raw, _POLICY_KEYS, where)
    return Policy(strength=_strength(raw, where), source=_source(raw, where, document))


def _parse_qualification(
    data: dict[str, Any], key: str, origin: str, document: str
) -> QualificationRule | None:
    raw = data.get(key)
    if raw is None:
        return None
    where = f"{origin}: [{key}]"
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: måste vara en tabell")
    _check_keys(raw, _QUALIFICATION_KEYS, where)
    flags = {
        name: raw.get(name, False) for name in ("supervisor_training", "study_director_course")
    }
    flags["specialist_in_bt"] = raw.get("specialist_in_bt", True)
    if not all(isinstance(value, bool) for value in flags.values()):
        raise ProfileError(
            f"{where}: supervisor_training, study_director_course och specialist_in_bt"
            " är true/false"
        )
    since = raw.get("basic_course_from")
    if since is not None and (not isinstance(since, date) or isinstance(since, datetime_type)):
        raise ProfileError(f"{where}: basic_course_from ska vara ett datum (ÅÅÅÅ-MM-DD)")
    return QualificationRule(
        specialty=_text(raw, "specialty", where),
        basic_course_from=since,
        source=_source(raw, where, document),
        **flags,
    )


def _parse_document(data: dict[str, Any], origin: str, file: str) -> Document:
    raw = data.get("document")
    where = f"{origin}: [document]"
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: saknas (title, owner och date eller version)")
    _check_keys(raw, _DOCUMENT_KEYS, where)
    if not ({"date", "version"} & set(raw)):
        raise ProfileError(f"{where}: ange date eller version")
    sections = data.get("sections", {})
    if not isinstance(sections, dict) or not all(
        isinstance(v, str) and v.strip() for v in sections.values()
    ):
        raise ProfileError(f'{origin}: [sections] ska vara avsnitt = "rubrik"')
    return Document(
        file=file,
        title=_text(raw, "title", where),
        owner=_text(raw, "owner", where),
        date=_text(raw, "date", where) if "date" in raw else "",
        version=_text(raw, "version", where) if "version" in raw else "",
        sections=tuple(sections.items()),
    )


def _parse_rules(raw: object, origin: str, document: str) -> tuple[Rule, ...]:
    if not isinstance(raw, list):
        raise ProfileError(f"{origin}: rules måste vara en lista av tabeller ([[rules]])")
    rules: list[Rule] = []
    for index, item in enumerate(raw, start=1):
        where = f"{origin}: regel {index}"
        if not isinstance(item, dict):
            raise ProfileError(f"{where}: måste vara en tabell")
        code = item.get("code")
        if code not in CODES:
            raise ProfileError(f"{where}: okänd kod {code!r}")
        where = f"{where} ({code})"
        if code in RATE_CODES:
            raise ProfileError(f"{where}: anges som timregel ([[rates]]), inte som regel")
        if any(r.code == code for r in rules):
            raise ProfileError(f"{where}: koden finns redan i profilen")
        rules.append(_parse_rule(item, code, where, document))
    return tuple(rules)


def _parse_rule(item: dict[str, Any], code: str, where: str, document: str) -> Rule:
    subject, kind = CODES[code].subject, CODES[code].kind
    group = code if kind == "rotation" else kind
    if subject == "unit":
        group = "unit_interval"
    required, optional = _PARAMS[group]
    _check_keys(item, _TEXT_KEYS | required | optional, where)
    numbers = {name: _int(item, name, where) for name in required}
    numbers |= {name: _int(item, name, where) for name in optional if name in item}
    if kind == "interval_or_quota":
        if len(numbers) != 1:
            raise ProfileError(f"{where}: ange exakt en av interval_months och quota")
        kind = "interval" if "interval_months" in numbers else "quota"
    if group == "unit_interval":
        numbers.setdefault("first_review_months", numbers["interval_months"])
    owner = item.get("owner")
    if owner is not None and (owner not in OWNERS or subject != "trainee"):
        raise ProfileError(f"{where}: owner {owner!r} ska vara en av {', '.join(OWNERS)}")
    return Rule(
        code=code,
        subject=subject,
        kind=kind,
        strength=_strength(item, where),
        source=_source(item, where, document),
        text_sv=_text(item, "text_sv", where),
        text_en=_text(item, "text_en", where),
        owner=owner,
        also_met_by=_also_met_by(item, code, where),
        anchor=_anchor(item, kind, where),
        all_rotations=_all_rotations(item, code, where),
        **numbers,
    )


def _anchor(item: dict[str, Any], kind: str, where: str) -> str:
    anchor = item.get("anchor", "start")
    if anchor not in ANCHORS or (anchor != "start" and kind != "deadline"):
        raise ProfileError(f"{where}: anchor {anchor!r} ska vara start eller st_start (deadline)")
    return anchor


def _all_rotations(item: dict[str, Any], code: str, where: str) -> bool:
    value = item.get("all_rotations", False)
    if not isinstance(value, bool) or (value and code != "rotation_contact"):
        raise ProfileError(f"{where}: all_rotations är true/false och bara för rotation_contact")
    return value


def _also_met_by(item: dict[str, Any], code: str, where: str) -> tuple[str, ...]:
    raw = item.get("also_met_by", [])
    allowed = ALSO_MET_BY.get(code, frozenset())
    if not isinstance(raw, list) or not set(raw) <= allowed or len(set(raw)) != len(raw):
        names = ", ".join(sorted(allowed)) or "inga"
        raise ProfileError(f"{where}: also_met_by ska vara en lista av händelsetyper ({names})")
    return tuple(raw)


def _parse_rates(raw: object, origin: str, document: str) -> tuple[RateRule, ...]:
    if not isinstance(raw, list):
        raise ProfileError(f"{origin}: rates måste vara en lista av tabeller ([[rates]])")
    rates: list[RateRule] = []
    for index, item in enumerate(raw, start=1):
        where = f"{origin}: timregel {index}"
        if not isinstance(item, dict):
            raise ProfileError(f"{where}: måste vara en tabell")
        _check_keys(item, _RATE_KEYS, where)
        rate = _parse_rate(item, where, document)
        if any((r.code, r.phase) == (rate.code, rate.phase) for r in rates):
            raise ProfileError(f"{where}: {rate.code} för fas {rate.phase} finns redan")
        rates.append(rate)
    return tuple(rates)


def _parse_rate(item: dict[str, Any], where: str, document: str) -> RateRule:
    code = _choice(item, "code", RATE_CODES, where)
    hours = _hours(item, "hours", where)
    hours_max = _hours(item, "hours_max", where) if "hours_max" in item else None
    if hours_max is not None and hours_max < hours:
        raise ProfileError(f"{where} ({code}): hours_max får inte vara mindre än hours")
    return RateRule(
        code=code,
        strength=_strength(item, where),
        hours=hours,
        hours_max=hours_max,
        per=_choice(item, "per", RATE_PERIODS, where),
        phase=_choice(item, "phase", RATE_PHASES, where) if "phase" in item else "all",
        source=_source(item, where, document),
        text_sv=_text(item, "text_sv", where),
        text_en=_text(item, "text_en", where),
    )


def _parse_reminders(raw: object, origin: str) -> Reminders:
    where = f"{origin}: [reminders]"
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: måste vara en tabell")
    _check_keys(raw, frozenset(_REMINDER_DEFAULTS), where)
    values = _REMINDER_DEFAULTS | raw
    on_day = values["on_day"]
    if not isinstance(on_day, bool):
        raise ProfileError(f"{where}: on_day måste vara true eller false")
    escalate = values["escalate_after_days"]
    if not _is_int(escalate) or not 1 <= escalate <= 366:
        raise ProfileError(f"{where}: escalate_after_days måste vara ett heltal 1-366")
    return Reminders(
        days_before=_day_list(values["days_before"], "days_before", where),
        on_day=on_day,
        days_after=_day_list(values["days_after"], "days_after", where),
        escalate_after_days=escalate,
    )


def _parse_info(raw: object, origin: str, document: str) -> tuple[InfoSection, ...]:
    if not isinstance(raw, list):
        raise ProfileError(f"{origin}: info måste vara en lista av tabeller ([[info]])")
    sections: list[InfoSection] = []
    for index, item in enumerate(raw, start=1):
        where = f"{origin}: info {index}"
        if not isinstance(item, dict):
            raise ProfileError(f"{where}: måste vara en tabell")
        _check_keys(item, _INFO_KEYS, where)
        key = _text(item, "key", where)
        if not _KEY.match(key) or any(s.key == key for s in sections):
            raise ProfileError(f"{where}: key {key!r} är ogiltig eller upprepad")
        sections.append(
            InfoSection(
                key=key,
                strength=_strength(item, where) if "strength" in item else None,
                source=_source(item, where, document),
                text_sv=_text(item, "text_sv", where),
                text_en=_text(item, "text_en", where),
                rows=_rows(item.get("rows", []), where),
            )
        )
    return tuple(sections)


def _rows(raw: object, where: str) -> tuple[dict[str, str | int | float | bool], ...]:
    scalar = (str, int, float, bool)
    if not isinstance(raw, list) or not all(
        isinstance(row, dict) and all(isinstance(v, scalar) for v in row.values()) for row in raw
    ):
        raise ProfileError(f"{where}: rows måste vara en lista av tabeller med enkla värden")
    return tuple(dict(row) for row in raw)


def _check_keys(item: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise ProfileError(f"{where}: okänd nyckel {unknown[0]!r}")


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(f"{where}: {key} saknas eller är inte en text")
    return value


def _source(item: dict[str, Any], where: str, document: str) -> str:
    source = item.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ProfileError(f"{where}: source saknas")
    match = _SOURCE.match(source)
    if match is None:
        raise ProfileError(f"{where}: source {source!r} ska vara 'FIL.txt avsnitt'")
    if match.group(1) != document:
        raise ProfileError(f"{where}: source {source!r} hör inte till {document}")
    return source


def _strength(item: dict[str, Any], where: str) -> str:
    value = item.get("strength")
    if value not in STRENGTHS:
        raise ProfileError(f"{where}: strength {value!r} ska vara 'must' eller 'should'")
    return value


def _choice(item: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = item.get(key)
    if value not in allowed:
        raise ProfileError(f"{where}: {key} {value!r} ska vara en av {', '.join(allowed)}")
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int(item: dict[str, Any], name: str, where: str) -> int:
    if name not in item:
        raise ProfileError(f"{where}: {name} saknas")
    value = item[name]
    low, high = _LIMITS[name]
    if not _is_int(value) or not low <= value <= high:
        raise ProfileError(f"{where}: {name} = {value!r} ska vara ett heltal {low}-{high}")
    return value


def _hours(item: dict[str, Any], name: str, where: str) -> float:
    value = item.get(name)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number or not 0 < value <= 40:
        raise ProfileError(f"{where}: {name} = {value!r} ska vara ett tal över 0 och högst 40")
    return float(value)


def _day_list(value: object, name: str, where: str) -> tuple[int, ...]:
    valid = isinstance(value, list) and all(_is_int(v) and 1 <= v <= 366 for v in value)
    if not valid or len(set(value)) != len(value):
        raise ProfileError(f"{where}: {name} måste vara en lista av olika heltal 1-366")
    return tuple(sorted(value, reverse=True))


def regional_rule_sources(profile: Profile) -> list[str]:
    """Sources of a profile's non-obligation rules: parties, plans, conflicts, qualifications."""
    items = (
        profile.contract_parties,
        profile.iup_parties,
        profile.iup_revision_parties,
        profile.action_plan,
        profile.head_of_unit_as_supervisor,
        profile.supervisor_qualification,
        profile.study_director_qualification,
    )
    return [item.source for item in items if item is not None]


def profile_for_document(file: str) -> Profile | None:
    """The bundled profile whose guideline is the seed file ``file``, if any."""
    return next((p for p in all_profiles().values() if p.source_document == file), None)
