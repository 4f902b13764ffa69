"""Row-level security on every table with a region column (PostgreSQL only).

See stprogram.rls. The application role named by STPROGRAM_DB_APP_ROLE (if it
exists) gets data rights on every table, now and for tables this role creates
later, but owns nothing.
"""

from django.conf import settings
from django.db import migrations

from stprogram import rls


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
    schema_editor.execute(rls.FUNCTIONS_SQL)
    for table, user_column in rls.REGION_TABLES.items():
        schema_editor.execute(rls.enable_sql(table, user_column))
    role = settings.STPROGRAM_DB_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
    if exists:
        schema_editor.execute(_grants(connection.ops.quote_name(role)))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in rls.REGION_TABLES:
        schema_editor.execute(rls.disable_sql(table))
    schema_editor.execute(rls.DROP_FUNCTIONS_SQL)


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
