"""Row-level security on PostgreSQL: the database's own wall between regions.

Every table holding a region's data gets a policy that shows (and accepts) a
row only when its region is in the statement's scope, set per transaction by
`scope_statements`: by its region column, by its region slug (signatures and
the logs), or through the walled row it belongs to (an IUP's goal plans). The
tables are FORCEd, so the policy binds the tables' owner too; the application
connects as a role that owns nothing and has no BYPASSRLS (see the README's
deployment section).

The scope travels in three custom settings, always set together:
- `stprogram.regions`: comma-separated region ids the statement may see;
- `stprogram.all_regions`: `on` for work that declared it spans regions;
- `stprogram.user`: the requesting user's id, whose own memberships, rotation
  grants and reminders are visible across regions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.backends.base.base import NO_DB_ALIAS, BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from psycopg.pq import TransactionStatus

from regions import tenancy

POLICY = "region_wall"

# Tables with a region column, and the user column whose owner sees their own
# rows in every region (None: only the region decides).
REGION_TABLES: dict[str, str | None] = {
    "regions_unit": None,
    "regions_membership": "user_id",
    "regions_obligationstatus": None,
    "regions_onboardingimport": None,
    "regions_onboardinginvitation": None,
    # The deputy reads their own delegations from any region (the region switcher).
    "regions_delegation": "deputy_id",
    "trainees_trainee": None,
    "trainees_contract": None,
    "trainees_iupversion": None,
    "trainees_rotation": None,
    "trainees_rotationaccessgrant": "user_id",
    "trainees_activity": None,
    "trainees_absence": None,
    "trainees_historicalevent": None,
    "trainees_certificatepacket": None,
    "trainees_externalassessor": None,
    "supervision_assignment": None,
    "supervision_supervisionmeeting": None,
    "supervision_yearlyrecord": None,
    "supervision_actionplan": None,
    "supervision_actionmeasure": None,
    "assessments_assessment": None,
    "assessments_goalsignoff": None,
    "inspections_inspection": None,
    "inspections_finding": None,
    "inspections_inspectionmeasure": None,
    "inspections_selfassessment": None,
    "inspections_selfassessmentanswer": None,
    "stprogram_reminder": "user_id",
}

# Of those user columns, where the user may also *write* their own rows outside
# the row's region: a notification is marked read on a page outside any region.
# A membership or a rotation grant written for oneself would open another
# region, so they are written only inside that region's scope (while the region
# switcher still reads all of the user's own).
OWN_ROWS_WRITABLE = frozenset({"stprogram_reminder"})

# Tables whose rows name their region by slug: signatures and the two logs,
# written by one code path for records of every kind. The user column: see
# `slug_condition`.
SLUG_TABLES: dict[str, str | None] = {
    "stprogram_signature": None,
    "stprogram_auditevent": "actor_id",
    "stprogram_accesslog": "user_id",
    "stprogram_invitation": None,
}

# Tables whose rows belong to a row of a walled table (key column, parent
# table): the parent's own policy decides, through an EXISTS on its primary
# key, one index probe per row. No second copy of the region to keep in step.
CHILD_TABLES: dict[str, tuple[str, str]] = {
    "trainees_iupgoalplan": ("iup_id", "trainees_iupversion"),
    "trainees_iupplanneditem": ("iup_id", "trainees_iupversion"),
    "assessments_assessmenttoken": ("assessment_id", "assessments_assessment"),
    "regions_delegation_units": ("delegation_id", "regions_delegation"),
}

WALLED_TABLES: tuple[str, ...] = (*REGION_TABLES, *SLUG_TABLES, *CHILD_TABLES)

# The scope's three parts, each read by the policy as a scalar subquery: the
# planner turns those into init plans, evaluated once per statement instead of
# once per row (on a region of 2,000 trainees that was a third of the dashboard).
FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION stprogram_scope_all() RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('stprogram.all_regions', true), '') = 'on'
$$;
CREATE OR REPLACE FUNCTION stprogram_scope_regions() RETURNS bigint[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_to_array(
    nullif(current_setting('stprogram.regions', true), ''), ',')::bigint[], '{}')
$$;
CREATE OR REPLACE FUNCTION stprogram_scope_user() RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('stprogram.user', true), '')::bigint
$$;
"""

DROP_FUNCTIONS_SQL = """
DROP FUNCTION IF EXISTS stprogram_scope_all();
DROP FUNCTION IF EXISTS stprogram_scope_regions();
DROP FUNCTION IF EXISTS stprogram_scope_user();
"""

# The slugs of the scope's regions, for the tables that name their region so.
SLUG_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION stprogram_scope_slugs() RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(slug::text), '{}') FROM regions_region
  WHERE id = ANY (stprogram_scope_regions())
