"""The second wall: PostgreSQL's row-level security keeps regions apart below the ORM.

These tests speak raw SQL, as a bug that bypassed the scoped managers would.
"""

from __future__ import annotations

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DatabaseError

from regions import rls, tenancy
from regions.models import Region, Unit
from trainees.models import CertificatePacket
from trainees.tasks import render_certificate_packet

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)


def _region_tables() -> set[str]:
    """Every table with a column pointing at a region, found from the models."""
    return {
        model._meta.db_table
        for model in apps.get_models()
        for field in model._meta.fields
        if field.name == "region" and field.related_model is Region
    }


def _count(table: str, where: str = "", params: tuple = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} {where}", params)
        return cursor.fetchone()[0]


def _regions_seen(table: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT region_id FROM {table}")
        return {row[0] for row in cursor.fetchall()}


def test_every_table_with_a_region_column_is_behind_the_wall(db):
    assert set(rls.REGION_TABLES) == _region_tables(), (
        "A model with a region has no row-level security: add its table to "
        "regions.rls.REGION_TABLES and a migration calling rls.enable_sql"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
            " EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname"
            "         AND p.policyname = %s)"
            " FROM pg_class c WHERE c.relname = ANY(%s)",
            [rls.POLICY, list(rls.WALLED_TABLES)],
        )
        rows = {name: flags for name, *flags in cursor.fetchall()}
    assert rows.keys() == set(rls.WALLED_TABLES)
    assert all(flags == [True, True, True] for flags in rows.values()), rows


def test_raw_sql_without_a_region_returns_no_rows(world, elsewhere):
    populated = [t for t in rls.REGION_TABLES if _count(t)]
    assert {"regions_unit", "regions_membership", "trainees_trainee"} <= set(populated)
    with tenancy.db_scope_context(tenancy.NO_REGION):
        assert {t: _count(t) for t in populated} == dict.fromkeys(populated, 0)


def test_raw_sql_in_region_a_never_returns_region_b(world, elsewhere):
    a, b = world.region.pk, elsewhere.region.pk
    with tenancy.all_regions():
        populated = [t for t in rls.REGION_TABLES if _regions_seen(t) == {a, b}]
    assert {"regions_unit", "trainees_trainee", "supervision_assignment"} <= set(populated)
    with tenancy.region_context(world.region):
        seen = {t: _regions_seen(t) for t in populated}
        # Not even when asked for by id.
        hidden = _count("regions_unit", "WHERE id = %s", (elsewhere.unit.pk,))
    assert seen == {table: {a} for table in populated}
    assert hidden == 0


def test_a_region_cannot_write_rows_into_another(world, elsewhere):
    with tenancy.region_context(world.region):
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Unit.unscoped.create(
                region=elsewhere.region,
                name="Smuggled",
                kind="clinic",
                specialty=world.unit.specialty,
            )
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Unit.unscoped.filter(pk=world.unit.pk).update(region=elsewhere.region)
        # Rows of the other region cannot be changed or deleted: they are not there.
        assert Unit.unscoped.filter(pk=elsewhere.unit.pk).update(name="Changed") == 0
    elsewhere.unit.refresh_from_db()
    assert elsewhere.unit.name != "Changed"


def test_users_see_their_own_memberships_in_every_region(world, elsewhere):
    from regions.models import Membership, Role

    Membership.unscoped.create(
        user=world.supervisor, region=elsewhere.region, role=Role.SUPERVISOR, unit=elsewhere.unit
    )
    scope = tenancy.DbScope(user_id=world.supervisor.pk)
    with tenancy.db_scope_context(scope):
        regions = set(Membership.unscoped.values_list("region_id", flat=True))
        others = Membership.unscoped.exclude(user=world.supervisor).count()
    assert regions == {world.region.pk, elsewhere.region.pk}
    assert others == 0


def test_a_task_runs_in_the_region_it_names_and_sees_nothing_else(world, elsewhere):
    packet = CertificatePacket.unscoped.create(
        region=world.region, trainee=world.trainee, kind="st", requested_by=world.trainee.user
    )
    # A message naming the wrong region renders nothing: the packet is not there.
    assert render_certificate_packet.apply(args=(packet.pk, elsewhere.region.pk)).get() is None
    packet.refresh_from_db()
    assert packet.status == CertificatePacket.Status.PENDING


def test_a_page_shows_one_region_even_to_raw_sql(world, elsewhere, login, monkeypatch):
    seen: list[str] = []

    def spy(execute, sql, params, many, context):
        if "regions_unit" in sql and not seen:
            with context["connection"].connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('stprogram.regions', true)")
                seen.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    client = login(world.study_director)
    with connection.execute_wrapper(spy):
        response = client.get(f"/{world.region.slug}/studierektor/")
    assert response.status_code == 200
    assert seen == [str(world.region.pk)]


@pytest.mark.django_db(transaction=True)
def test_the_application_role_owns_nothing_and_cannot_bypass_the_wall():
    """Connected as the application role, committed rows of both regions stay apart."""
    from tests.factories import world_build

    blekinge = world_build(slug="blekinge", name="Region Blekinge")
    halland = world_build(slug="halland", name="Region Halland")
    db = connection.settings_dict
    role = settings.STPROGRAM_DB_APP_ROLE
    conninfo = psycopg.conninfo.make_conninfo(
        host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=role, password=role
    )
    with psycopg.connect(conninfo) as app:
        owners = app.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relname = ANY(%s)",
            [list(rls.REGION_TABLES)],
        ).fetchall()
        assert (role,) not in owners
        assert app.execute("SELECT count(*) FROM trainees_trainee").fetchone()[0] == 0
        app.execute("SELECT set_config('stprogram.regions', %s, true)", [str(blekinge.region.pk)])
        rows = app.execute("SELECT DISTINCT region_id FROM trainees_trainee").fetchall()
        assert rows == [(blekinge.region.pk,)]
        app.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("ALTER TABLE trainees_trainee NO FORCE ROW LEVEL SECURITY")
        app.rollback()
        # Asking to switch the policies off makes queries fail rather than leak.
        app.execute("SET row_security = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("SELECT count(*) FROM trainees_trainee")
    assert halland.trainee.region_id != blekinge.region.pk


@pytest.mark.django_db(transaction=True)
def test_statements_outside_a_transaction_get_the_scope_too(world, elsewhere):
    assert not connection.in_atomic_block
    with tenancy.region_context(world.region):
        assert set(Unit.unscoped.values_list("region_id", flat=True)) == {world.region.pk}
    with tenancy.db_scope_context(tenancy.NO_REGION):
        assert _count("trainees_trainee") == 0
    assert _count("trainees_trainee") == 4  # committed rows, hidden only by the scope


def test_staff_without_mfa_are_found_behind_the_wall(world, login, settings):
    """The MFA requirement reads the user's roles before any region is known."""
    settings.STPROGRAM_REQUIRE_MFA = True
    response = login(world.study_director).get(f"/{world.region.slug}/studierektor/")
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]


