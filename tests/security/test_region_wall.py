"""Issue 17, item 11: every table holding a region's data is behind the database wall.

The pen test found signatures, IUP goal plans and planned items, assessor
links, the audit log and the access log readable across regions with raw SQL,
and a statement in one region's scope able to give its user a role in another
region. These tests speak raw SQL, as an injection or a forgotten scope would.

The models are found, not listed: every model with a key to a region, a
region slug, or a key to a model that has one. A new model holding region
data fails here until its table is walled (see `regions.rls`).
"""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from regions import rls, tenancy
from regions.models import Membership, Region, Role
from stprogram.models import AuditEvent, User
from tests.factories import UserFactory
from trainees.models import Rotation, RotationAccessGrant

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)

WALL = "row-level security"


def region_links() -> dict[type[models.Model], models.Field]:
    """Every model holding region data, with the field that ties its rows to a region."""
    found: dict[type[models.Model], models.Field] = {}
    while True:
        new = {
            model: link
            for model in apps.get_models()
            if model not in found
            and model is not Region
            and (link := _region_link(model, found)) is not None
        }
        if not new:
            return found
        found.update(new)


def _region_link(model: type[models.Model], found: dict) -> models.Field | None:
    fields = model._meta.concrete_fields
    by_name = {field.name: field for field in fields}
    if "region" in by_name and by_name["region"].related_model is Region:
        return by_name["region"]
    if "region_slug" in by_name:
        return by_name["region_slug"]
    parents = [f for f in fields if f.is_relation and f.related_model in (Region, *found)]
    # A required key to the parent first: a nullable one may point at nothing.
    return min(parents, key=lambda f: f.null, default=None)


REGION_MODELS = region_links()


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def _sample(field: models.Field) -> Any:
    """Some valid value for a field nobody set (unique wherever it could clash)."""
    if field.choices:
        return field.choices[0][0]
    kind = field.get_internal_type()
    if kind == "EmailField":
        return f"{uuid.uuid4().hex[:12]}@wall.test"
    if kind in {"CharField", "SlugField", "TextField", "FileField"}:
        return uuid.uuid4().hex[: field.max_length or 32]
    samples = {
        "DateField": date(2025, 1, 13),
        "DateTimeField": timezone.now(),
        "TimeField": time(8),
        "DurationField": timedelta(days=1),
        "BooleanField": False,
        "DecimalField": Decimal(1),
        "FloatField": 1.0,
        "JSONField": {},
        "UUIDField": uuid.uuid4(),
        "BinaryField": b"",
        "GenericIPAddressField": "127.0.0.1",
    }
    return samples.get(kind, 1)  # the integer fields


# Values a check constraint asks for, where leaving a nullable field empty is not enough.
REQUIRED_BY_CONSTRAINTS: dict[str, dict[str, Any]] = {
    "inspections.Inspection": {"planned_on": date(2025, 3, 1)},
}


def build(model: type[models.Model], region: Region) -> models.Model:
    """A row of `model` in `region`, with parents of its own in the same region."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.has_default() or getattr(field, "auto_now_add", False):
            continue
        values[field.attname] = _value(field, region)
    values.update(REQUIRED_BY_CONSTRAINTS.get(_label(model), {}))
    row = model(**values)
    model._base_manager.bulk_create([row])
    return row


def _value(field: models.Field, region: Region) -> Any:
    if field.name == "region_slug":
        return region.slug
    if not field.is_relation:
        return None if field.null else _sample(field)
    target = field.related_model
    if target is Region:
        return region.pk
    if field.null:
        return None
    if target in REGION_MODELS:
        return build(target, region).pk
    if target is User:
        return UserFactory(email=f"{uuid.uuid4().hex[:12]}@wall.test").pk
    return target._base_manager.order_by("pk").values_list("pk", flat=True)[0]


def _ids(table: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table}")
        return {row[0] for row in cursor.fetchall()}


def _link_of(row: models.Model, link: models.Field) -> Any:
    return getattr(row, link.attname)


def _copy_into(table: str, row_id: int, column: str, value: Any) -> None:
    """Insert a copy of a visible row, tied to another region through `column`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s AND column_name <> 'id'",
            [table],
        )
        columns = [name for (name,) in cursor.fetchall()]
        quote = connection.ops.quote_name
        target = ", ".join(quote(name) for name in columns)
        source = ", ".join("%s" if name == column else quote(name) for name in columns)
        cursor.execute(
            f"INSERT INTO {table} ({target}) SELECT {source} FROM {table} WHERE id = %s",
            [value, row_id],
        )


