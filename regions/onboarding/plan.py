"""The dry run: what each row of the files would create, change or be refused for.

`make_plan` reads the region's current state in a fixed number of queries,
then walks the rows in memory: units, people, the units' heads and study
directors (who may be in the people table), trainees. Every row gets a
`RowResult`; the `Plan` also holds the writes, which `regions.onboarding.apply`
performs only when no row is refused. A person is matched by HSA-id, then by
e-mail address; a unit by its code. Matching is what makes a re-run update
rather than duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Regulation, Specialty
from regions.models import Membership, Region, Role, Unit
from regions.onboarding import values as v
from regions.onboarding.columns import PEOPLE, TRAINEES, UNITS, Table
from regions.onboarding.reader import Sheet
from stprogram.models import User
from supervision.models import Assignment
from trainees.models import Trainee

UNIT_BOUND = {Role.SUPERVISOR, Role.STUDY_DIRECTOR, Role.HEAD_OF_UNIT}
CREATE, CHANGE, SAME, REFUSE = "create", "change", "same", "refuse"


@dataclass
class RowResult:
    table: Table
    source: str
    line: int
    label: str = ""
    created: bool = False
    changes: list[str] = field(default_factory=list)
    issues: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)

    @property
    def action(self) -> str:
        """create, change, same or refuse."""
        if self.issues:
            return REFUSE
        return CREATE if self.created else CHANGE if self.changes else SAME

    def refuse(self, column: str, message: str) -> None:
        self.issues.append((self.table.header(column), message))


@dataclass(eq=False)
class UnitPlan:
    unit: Unit
    new: bool = False
    changed: set[str] = field(default_factory=set)
    line: int = 0


@dataclass(eq=False)
class PersonPlan:
    email: str
    first_name: str = ""
    last_name: str = ""
    hsa_id: str = ""
    user: User | None = None
    in_region: bool = False
    changed: set[str] = field(default_factory=set)
    roles: set[tuple[str, int | None]] = field(default_factory=set)  # (role, id(UnitPlan))
    new_roles: list[tuple[str, UnitPlan | None]] = field(default_factory=list)
    line: int = 0

    @property
    def new(self) -> bool:
        return self.user is None

    def holds(self, role: str) -> bool:
        return any(r == role for r, _unit in self.roles)


@dataclass(eq=False)
class TraineePlan:
    person: PersonPlan
    fields: dict[str, Any]
    home: UnitPlan
    trainee: Trainee | None = None
    changed: set[str] = field(default_factory=set)
    # role -> (new person, current assignment to end or None)
    assign: dict[str, tuple[PersonPlan, Assignment | None]] = field(default_factory=dict)


@dataclass
class Plan:
    region: Region
    results: list[RowResult] = field(default_factory=list)
    units: list[UnitPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    trainees: list[TraineePlan] = field(default_factory=list)

    @property
    def refused(self) -> list[RowResult]:
        return [r for r in self.results if r.action == REFUSE]

    def counts(self) -> dict[str, int]:
        """How many rows will be created, changed, left as they are, refused."""
        counts = dict.fromkeys((CREATE, CHANGE, SAME, REFUSE), 0)
        for result in self.results:
            counts[result.action] += 1
        return counts


def make_plan(region: Region, sheets: list[Sheet]) -> Plan:
    """Check every row against the region as it is now; nothing is written."""
    state = _State(region, sheets)
    units = [s for s in sheets if s.table is UNITS]
    for sheet in units:
        for line, row in sheet.rows:
            state.unit_row(sheet, line, row)
    for sheet in (s for s in sheets if s.table is PEOPLE):
        for line, row in sheet.rows:
            state.person_row(sheet, line, row)
    for result, row in state.unit_refs:
        state.unit_people(result, row)
    for sheet in (s for s in sheets if s.table is TRAINEES):
        for line, row in sheet.rows:
            state.trainee_row(sheet, line, row)
    return state.plan


class _State:
    """The region as loaded, plus what the rows so far add to it."""

    def __init__(self, region: Region, sheets: list[Sheet]) -> None:
        self.region = region
        self.plan = Plan(region=region)
        self.unit_refs: list[tuple[RowResult, dict]] = []
        self.specialties = _specialties()
        self.units_by_code: dict[str, UnitPlan] = {}
        self.units_by_name: dict[str, UnitPlan] = {}
        self.units_by_pk: dict[int, UnitPlan] = {}
        for unit in Unit.unscoped.filter(region=region).select_related("specialty"):
            self._index_unit(UnitPlan(unit=unit))
        self.by_hsa: dict[str, PersonPlan] = {}
        self.by_email: dict[str, PersonPlan] = {}
        self.trainee_rows: dict[int, int] = {}  # id(PersonPlan) -> line
        self._load_people(sheets)

    # --- Loading ------------------------------------------------------------------------

    def _index_unit(self, plan: UnitPlan) -> None:
        if plan.unit.code:
            self.units_by_code[plan.unit.code.lower()] = plan
        self.units_by_name[plan.unit.name.lower()] = plan
        if plan.unit.pk:
            self.units_by_pk[plan.unit.pk] = plan

    def _load_people(self, sheets: list[Sheet]) -> None:
        hsas, emails = _identities(sheets)
        users = list(User.objects.filter(Q(hsa_id__in=hsas) | Q(email__in=emails)))
        self.db_hsa = {u.hsa_id: u for u in users if u.hsa_id}
        self.db_email = {u.email.lower(): u for u in users}
        self.claimed = dict(
            EmailAddress.objects.filter(email__in=emails, verified=True).values_list(
                "email", "user_id"
            )
        )
        ids = [u.pk for u in users]
        self.memberships: dict[int, set[tuple[str, int | None]]] = {}
        for user_id, role, unit_id in Membership.unscoped.filter(
            region=self.region, user_id__in=ids
        ).values_list("user_id", "role", "unit_id"):
            unit = self.units_by_pk.get(unit_id) if unit_id else None
            self.memberships.setdefault(user_id, set()).add((role, id(unit) if unit else None))
        self.trainees = {
            t.user_id: t for t in Trainee.unscoped.filter(region=self.region, user_id__in=ids)
        }
        self.assignments: dict[tuple[int, str], Assignment] = {
            (a.trainee_id, a.role): a
            for a in Assignment.unscoped.filter(
                trainee__in=list(self.trainees.values()), end_date__isnull=True
            )
        }

    def _existing(self, user: User) -> PersonPlan:
        found = self.by_email.get(user.email.lower())
        if found is not None:
            return found
        roles = self.memberships.get(user.pk, set())
        person = PersonPlan(
            email=user.email.lower(),
            first_name=user.first_name,
            last_name=user.last_name,
            hsa_id=user.hsa_id or "",
            user=user,
            in_region=bool(roles),
            roles=set(roles),
        )
        self._index_person(person)
        return person

    def _index_person(self, person: PersonPlan) -> None:
        self.by_email[person.email] = person
        if person.hsa_id:
            self.by_hsa[person.hsa_id] = person

    def _find(self, kind: str, key: str) -> PersonPlan | None:
        index, db = (self.by_hsa, self.db_hsa) if kind == "hsa" else (self.by_email, self.db_email)
        if key in index:
            return index[key]
        return self._existing(db[key]) if key in db else None

    # --- Units ----------------------------------------------------------------------------

    def unit_row(self, sheet: Sheet, line: int, row: dict) -> None:
        result = self._result(sheet, line)
        read = _reader(result, row)
        code = read("code", lambda x: v.text(v.required(x), max_length=40))
        name = read("name", lambda x: v.text(v.required(x), max_length=150))
        kind = read("kind", v.unit_kind)
        specialty = read("specialty", self._specialty)
        result.label = f"{name or '–'} ({code or '–'})"
        if result.issues:
            return
        plan = self._unit_for(result, code, name)
        if plan is None:
            return
        wanted = {"name": name, "kind": kind, "specialty": specialty, "code": code}
        _apply_fields(plan.unit, wanted, plan.changed, result)
        self.units_by_name[name.lower()] = plan
        self.units_by_code[code.lower()] = plan
        if plan.new or plan.changed:
            self.plan.units.append(plan)
        self.unit_refs.append((result, {"unit": plan, **row}))

    def _unit_for(self, result: RowResult, code: str, name: str) -> UnitPlan | None:
        by_code = self.units_by_code.get(code.lower())
        by_name = self.units_by_name.get(name.lower())
        if by_code is not None and by_code.line:
            result.refuse("code", _("enhetskoden finns redan på rad %(n)s") % {"n": by_code.line})
            return None
        if by_name is not None and by_name is not by_code and (by_name.unit.code or by_name.line):
            result.refuse("name", _("namnet används redan av en annan enhet i regionen"))
            return None
        plan = by_code or by_name
        if plan is None:
            plan = UnitPlan(unit=Unit(region=self.region), new=True)
            result.created = True
        plan.line = result.line
        return plan

    def unit_people(self, result: RowResult, row: dict) -> None:
        """The unit's head and study director: people in the file or in the region."""
        plan: UnitPlan = row["unit"]
        for key, role in (
            ("head_of_unit", Role.HEAD_OF_UNIT),
            ("study_director", Role.STUDY_DIRECTOR),
        ):
            if row.get(key) in (None, ""):
                continue
            person = self._reference(result, key, row[key])
            if person is not None:
                self._grant(person, role, plan, result)

    # --- People ---------------------------------------------------------------------------

    def person_row(self, sheet: Sheet, line: int, row: dict) -> None:
        result = self._result(sheet, line)
        person = self._person(result, row)
        roles = _reader(result, row)("roles", v.roles) or []
        unit = self._unit_ref(result, row.get("unit")) if row.get("unit") else None
        if any(r in UNIT_BOUND for r in roles) and unit is None and not result.issues:
            result.refuse("unit", _("rollen hör till en enhet: ange enhetskoden"))
        if result.issues or person is None:
            return
        for role in roles:
            self._grant(person, role, unit if role in UNIT_BOUND else None, result)

    def _person(self, result: RowResult, row: dict) -> PersonPlan | None:
        read = _reader(result, row)
        hsa = read("hsa_id", v.hsa_id) or ""
        email = read("email", v.email)
        first = read("first_name", lambda x: v.text(v.required(x), max_length=150))
        last = read("last_name", lambda x: v.text(v.required(x), max_length=150))
        result.label = f"{first or ''} {last or ''} ({email or hsa or '–'})".strip()
        if result.issues:
            return None
        person = self._identify(result, hsa, email)
        if person is None:
            return None
        if person.new and person.line and (person.first_name, person.last_name) != (first, last):
            result.refuse("first_name", _("namnet skiljer sig från rad %(n)s") % {"n": person.line})
            return None
        if person.new and not person.line:
            person.first_name, person.last_name, person.line = first, last, result.line
            result.created = True
            self.plan.people.append(person)
        elif not person.new:
            self._rename(person, first, last, result)
        return person

    def _identify(self, result: RowResult, hsa: str, email: str) -> PersonPlan | None:
        by_hsa = self._find("hsa", hsa) if hsa else None
        by_email = self._find("email", email)
        person = by_hsa or by_email
        refusal = _mismatch(by_hsa, by_email, email, hsa)
        if refusal is None and person is not None and not person.new and not person.in_region:
            # As for enrolment, an account of someone outside the region is never taken
            # over on an address alone; its HSA-id (issued by the directory) identifies it.
            refusal = None if by_hsa is not None else ("email", str(_OUTSIDE))
        if refusal is not None:
            result.refuse(*refusal)
            return None
        if person is None:
            return self._new_person(result, hsa, email)
        if hsa and not person.hsa_id:
            self._learn_hsa_id(person, hsa, result)
        return person

    def _learn_hsa_id(self, person: PersonPlan, hsa: str, result: RowResult) -> None:
        person.hsa_id = hsa
        self._index_person(person)
        if not person.new:
            person.changed.add("hsa_id")
            result.changes.append(_("HSA-id: %(h)s") % {"h": hsa})
            self._touch(person)

    def _touch(self, person: PersonPlan) -> None:
        """Have the person written: new, renamed, given an HSA-id or a role."""
        if person not in self.plan.people:
            self.plan.people.append(person)

    def _new_person(self, result: RowResult, hsa: str, email: str) -> PersonPlan | None:
        if email in self.claimed:
            result.refuse("email", _("e-postadressen är bekräftad av ett annat konto"))
            return None
        person = PersonPlan(email=email, hsa_id=hsa)
        self._index_person(person)
        return person

    def _rename(self, person: PersonPlan, first: str, last: str, result: RowResult) -> None:
        for name, value in (("first_name", first), ("last_name", last)):
            if getattr(person, name) != value:
                label = User._meta.get_field(name).verbose_name
                result.changes.append(f"{label}: {value}")
                setattr(person, name, value)
                person.changed.add(name)
                self._touch(person)

    def _grant(
        self, person: PersonPlan, role: str, unit: UnitPlan | None, result: RowResult
    ) -> None:
        key = (role, id(unit) if unit else None)
        if key in person.roles:
            return
        person.roles.add(key)
        person.new_roles.append((role, unit))
        person.in_region = True
        where = f" ({unit.unit.name})" if unit else ""
        result.changes.append(
            _("ny roll: %(role)s%(where)s") % {"role": Role(role).label, "where": where}
        )
        self._touch(person)

    def _reference(self, result: RowResult, column: str, value: Any) -> PersonPlan | None:
        try:
            kind, key = v.person_ref(value)
        except v.CellError as error:
            result.refuse(column, str(error))
            return None
        person = self._find(kind, key)
        if person is None or not (person.new or person.in_region):
            result.refuse(
                column,
                _("%(who)s finns varken i filens personal eller bland regionens personal")
                % {"who": key},
            )
            return None
        return person

    def _unit_ref(self, result: RowResult, value: Any) -> UnitPlan | None:
        code = str(value).strip().lower()
        unit = self.units_by_code.get(code) or self.units_by_name.get(code)
        if unit is None:
            column = "unit" if result.table is PEOPLE else "home_unit"
            result.refuse(
                column,
                _("enheten ”%(c)s” finns varken i filens enheter eller i regionen") % {"c": value},
            )
        return unit

    # --- Trainees -------------------------------------------------------------------------

    def trainee_row(self, sheet: Sheet, line: int, row: dict) -> None:
        result = self._result(sheet, line)
        person = self._person(result, row)
        fields = self._trainee_fields(result, row)
        home = self._unit_ref(result, row.get("home_unit")) if row.get("home_unit") else None
        people = {
            role: self._supervising(result, column, row.get(column), needs)
            for role, column, needs in (
                ("main_supervisor", "main_supervisor", Role.SUPERVISOR),
                ("study_director", "study_director", Role.STUDY_DIRECTOR),
            )
        }
        if person is not None and id(person) in self.trainee_rows:
            result.refuse(
                "email",
                _("ST-läkaren finns redan på rad %(n)s") % {"n": self.trainee_rows[id(person)]},
            )
        if result.issues or person is None or home is None:
            return
        self.trainee_rows[id(person)] = line
        self._grant_trainee(person, result)
        self._trainee(result, person, fields, home, people)

    def _trainee_fields(self, result: RowResult, row: dict) -> dict[str, Any]:
        read = _reader(result, row)
        fields = {
            "regulation": read("regulation", v.regulation),
            "specialty": read("specialty", self._specialty),
            "start_date": read("start_date", lambda x: v.day(v.required(x))),
            "bt_end": read("bt_end", v.day),
            "extent_percent": read("extent", lambda x: v.whole(x, default=100, low=1, high=100)),
            "credited_months": read("credited", lambda x: v.whole(x, default=0, low=0, high=66)),
            "track": read("track", v.track),
        }
        bt_end, start = fields["bt_end"], fields["start_date"]
        if bt_end and fields["regulation"] == Regulation.SOSFS_2015_8:
            result.refuse("bt_end", _("BT finns bara i HSLF-FS 2021:8"))
        elif bt_end and start and bt_end <= start:
            result.refuse("bt_end", _("BT måste sluta efter startdatum"))
        return fields

    def _supervising(
        self, result: RowResult, column: str, value: Any, role: str
    ) -> PersonPlan | None:
        if value in (None, ""):
            result.refuse(column, _("saknas"))
            return None
        person = self._reference(result, column, value)
        if person is not None and not person.holds(role):
            result.refuse(
                column,
                _("%(who)s har inte rollen %(role)s i regionen")
                % {"who": person.email, "role": Role(role).label.lower()},
            )
            return None
        return person

    def _grant_trainee(self, person: PersonPlan, result: RowResult) -> None:
        if (Role.TRAINEE, None) not in person.roles:
            person.roles.add((Role.TRAINEE, None))
            person.new_roles.append((Role.TRAINEE, None))
            self._touch(person)

    def _trainee(
        self, result: RowResult, person: PersonPlan, fields: dict, home: UnitPlan, people: dict
    ) -> None:
        existing = self.trainees.get(person.user.pk) if person.user else None
        plan = TraineePlan(person=person, fields=fields, home=home, trainee=existing)
        if existing is None:
            result.created = True
        else:
            wanted = {**fields, "home_unit": home.unit}
            _apply_fields(existing, wanted, plan.changed, result)
        for role, holder in people.items():
            current = self.assignments.get((existing.pk, role)) if existing else None
            if current is None or current.user_id != (holder.user.pk if holder.user else None):
                plan.assign[role] = (holder, current)
                if existing is not None:
                    result.changes.append(
                        _("%(role)s: %(who)s")
                        % {"role": Assignment.Role(role).label, "who": holder.email}
                    )
        if existing is None or plan.changed or plan.assign:
            self.plan.trainees.append(plan)

    # --- Helpers --------------------------------------------------------------------------

    def _result(self, sheet: Sheet, line: int) -> RowResult:
        result = RowResult(table=sheet.table, source=sheet.source, line=line)
        self.plan.results.append(result)
        return result

    def _specialty(self, value: Any) -> Specialty:
        raw = v.text(v.required(value), max_length=100).lower()
        if raw not in self.specialties:
            raise v.CellError(_("okänd specialitet ”%(v)s”") % {"v": value})
        return self.specialties[raw]


