"""The wall's policies read the scope once per statement, not once per row.

0004's policies called a function per row that parsed the scope settings
again for every row; on the study director's dashboard that was about a third
of the page. The new policies (regions.rls.policy_condition) read each part
of the scope in a scalar subquery, which PostgreSQL evaluates once.
"""

from importlib import import_module

from django.db import migrations

from regions import rls

first_wall = import_module("stprogram.migrations.0004_region_wall")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(rls.FUNCTIONS_SQL)
    for table, user_column in first_wall.TABLES.items():
        schema_editor.execute(rls.enable_sql(table, user_column))
    schema_editor.execute(first_wall.DROP_FUNCTIONS_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(first_wall.FUNCTIONS_SQL)
    for table, user_column in first_wall.TABLES.items():
        schema_editor.execute(first_wall._enable_sql(table, user_column))
    schema_editor.execute(rls.DROP_FUNCTIONS_SQL)


class Migration(migrations.Migration):
    dependencies = [("stprogram", "0004_region_wall")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
