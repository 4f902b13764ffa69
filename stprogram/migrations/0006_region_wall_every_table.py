"""The wall on every table holding a region's data, and no role written across it.

Issue 17 (pen test, item 11): signatures, IUP goal plans and planned items,
assessor links, the audit log and the access log had no policy; and since the
membership and rotation-grant policies accepted the user's own rows in any
region, a statement in one region's scope could give its user a role in
another. See regions.rls (SLUG_TABLES, CHILD_TABLES, OWN_ROWS_WRITABLE).
"""

from django.db import migrations

from regions import rls

# The tables this migration walls (new) or re-walls with a WITH CHECK (own rows).
NEW_TABLES = (
    "stprogram_signature",
    "stprogram_auditevent",
    "stprogram_accesslog",
    "trainees_iupgoalplan",
    "trainees_iupplanneditem",
    "assessments_assessmenttoken",
)
OWN_ROWS_READ_ONLY = ("regions_membership", "trainees_rotationaccessgrant")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(rls.SLUG_FUNCTION_SQL)
    for table in NEW_TABLES + OWN_ROWS_READ_ONLY:
        schema_editor.execute(rls.wall_sql(table))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in OWN_ROWS_READ_ONLY:
        schema_editor.execute(rls.enable_sql(table, "user_id"))
    for table in NEW_TABLES:
        schema_editor.execute(rls.disable_sql(table))
    schema_editor.execute(rls.DROP_SLUG_FUNCTION_SQL)


class Migration(migrations.Migration):
    dependencies = [("stprogram", "0005_region_wall_init_plans")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
