"""The wall on the BT's external assessor (issue 23), a table with a region column."""

from django.db import migrations

from regions import rls

TABLE = "trainees_externalassessor"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(rls.wall_sql(TABLE))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(rls.disable_sql(TABLE))


class Migration(migrations.Migration):
    dependencies = [
        ("stprogram", "0007_verified_email_addresses"),
        ("trainees", "0006_external_assessor"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
