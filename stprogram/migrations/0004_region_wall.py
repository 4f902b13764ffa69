"""Row-level security on every table with a region column (PostgreSQL only).

See regions.rls. The application role named by STPROGRAM_DB_APP_ROLE (if it
exists) gets data rights on every table, now and for tables this role creates
later, but owns nothing.
"""

from django.conf import settings
from django.db import migrations

from regions import rls

# The tables walled by this migration (tables added later wall themselves in
# their own migrations with regions.rls.enable_sql).
TABLES: dict[str, str | None] = {
    "regions_unit": None,
    "regions_membership": "user_id",
    "regions_obligationstatus": None,
    "trainees_trainee": None,
    "trainees_contract": None,
    "trainees_iupversion": None,
    "trainees_rotation": None,
    "trainees_rotationaccessgrant": "user_id",
    "trainees_activity": None,
    "trainees_absence": None,
    "trainees_historicalevent": None,
    "trainees_certificatepacket": None,
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

# The first form of the wall, frozen here: 0005 replaced it with the form in
# regions.rls, which reads the scope once per statement instead of per row.
FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION stprogram_region_visible(region bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('stprogram.all_regions', true), '') = 'on'
      OR region = ANY (string_to_array(
           nullif(current_setting('stprogram.regions', true), ''), ',')::bigint[])
$$;
CREATE OR REPLACE FUNCTION stprogram_own_row(owner bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT owner = nullif(current_setting('stprogram.user', true), '')::bigint
$$;
"""

DROP_FUNCTIONS_SQL = """
DROP FUNCTION IF EXISTS stprogram_region_visible(bigint);
DROP FUNCTION IF EXISTS stprogram_own_row(bigint);
"""


def _enable_sql(table: str, user_column: str | None) -> str:
    condition = "stprogram_region_visible(region_id)"
    if user_column:
        condition += f" OR stprogram_own_row({user_column})"
    return (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n"
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;\n"
        f"DROP POLICY IF EXISTS {rls.POLICY} ON {table};\n"
        f"CREATE POLICY {rls.POLICY} ON {table} USING ({condition});\n"
    )


def _grants(role: str) -> str:
    return (
        f"GRANT USAGE ON SCHEMA public TO {role};\n"
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};\n"
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};\n"
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public"
        f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role};\n"
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role};\n"
    )


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS_SQL)
    for table, user_column in TABLES.items():
        schema_editor.execute(_enable_sql(table, user_column))
    role = settings.STPROGRAM_DB_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
    if exists:
        schema_editor.execute(_grants(connection.ops.quote_name(role)))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(rls.disable_sql(table))
    schema_editor.execute(DROP_FUNCTIONS_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("stprogram", "0003_reminders"),
        ("regions", "0003_obligation_status"),
        ("trainees", "0003_certificatepacket"),
        ("supervision", "0003_action_plans"),
        ("assessments", "0003_assessment_assessmenttoken_goalsignoff_and_more"),
        ("inspections", "0002_review_lifecycle"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
