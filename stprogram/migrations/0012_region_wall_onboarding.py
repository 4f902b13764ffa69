"""The wall on the bulk onboarding's imports and the invitations they owe (issue 24)."""

from django.db import migrations

from regions import rls

TABLES = ("regions_onboardingimport", "regions_onboardinginvitation")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(rls.wall_sql(table))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(rls.disable_sql(table))


class Migration(migrations.Migration):
    dependencies = [
        ("stprogram", "0011_user_hsa_id"),
        ("regions", "0006_onboarding"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
