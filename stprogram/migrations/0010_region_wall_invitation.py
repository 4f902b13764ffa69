"""The wall on invitations (issue 21): each names the region that sent it, by slug."""

from django.db import migrations

from regions import rls

TABLE = "stprogram_invitation"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(rls.wall_sql(TABLE))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(rls.disable_sql(TABLE))


class Migration(migrations.Migration):
    dependencies = [("stprogram", "0009_invitation")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