$$;
"""

DROP_SLUG_FUNCTION_SQL = "DROP FUNCTION IF EXISTS stprogram_scope_slugs();\n"


def policy_condition(user_column: str | None = None) -> str:
    """Who may see (and write) a row: the scope's regions, or its user's own rows."""
    condition = (
        "(SELECT stprogram_scope_all())"
        " OR region_id = ANY ((SELECT stprogram_scope_regions())::bigint[])"
    )
    if user_column:
        condition += f" OR {user_column} = (SELECT stprogram_scope_user())"
    return condition


def slug_condition(user_column: str | None = None) -> str:
    """Who may see (and write) a row naming its region by slug.

    A row about no region (an empty slug: a login, an account event) belongs
    to no region's staff: it is visible in the all-regions scope (commands,
    the admin) and to the user it is about, never inside a region's scope.
    """
    condition = (
        "(SELECT stprogram_scope_all())"
        " OR region_slug = ANY ((SELECT stprogram_scope_slugs())::text[])"
    )
    if user_column:
        condition += f" OR (region_slug = '' AND {user_column} = (SELECT stprogram_scope_user()))"
    return condition


def child_condition(table: str, column: str, parent: str) -> str:
    """Who may see (and write) a row of a walled parent: whoever may see the parent."""
    return (
        "(SELECT stprogram_scope_all())"
        f" OR EXISTS (SELECT 1 FROM {parent} WHERE {parent}.id = {table}.{column})"
    )


def enable_sql(table: str, user_column: str | None = None) -> str:
    """The statements that put a table with a region column behind the wall."""
    return _policy_sql(table, policy_condition(user_column))


def wall_sql(table: str) -> str:
    """The statements that put any walled table behind the wall, as registered above."""
    if table in SLUG_TABLES:
        return _policy_sql(table, slug_condition(SLUG_TABLES[table]))
    if table in CHILD_TABLES:
        return _policy_sql(table, child_condition(table, *CHILD_TABLES[table]))
    user_column = REGION_TABLES[table]
    if table in OWN_ROWS_WRITABLE:
        return enable_sql(table, user_column)
    return _policy_sql(table, policy_condition(user_column), check=policy_condition())


def _policy_sql(table: str, using: str, check: str | None = None) -> str:
    # Without WITH CHECK, PostgreSQL checks written rows against USING.
    with_check = f" WITH CHECK ({check})" if check else ""
    return (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n"
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;\n"
        f"DROP POLICY IF EXISTS {POLICY} ON {table};\n"
        f"CREATE POLICY {POLICY} ON {table} USING ({using}){with_check};\n"
    )


def disable_sql(table: str) -> str:
    """Undo `enable_sql`."""
    return (
        f"DROP POLICY IF EXISTS {POLICY} ON {table};\n"
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;\n"
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;\n"
    )


WALLED_TABLE = re.compile("|".join(sorted(WALLED_TABLES, key=len, reverse=True)))

SET_SCOPE_SQL = (
    "SELECT set_config('stprogram.regions', %s, true),"
    " set_config('stprogram.all_regions', %s, true),"
    " set_config('stprogram.user', %s, true)"
)


def scope_params(scope: tenancy.DbScope) -> tuple[str, str, str]:
    """The three settings' values for a scope."""
    return (
        ",".join(str(pk) for pk in scope.regions),
        "on" if scope.all_regions else "",
        "" if scope.user_id is None else str(scope.user_id),
    )


def scope_statements(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Execute wrapper: make sure the statement's transaction carries the active scope.

    The scope is set once per transaction, and again whenever it changes (a
    request narrows from no region to its region) or a savepoint is rolled
    back (which would silently undo a setting made after the savepoint). A
    statement outside a transaction runs in one of its own.
    """
    connection = context["connection"]
    if connection.alias == NO_DB_ALIAS:
        # The maintenance connection that creates and drops databases.
        return execute(sql, params, many, context)
    if connection.connection.info.transaction_status == TransactionStatus.IDLE:
        connection.stprogram_scope = None  # the statement starts a new transaction
    if not WALLED_TABLE.search(sql):
        # Sessions, users, regions, the catalogue, savepoints (which must also
        # work in a failed transaction): the scope cannot change what they see.
        try:
            return execute(sql, params, many, context)
        finally:
            if sql.startswith("ROLLBACK TO SAVEPOINT"):
                connection.stprogram_scope = None
    values = scope_params(tenancy.db_scope())
    if not connection.in_atomic_block:
        with transaction.atomic(using=connection.alias):
            _set_scope(connection, values)
            return execute(sql, params, many, context)
    if connection.stprogram_scope != values:
        _set_scope(connection, values)
    return execute(sql, params, many, context)


def _set_scope(connection: BaseDatabaseWrapper, values: tuple[str, str, str]) -> None:
    # The raw driver cursor: not logged, not wrapped again, never a named cursor.
    with connection.connection.cursor() as cursor:
        cursor.execute(SET_SCOPE_SQL, values)
    connection.stprogram_scope = values


@receiver(connection_created)
def install_wall(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Put the scope wrapper on every new PostgreSQL connection."""
    if connection.vendor == "postgresql" and scope_statements not in connection.execute_wrappers:
        connection.stprogram_scope = None  # the scope set in the current transaction
        connection.execute_wrappers.append(scope_statements)
