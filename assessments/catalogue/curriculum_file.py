"""Reading a målbeskrivning file (CSV, see docs/curriculum.md) without touching the database.

Every problem is collected with its line number before anything is written, so a
user fixes a file in one round instead of one error at a time.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.catalogue.models import Goal, Regulation

COLUMNS = (
    "regulation",
    "specialty_slug",
    "specialty_name",
    "code",
    "title",
    "requirement_text",
    "placeholder",
)
# Optional: one activity per line, "kind|certificate|text" (certificate empty for advice).
OPTIONAL_COLUMNS = ("activities",)
ACTIVITY_KIND_CODES = (
    "clinical_service",
    "course",
    "auskultation",
    "quality_work",
    "scientific_work",
    "seminar",
    "medsittning",
    "theoretical_studies",
    "reflection",
    "supervising",
    "teaching",
    "other",
)
# Who issues the certificate the "Uppföljning" column asks for.
CERTIFICATE_KIND_CODES = ("supervisor", "course_leader_or_supervisor")
LIMITS = {
    "specialty_slug": 100,
    "specialty_name": 100,
    "code": 10,
    "title": 200,
    "requirement_text": 4000,
    "activities": 4000,
}
SOURCE_LIMIT = 500
DIRECTIVES = ("has_b_goals", "source")
BOOLEANS = {"true": True, "false": False}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DIRECTIVE = re.compile(r"#\s*([a-z_]+)\s*:(.*)")
# Goals numbered beyond two digits exist in no målbeskrivning; such a code is a typo.
SPECIALTY_CODE = {
    Regulation.SOSFS_2015_8: re.compile(r"c([1-9][0-9]?)"),
    Regulation.HSLF_FS_2021_8: re.compile(r"STc([1-9][0-9]?)"),
}
SPECIALTY_CODE_EXAMPLE = {
    Regulation.SOSFS_2015_8: "c1, c2 …",
    Regulation.HSLF_FS_2021_8: "STc1, STc2 …",
}
# BT comes first because it is the first part of a 2021 training.
GROUP_RANK = {Goal.Group.BT: 0, Goal.Group.A: 1, Goal.Group.B: 2, Goal.Group.C: 3}


def _series(prefix: str, group: str, count: int) -> dict[str, tuple[str, int]]:
    return {f"{prefix}{n}": (group, n) for n in range(1, count + 1)}


COMMON_CODES: dict[str, dict[str, tuple[str, int]]] = {
    Regulation.SOSFS_2015_8: {**_series("a", "a", 6), **_series("b", "b", 5)},
    Regulation.HSLF_FS_2021_8: {
        **_series("STa", "a", 7),
        **_series("STb", "b", 4),
        **_series("BT", "bt", 18),
    },
}


class CurriculumError(Exception):
    """A målbeskrivning file was rejected; ``messages`` lists every problem found."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class GoalRow:
    line: int
    regulation: str
    code: str
    group: str
    sort_order: int
    title: str
    requirement_text: str
    is_placeholder: bool
    # Each {"kind", "text", "certificate"}; certificate is empty for advice (allmänna råd).
    activities: tuple[dict[str, str], ...] = ()

    @property
    def certificate_kinds(self) -> list[str]:
        """Each required certificate kind once, in the order the activities name them."""
        kinds = [activity["certificate"] for activity in self.activities]
        return list(dict.fromkeys(kind for kind in kinds if kind))


@dataclass(frozen=True)
class CurriculumFile:
    """The parsed content of one file: the common goals (no slug) or one specialty's."""

    specialty_slug: str
    specialty_name: str
    first_line: int
    has_b_goals: bool
    source_note: str
    rows: tuple[GoalRow, ...]

    @property
    def regulations(self) -> list[str]:
        return sorted({row.regulation for row in self.rows})


def classify(regulation: str, code: str) -> tuple[str, int] | None:
    """(group, number) of a goal code under a regulation, or None if no such code exists."""
    common = COMMON_CODES[regulation].get(code)
    if common:
        return common
    match = SPECIALTY_CODE[regulation].fullmatch(code)
    return (Goal.Group.C, int(match[1])) if match else None


def shown(value: str) -> str:
    """A value quoted in an error message, cut short so a runaway cell stays readable."""
    return value if len(value) <= 40 else value[:40] + "…"


def parse_curriculum(data: bytes) -> CurriculumFile:
    """Parse and validate a whole file; raise CurriculumError listing every problem."""
    lines = io.StringIO(_decode(data), newline="").readlines()
    parser = _Parser()
    offset = parser.read_directives(lines)
    records = parser.read_records(lines[offset:], offset)
    if not records:
        raise CurriculumError(parser.errors or [_empty_message(offset + 1)])
    header_line, header = records[0]
    if not parser.check_header(header_line, header):
        raise CurriculumError(parser.errors)
    for line, record in records[1:]:
        parser.read_row(line, header, record)
    return parser.result(header_line)