_OUTSIDE = gettext_lazy(
    "ett konto med e-postadressen finns redan utanför regionen; det kopplas "
    "inte till regionen genom inläsning (ange kontots HSA-id eller kontakta "
    "systemförvaltningen)"
)


def _mismatch(
    by_hsa: PersonPlan | None, by_email: PersonPlan | None, email: str, hsa: str
) -> tuple[str, str] | None:
    """Why the row's HSA-id and address cannot both be this person, or None."""
    if by_hsa is not None and by_email is not None and by_hsa is not by_email:
        return "hsa_id", _("HSA-id:t och e-postadressen hör till två olika personer")
    if by_hsa is not None and by_hsa.email != email:
        return "email", _(
            "HSA-id:t hör till kontot med e-postadressen %(e)s; en e-postadress ändras "
            "inte genom inläsning"
        ) % {"e": by_hsa.email}
    person = by_hsa or by_email
    if person is not None and hsa and person.hsa_id and person.hsa_id != hsa:
        return "hsa_id", _("kontot har ett annat HSA-id (%(h)s)") % {"h": person.hsa_id}
    return None


def _reader(result: RowResult, row: dict) -> Any:
    """Read one column of the row with a parser; a refusal is noted on the row, None returned."""

    def read(column: str, parse: Any) -> Any:
        try:
            return parse(row.get(column))
        except v.CellError as error:
            result.refuse(column, str(error))
            return None

    return read


