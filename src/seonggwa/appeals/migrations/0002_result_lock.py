"""A final result is locked in the database: triggers refuse changes to a locked result's
score, grade, decision and remark and its deletion, and keep the lock rows append-only.
See ``seonggwa.appeals.domain.dblock``."""

from django.db import migrations


def install(apps, schema_editor):
    from seonggwa.appeals.domain import dblock

    dblock.install(schema_editor.connection)


def remove(apps, schema_editor):
    from seonggwa.appeals.domain import dblock

    dblock.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("appeals", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