def _decode(data: bytes) -> str:
    # utf-8-sig: Excel's "CSV UTF-8" starts the file with a byte order mark.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = _("rad %(line)d: filen är inte UTF-8-kodad (spara den som ”CSV UTF-8”)")
        raise CurriculumError([message % {"line": line}]) from None


def _empty_message(line: int) -> str:
    message = _("rad %(line)d: filen är tom; den ska börja med rubrikraden %(header)s")
    return message % {"line": line, "header": ",".join(COLUMNS)}


def _bad_character(value: str, *, multiline: bool = False) -> str | None:
    """The first control or invisible formatting character, as U+XXXX."""
    for char in value:
        if char == "\n" and multiline:
            continue
        if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp", "Co", "Cs"}:
            return f"U+{ord(char):04X}"
    return None


def _scope_problem(code: str, group: str, cells: dict[str, str]) -> str | None:
    """c-goals belong to a specialty; common goals stand alone and have titles."""
    if group == Goal.Group.C:
        if cells["specialty_slug"]:
            return None
        message = _(
            "kolumnen specialty_slug: värde saknas (%(code)s är ett c-delmål och "
            "hör till en specialitet)"
        )
        return message % {"code": code}
    if cells["specialty_slug"]:
        message = _(
            "kolumnen code: %(code)s är ett gemensamt delmål och får inte stå i en specialitetsfil"
        )
        return message % {"code": code}
    if not cells["title"]:
        return _("kolumnen title: värde saknas (gemensamma delmål har rubriker)")
    return None


@dataclass
class _Scope:
    """Which specialty the file is about, as decided by its first row."""

    line: int
    slug: str
    name: str

    def describe(self) -> str:
        return f'"{self.slug}"' if self.slug else _("de gemensamma delmålen")