def test_statements_naming_no_walled_table_skip_the_scope(world):
    """Sessions, users and the catalogue need no scope; a region table always gets one."""
    assert not rls.WALLED_TABLE.search('SELECT * FROM "django_session" WHERE "session_key" = %s')
    assert not rls.WALLED_TABLE.search('SELECT * FROM "regions_region" WHERE "slug" = %s')
    joined = 'SELECT 1 FROM "regions_region" INNER JOIN "regions_membership" ON (1=1)'
    assert rls.WALLED_TABLE.search(joined)
    # A walled table reached through a join is still behind the wall.
    with tenancy.db_scope_context(tenancy.NO_REGION), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM regions_region r JOIN regions_unit u ON u.region_id = r.id"
        )
        assert cursor.fetchone()[0] == 0


def test_a_rolled_back_savepoint_cannot_widen_the_scope(world, elsewhere):
    """The scope is set once per transaction; a savepoint rollback must not undo it silently.

    Set inside a savepoint and rolled back with it, PostgreSQL would fall back
    to the setting before the savepoint: here all regions.
    """
    assert _regions_seen("trainees_trainee") == {world.region.pk, elsewhere.region.pk}
    with tenancy.region_context(world.region):
        savepoint = transaction.savepoint_create()
        assert _regions_seen("trainees_trainee") == {world.region.pk}
        transaction.savepoint_rollback(savepoint)
        assert _regions_seen("trainees_trainee") == {world.region.pk}


def test_a_page_sets_the_scope_once_per_change_not_per_query(world, login, monkeypatch):
    """A dashboard runs many walled queries but pays for the scope at most twice:
    once before its region is known (the user's own rows) and once in the region."""
    scopes: list[tuple[str, str, str]] = []
    set_scope = rls._set_scope

    def counting(connection, values):
        scopes.append(values)
        set_scope(connection, values)

    monkeypatch.setattr(rls, "_set_scope", counting)
    queries: list[str] = []

    def walled(execute, sql, params, many, context):
        if rls.WALLED_TABLE.search(sql):
            queries.append(sql)
        return execute(sql, params, many, context)

    client = login(world.study_director)
    with connection.execute_wrapper(walled):
        response = client.get(f"/{world.region.slug}/studierektor/")
    assert response.status_code == 200
    assert len(queries) >= 6
    assert [regions for regions, _all, _user in scopes][-1] == str(world.region.pk)
    assert len(scopes) <= 2, scopes
