"""Writes to the national curriculum catalogue: loading målbeskrivning files."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.catalogue.curriculum_file import CurriculumError, CurriculumFile, parse_curriculum
from assessments.catalogue.malbeskrivning_pdf import parse_malbeskrivning
from assessments.models import Curriculum, Goal, GoalSignoff, Specialty

__all__ = [
    "CurriculumError",
    "LoadResult",
    "catalogue_load_shipped",
    "curricula_load",
    "curriculum_load",
    "malbeskrivning_import",
    "shipped_files",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
GOAL_FIELDS = (
    "group",
    "title",
    "requirement_text",
    "is_placeholder",
    "sort_order",
    "activities",
    "certificate_kinds",
)


@dataclass(frozen=True)
class LoadResult:
    """What loading one file changed."""

    file_name: str
    specialty: str
    created: int
    updated: int
    unchanged: int
    not_in_file: int
    removed: int = 0

    def summary(self) -> str:
        """One Swedish line for the command's output."""
        message = _(
            "%(file)s (%(scope)s): %(total)d delmål – nya %(created)d, ändrade %(updated)d, "
            "oförändrade %(unchanged)d"
        )
        text = message % {
            "file": self.file_name,
            "scope": self.specialty or _("gemensamma delmål"),
            "total": self.created + self.updated + self.unchanged,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.not_in_file:
            # Goals are never deleted by a load: later records may refer to them.
            extra = _("; %(count)d delmål i databasen saknas i filen och lämnades kvar")
            text += extra % {"count": self.not_in_file}
        if self.removed:
            extra = _("; %(count)d platshållare som målbeskrivningen inte har togs bort")
            text += extra % {"count": self.removed}
        return text


def curriculum_load(*, path: Path | str) -> LoadResult:
    """Load one målbeskrivning file (CSV, see docs/curriculum.md).

    Everything is validated before anything is written; an invalid file raises
    CurriculumError with one Swedish message per problem ("rad 7: …") and leaves
    the database untouched. Goals are upserted by (regulation, specialty, code),
    so loading the same file again changes nothing.
    """
    path = Path(path)
    with transaction.atomic():
        parsed = _parse(path, _specialty_names())
        return _write(parsed, file_name=path.name)


def curricula_load(*, paths: Sequence[Path | str]) -> list[LoadResult]:
    """Load several files all or nothing; messages are prefixed with the file name."""
    parsed: list[tuple[Path, CurriculumFile]] = []
    errors: list[str] = []
    with transaction.atomic():
        names = _specialty_names()
        for path in map(Path, paths):
            try:
                parsed.append((path, _parse(path, names)))
            except CurriculumError as error:
                errors += [f"{path.name}, {message}" for message in error.messages]
        if errors:
            raise CurriculumError(errors)
        return [_write(item, file_name=path.name) for path, item in parsed]


def malbeskrivning_import(*, data: bytes, file_name: str) -> LoadResult:
    """Load one specialty's c-goals from Socialstyrelsen's published målbeskrivning (PDF).

    The file is read completely before anything is written; a file whose layout
    is not understood raises CurriculumError naming the page and what was
    expected, and the database is left untouched.
    """
    parsed = parse_malbeskrivning(data)
    with transaction.atomic():
        _check_specialty(parsed, _specialty_names())
        result = _write(parsed, file_name=file_name)
        removed = _drop_unpublished_placeholders(parsed)
    not_in_file = result.not_in_file - removed
    return dataclasses.replace(result, not_in_file=not_in_file, removed=removed)


def _drop_unpublished_placeholders(parsed: CurriculumFile) -> int:
    """Remove assumed goals the publication does not have (psykiatri 2015 had a c14).

    Only placeholders go, and only those no sign-off names: a placeholder was
    never law, but a record that cites its code must keep meaning something.
    """
    regulation = parsed.regulations[0]
    stale = Goal.objects.filter(
        specialty__slug=parsed.specialty_slug, regulation=regulation, is_placeholder=True
    ).exclude(code__in=[row.code for row in parsed.rows])
    cited = GoalSignoff.unscoped.filter(
        trainee__specialty__slug=parsed.specialty_slug, trainee__regulation=regulation
    ).values("goal_code")
    deleted, _counts = stale.exclude(code__in=cited).delete()
    return deleted


def catalogue_load_shipped() -> list[LoadResult]:
    """Load the catalogue shipped in assessments/data/ (idempotent; for setup and demo data)."""
    return curricula_load(paths=shipped_files())


def shipped_files() -> list[Path]:
    """The shipped files, common goals first so a reader of the output sees them first."""
    return sorted(DATA_DIR.glob("*.csv"), key=lambda path: (path.stem != "common", path.name))


def _specialty_names() -> dict[str, str]:
    return dict(Specialty.objects.values_list("slug", "name"))


def _parse(path: Path, names: dict[str, str]) -> CurriculumFile:
    """Read and validate one file; ``names`` (slug → name) learns the file's specialty."""
    try:
        data = path.read_bytes()
    except OSError as error:
        message = _("filen kan inte läsas (%(reason)s)")
        raise CurriculumError([message % {"reason": error.strerror or error}]) from None
    parsed = parse_curriculum(data)
    _check_specialty(parsed, names)
    return parsed


def _check_specialty(parsed: CurriculumFile, names: dict[str, str]) -> None:
    """A specialty keeps its name: a file may not rename one or take another's name."""
    slug, name = parsed.specialty_slug, parsed.specialty_name
    if not slug:
        return
    values = {"line": parsed.first_line, "slug": slug, "name": name}
    if names.get(slug, name) != name:
        message = _(
            'rad %(line)d: kolumnen specialty_name: specialiteten "%(slug)s" heter '
            '"%(known)s", inte "%(name)s"'
        )
        raise CurriculumError([message % {**values, "known": names[slug]}])
    owner = next((other for other, known in names.items() if known == name and other != slug), "")
    if owner:
        message = _(
            'rad %(line)d: kolumnen specialty_name: "%(name)s" är redan namnet på '
            'specialiteten "%(owner)s"'
        )
        raise CurriculumError([message % {**values, "owner": owner}])
    names[slug] = name


def _write(parsed: CurriculumFile, *, file_name: str) -> LoadResult:
    specialty = None
    if parsed.specialty_slug:
        specialty, _created = Specialty.objects.get_or_create(
            slug=parsed.specialty_slug, defaults={"name": parsed.specialty_name}
        )
        for regulation in parsed.regulations:
            Curriculum.objects.update_or_create(
                specialty=specialty,
                regulation=regulation,
                defaults={"has_b_goals": parsed.has_b_goals, "source_note": parsed.source_note},
            )
    return _upsert_goals(parsed, specialty, file_name=file_name)


def _upsert_goals(
    parsed: CurriculumFile, specialty: Specialty | None, *, file_name: str
) -> LoadResult:
    """Create missing goals and update changed ones, in a constant number of queries."""
    stored = Goal.objects.filter(specialty=specialty, regulation__in=parsed.regulations)
    existing = {(goal.regulation, goal.code): goal for goal in stored}
    new, changed = [], []
    for row in parsed.rows:
        values = {name: getattr(row, name) for name in GOAL_FIELDS}
        values["activities"] = list(row.activities)
        goal = existing.pop((row.regulation, row.code), None)
        if goal is None:
            new.append(
                Goal(regulation=row.regulation, code=row.code, specialty=specialty, **values)
            )
        elif _apply(goal, values):
            changed.append(goal)
    Goal.objects.bulk_create(new)
    Goal.objects.bulk_update(changed, GOAL_FIELDS)
    counts = {"created": len(new), "updated": len(changed), "not_in_file": len(existing)}
    unchanged = len(parsed.rows) - len(new) - len(changed)
    name = specialty.name if specialty else ""
    return LoadResult(file_name=file_name, specialty=name, unchanged=unchanged, **counts)


def _apply(goal: Goal, values: dict[str, object]) -> bool:
    """Set the values on the goal; whether any of them differed."""
    differs = any(getattr(goal, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(goal, name, value)
    return differs