@pytest.mark.parametrize("model", sorted(REGION_MODELS, key=_label), ids=_label)
def test_raw_sql_in_region_a_neither_sees_nor_writes_region_b(model, world, elsewhere):
    table, link = model._meta.db_table, REGION_MODELS[model]
    mine, theirs = build(model, world.region), build(model, elsewhere.region)
    elsewhere_link = _link_of(theirs, link)

    with tenancy.region_context(world.region):
        seen = _ids(table)
        with pytest.raises(DatabaseError, match=WALL), transaction.atomic():
            _copy_into(table, mine.pk, link.column, elsewhere_link)
        with (
            pytest.raises(DatabaseError, match=WALL),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"UPDATE {table} SET {link.column} = %s WHERE id = %s",
                [elsewhere_link, mine.pk],
            )
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [theirs.pk])
            deleted = cursor.rowcount

    assert mine.pk in seen
    assert theirs.pk not in seen
    assert deleted == 0
    assert model._base_manager.filter(pk=theirs.pk).exists()


def test_every_region_model_is_found_and_walled(db):
    """The discovery above must see the tables the pen test named, and each is FORCEd."""
    tables = {model._meta.db_table for model in REGION_MODELS}
    assert {
        "stprogram_signature",
        "stprogram_auditevent",
        "stprogram_accesslog",
        "trainees_iupgoalplan",
        "trainees_iupplanneditem",
        "assessments_assessmenttoken",
    } <= tables
    assert tables <= set(rls.WALLED_TABLES), "walled in the database but not in regions.rls"


def test_a_statement_in_one_region_cannot_give_its_user_a_role_in_another(world, elsewhere):
    me = world.study_director
    their_rotation = build(Rotation, elsewhere.region)
    mine = tenancy.DbScope(regions=(world.region.pk,), user_id=me.pk)
    with tenancy.db_scope_context(mine):
        with pytest.raises(DatabaseError, match=WALL), transaction.atomic():
            Membership.unscoped.create(user=me, region=elsewhere.region, role=Role.REGIONAL_ADMIN)
        with pytest.raises(DatabaseError, match=WALL), transaction.atomic():
            Membership.unscoped.filter(user=me).update(region=elsewhere.region)
        # A rotation grant would open the other region as surely as a role.
        with pytest.raises(DatabaseError, match=WALL), transaction.atomic():
            RotationAccessGrant.unscoped.create(
                region=elsewhere.region,
                rotation=their_rotation,
                user=me,
                valid_from=date(2025, 1, 1),
                valid_until=date(2099, 1, 1),
            )
    assert not Membership.unscoped.filter(user=me, region=elsewhere.region).exists()
    assert not RotationAccessGrant.unscoped.filter(user=me).exists()


def test_the_region_switcher_still_reads_the_users_roles_in_every_region(world, elsewhere):
    me = world.study_director
    Membership.unscoped.create(user=me, region=elsewhere.region, role=Role.SUPERVISOR)
    with tenancy.db_scope_context(tenancy.DbScope(user_id=me.pk)):
        regions = set(Membership.unscoped.values_list("region_id", flat=True))
    assert regions == {world.region.pk, elsewhere.region.pk}


def test_log_rows_about_no_region_are_seen_by_their_own_user_or_across_all_regions(world):
    """A login or an account event names no region: no region's staff may read it."""
    for actor in (world.study_director, world.supervisor):
        AuditEvent.objects.create(
            actor=actor, region_slug="", action="logged_in", object_repr=str(actor)
        )

    def actors(scope: tenancy.DbScope) -> list[int]:
        with tenancy.db_scope_context(scope):
            return list(AuditEvent.objects.filter(region_slug="").values_list("actor", flat=True))

    in_region = tenancy.DbScope(regions=(world.region.pk,))
    assert actors(in_region) == []
    assert actors(tenancy.DbScope(regions=(world.region.pk,), user_id=world.supervisor.pk)) == [
        world.supervisor.pk
    ]
    assert len(actors(tenancy.ALL_REGIONS)) == 2
