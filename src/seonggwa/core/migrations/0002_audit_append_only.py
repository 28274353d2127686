"""Audit rows are append-only in the database: triggers refuse UPDATE and DELETE (and
TRUNCATE on PostgreSQL) of ``core_auditevent``. See ``seonggwa.core.appendonly``."""

from django.db import migrations


def install(apps, schema_editor):
    from seonggwa.core import appendonly

    appendonly.install(schema_editor.connection)


def remove(apps, schema_editor):
    from seonggwa.core import appendonly

    appendonly.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