@dataclass
class _Parser:
    """Collects rows and (line, message) problems while walking the file once."""

    problems: list[tuple[int, str]] = field(default_factory=list)
    directives: dict[str, tuple[int, str]] = field(default_factory=dict)
    rows: list[GoalRow] = field(default_factory=list)
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    scope: _Scope | None = None

    @property
    def errors(self) -> list[str]:
        """The messages in file order (checks that span the file report late)."""
        ordered = sorted(self.problems, key=lambda problem: problem[0])
        return [_("rad %(line)d: ") % {"line": line} + text for line, text in ordered]

    def error(self, line: int, message: str, **values: object) -> None:
        self.problems.append((line, message % values if values else message))

    def read_directives(self, lines: list[str]) -> int:
        """Read the comment lines above the header; return how many lines they take."""
        for index, text in enumerate(lines):
            if text.strip() and not text.startswith("#"):
                return index
            match = DIRECTIVE.fullmatch(text.strip())
            if match:
                self.read_directive(index + 1, match[1], match[2].strip())
        return len(lines)

    def read_directive(self, line: int, key: str, value: str) -> None:
        if key not in DIRECTIVES:
            message = _('okänd inställning "%(key)s" (tillåtna: %(allowed)s)')
            self.error(line, message, key=key, allowed=", ".join(DIRECTIVES))
        elif key in self.directives:
            message = _("inställningen %(key)s står redan på rad %(first)d")
            self.error(line, message, key=key, first=self.directives[key][0])
        elif key == "has_b_goals" and value not in BOOLEANS:
            message = _('inställningen has_b_goals: "%(value)s" ska vara true eller false')
            self.error(line, message, value=shown(value))
        elif key == "source" and (len(value) > SOURCE_LIMIT or _bad_character(value)):
            message = _("inställningen source: högst %(limit)d tecken och inga styrtecken")
            self.error(line, message, limit=SOURCE_LIMIT)
        else:
            self.directives[key] = (line, value)

    def read_records(self, lines: list[str], offset: int) -> list[tuple[int, list[str]]]:
        """(first line number, cells) of every non-blank CSV record."""
        reader = csv.reader(lines, strict=True)
        records = []
        while True:
            start = offset + reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return records
            except csv.Error:
                self.error(start, _("raden är inte giltig CSV (kontrollera citattecknen)"))
                return records
            if record:
                records.append((start, record))

    def check_header(self, line: int, header: list[str]) -> bool:
        """Exactly the documented columns, in any order; normalises ``header`` in place."""
        before = len(self.problems)
        names = [name.strip() for name in header]
        for index, name in enumerate(names):
            if name not in COLUMNS + OPTIONAL_COLUMNS:
                message = _('okänd kolumn "%(column)s" i rubrikraden (tillåtna: %(allowed)s)')
                allowed = ",".join(COLUMNS + OPTIONAL_COLUMNS)
                self.error(line, message, column=shown(name), allowed=allowed)
            elif name in names[:index]:
                message = _("kolumnen %(column)s står två gånger i rubrikraden")
                self.error(line, message, column=name)
        for name in COLUMNS:
            if name not in names:
                self.error(line, _("kolumnen %(column)s saknas i rubrikraden"), column=name)
        header[:] = names
        return len(self.problems) == before

    def read_row(self, line: int, header: list[str], record: list[str]) -> None:
        if len(record) != len(header):
            message = _("raden har %(found)d fält men rubrikraden har %(expected)d")
            self.error(line, message, found=len(record), expected=len(header))
            return
        before = len(self.problems)
        cells = {name: value.strip() for name, value in zip(header, record, strict=True)}
        for column in ("requirement_text", "activities"):
            cells[column] = cells.get(column, "").replace("\r\n", "\n").replace("\r", "\n")
        self.check_text(line, cells)
        regulation = self.check_regulation(line, cells["regulation"])
        self.check_scope(line, cells["specialty_slug"], cells["specialty_name"])
        kind = self.check_code(line, regulation, cells) if regulation else None
        placeholder = self.check_placeholder(line, cells["placeholder"])
        activities = self.check_activities(line, cells["activities"])
        if kind and placeholder is not None and len(self.problems) == before:
            self.add_row(line, cells, kind, is_placeholder=placeholder, activities=activities)

    def check_text(self, line: int, cells: dict[str, str]) -> None:
        for column, value in cells.items():
            char = _bad_character(value, multiline=column in {"requirement_text", "activities"})
            if char:
                message = _("kolumnen %(column)s: otillåtet styrtecken (%(char)s)")
                self.error(line, message, column=column, char=char)
            limit = LIMITS.get(column)
            if limit and len(value) > limit:
                message = _("kolumnen %(column)s: högst %(limit)d tecken (raden har %(length)d)")
                self.error(line, message, column=column, limit=limit, length=len(value))

    def check_regulation(self, line: int, value: str) -> str | None:
        if value in Regulation.values:
            return value
        if not value:
            self.error(line, _("kolumnen %(column)s: värde saknas"), column="regulation")
            return None
        message = _('kolumnen regulation: okänd föreskrift "%(value)s" (tillåtna: %(allowed)s)')
        self.error(line, message, value=shown(value), allowed=", ".join(Regulation.values))
        return None

    def check_scope(self, line: int, slug: str, name: str) -> None:
        """A valid slug, and a name exactly when there is a slug."""
        if slug and not SLUG.fullmatch(slug):
            message = _(
                'kolumnen specialty_slug: "%(value)s" är inget giltigt kortnamn '
                "(gemener a–z, siffror och bindestreck)"
            )
            self.error(line, message, value=shown(slug))
        if slug and not name:
            self.error(line, _("kolumnen %(column)s: värde saknas"), column="specialty_name")
        if name and not slug:
            self.error(line, _("kolumnen specialty_name: ska vara tom när specialty_slug är tom"))
        self.check_same_scope(line, slug, name)

    def check_same_scope(self, line: int, slug: str, name: str) -> None:
        """One file, one specialty (or only common goals), named the same on every row."""
        if self.scope is None:
            self.scope = _Scope(line=line, slug=slug, name=name)
        elif slug != self.scope.slug:
            message = _(
                "kolumnen specialty_slug: filen gäller %(scope)s (rad %(first)d); en fil "
                "får bara gälla en specialitet eller bara de gemensamma delmålen"
            )
            self.error(line, message, scope=self.scope.describe(), first=self.scope.line)
        elif name != self.scope.name:
            message = _(
                'kolumnen specialty_name: "%(value)s" skiljer sig från "%(name)s" på rad %(first)d'
            )
            values = {"value": shown(name), "name": self.scope.name, "first": self.scope.line}
            self.error(line, message, **values)

    def check_code(
        self, line: int, regulation: str, cells: dict[str, str]
    ) -> tuple[str, int] | None:
        code = cells["code"]
        kind = classify(regulation, code)
        problem = self.code_problem(regulation, code, kind, cells)
        if problem:
            self.error(line, problem)
            return None
        self.seen[(regulation, code)] = line
        return kind

    def code_problem(
        self, regulation: str, code: str, kind: tuple[str, int] | None, cells: dict[str, str]
    ) -> str | None:
        """Why this code cannot stand on this row, or None."""
        values = {"code": shown(code), "regulation": regulation}
        if not code:
            return _("kolumnen %(column)s: värde saknas") % {"column": "code"}
        if kind is None:
            message = _(
                'kolumnen code: okänd kod "%(code)s" för %(regulation)s (c-delmål: %(example)s)'
            )
            return message % {**values, "example": SPECIALTY_CODE_EXAMPLE[regulation]}
        problem = _scope_problem(code, kind[0], cells)
        if problem:
            return problem
        if (regulation, code) in self.seen:
            message = _("kolumnen code: %(code)s för %(regulation)s står redan på rad %(first)d")
            return message % {**values, "first": self.seen[(regulation, code)]}
        return None

    def check_placeholder(self, line: int, value: str) -> bool | None:
        if value.lower() in BOOLEANS:
            return BOOLEANS[value.lower()]
        if not value:
            self.error(line, _("kolumnen %(column)s: värde saknas"), column="placeholder")
            return None
        message = _('kolumnen placeholder: "%(value)s" ska vara true eller false')
        self.error(line, message, value=shown(value))
        return None

    def check_activities(self, line: int, value: str) -> tuple[dict[str, str], ...]:
        """Each line "kind|certificate|text"; an unknown kind is a typo, not a new kind."""
        activities = []
        for text in filter(None, (part.strip() for part in value.split("\n"))):
            parts = [part.strip() for part in text.split("|", 2)]
            if len(parts) != 3 or parts[0] not in ACTIVITY_KIND_CODES or not parts[2]:
                message = _(
                    'kolumnen activities: "%(value)s" ska vara typ|intyg|text med en av '
                    "typerna %(kinds)s"
                )
                kinds = ", ".join(ACTIVITY_KIND_CODES)
                self.error(line, message, value=shown(text), kinds=kinds)
            elif parts[1] and parts[1] not in CERTIFICATE_KIND_CODES:
                message = _('kolumnen activities: okänt intyg "%(value)s" (tillåtna: %(kinds)s)')
                kinds = ", ".join(CERTIFICATE_KIND_CODES)
                self.error(line, message, value=shown(parts[1]), kinds=kinds)
            else:
                activities.append({"kind": parts[0], "text": parts[2], "certificate": parts[1]})
        return tuple(activities)

    def add_row(
        self,
        line: int,
        cells: dict[str, str],
        kind: tuple[str, int],
        *,
        is_placeholder: bool,
        activities: tuple[dict[str, str], ...],
    ) -> None:
        group, number = kind
        self.rows.append(
            GoalRow(
                line=line,
                regulation=cells["regulation"],
                code=cells["code"],
                group=group,
                sort_order=GROUP_RANK[group] * 100 + number,
                title=cells["title"],
                requirement_text=cells["requirement_text"],
                is_placeholder=is_placeholder,
                activities=activities,
            )
        )

    def result(self, header_line: int) -> CurriculumFile:
        """The parsed file, or CurriculumError with every problem in line order."""
        if not self.rows and not self.problems:
            self.error(header_line + 1, _("filen innehåller inga delmål"))
        scope = self.scope or _Scope(line=header_line + 1, slug="", name="")
        if not scope.slug and "has_b_goals" in self.directives:
            message = _("inställningen has_b_goals gäller bara specialitetsfiler")
            self.error(self.directives["has_b_goals"][0], message)
        if self.problems:
            raise CurriculumError(self.errors)
        has_b_goals = self.directives.get("has_b_goals", (0, "true"))[1]
        return CurriculumFile(
            specialty_slug=scope.slug,
            specialty_name=scope.name,
            first_line=scope.line,
            has_b_goals=BOOLEANS[has_b_goals],
            source_note=self.directives.get("source", (0, ""))[1],
            rows=tuple(self.rows),
        )