def _apply_fields(obj: Any, wanted: dict, changed: set[str], result: RowResult) -> None:
    """Set the fields that differ, noting each on the row (a new object's are not changes)."""
    for name, value in wanted.items():
        field_ = obj._meta.get_field(name)
        # Keys compared by id: reading the related row would cost a query per row.
        current = getattr(obj, field_.attname)
        same = current == (value.pk if field_.is_relation else value)
        if same and obj.pk:
            continue
        setattr(obj, name, value)
        if obj.pk:
            changed.add(name)
            result.changes.append(f"{field_.verbose_name}: {_shown(value)}")


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "–" if value in (None, "") else str(value)


def _specialties() -> dict[str, Specialty]:
    found: dict[str, Specialty] = {}
    for specialty in Specialty.objects.all():
        found[specialty.name.lower()] = specialty
        found[specialty.slug.lower()] = specialty
    return found


def _identities(sheets: list[Sheet]) -> tuple[set[str], set[str]]:
    """Every HSA-id and e-mail address the files name, for one query of existing accounts."""
    hsas, emails = set(), set()
    keys = ("hsa_id", "email", "head_of_unit", "study_director", "main_supervisor")
    for sheet in sheets:
        for _line, row in sheet.rows:
            for key in keys:
                raw = str(row.get(key) or "").strip()
                if raw[:2].upper() == "SE" and "@" not in raw:
                    hsas.add("SE" + raw[2:])
                elif raw:
                    emails.add(raw.lower())
    return hsas, emails
