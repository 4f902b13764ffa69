"""The wall on delegations (issue 20): each carries its region; its units through its row."""

from django.db import migrations

from regions import rls

TABLES = ("regions_delegation", "regions_delegation_units")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(rls.wall_sql(table))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in reversed(TABLES):
            schema_editor.execute(rls.disable_sql(table))


class Migration(migrations.Migration):
    dependencies = [("stprogram", "0012_region_wall_onboarding"), ("regions", "0007_delegation")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