def activities_cell(activities: tuple[dict[str, str], ...]) -> str:
    """The activities column of a row, as check_activities reads it back."""
    return "\n".join(f"{a['kind']}|{a['certificate']}|{a['text']}" for a in activities)


def merged_csv(existing: str, parsed: CurriculumFile) -> str:
    """The shipped file ``existing`` with the imported regulation's rows replaced.

    Comment lines and the other regulation's rows are kept as they are, so
    importing the 2015 målbeskrivning leaves the 2021 rows alone.
    """
    lines = existing.splitlines(keepends=True)
    comments = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    kept = [row for row in csv.DictReader(body) if row["regulation"] not in parsed.regulations]
    out = io.StringIO()
    out.writelines(comments)
    writer = csv.DictWriter(out, fieldnames=COLUMNS + OPTIONAL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in parsed.rows:
        writer.writerow(_csv_row(parsed, row))
    for row in kept:
        writer.writerow({**row, "activities": row.get("activities") or ""})
    return out.getvalue()


def _csv_row(parsed: CurriculumFile, row: GoalRow) -> dict[str, str]:
    return {
        "regulation": row.regulation,
        "specialty_slug": parsed.specialty_slug,
        "specialty_name": parsed.specialty_name,
        "code": row.code,
        "title": row.title,
        "requirement_text": row.requirement_text,
        "placeholder": "true" if row.is_placeholder else "false",
        "activities": activities_cell(row.activities),
    }
