"""``flush`` empties every table at once; the audit table's append-only guard
(:mod:`seonggwa.core.appendonly`) is lifted for exactly that and put back afterwards, and
so are the database guards of other apps that declare one (an app config's
``lifted_for_flush(connection)`` context manager: appeals' result lock).

Django's test runner flushes the database between transactional tests (``DELETE`` on
SQLite, which the guard would refuse). Outside tests a flush is a deliberate reset of the
whole store, users included, never an edit of the trail; see docs/decisions.md.
"""

from contextlib import ExitStack

from django.apps import apps
from django.core.management.commands import flush
from django.db import connections

from seonggwa.core import appendonly


class Command(flush.Command):
    help = flush.Command.help + " The audit trail's append-only guard is lifted for the flush."

    def handle(self, **options):
        connection = connections[options["database"]]
        with ExitStack() as guards:
            guards.enter_context(appendonly.lifted(connection))
            for config in apps.get_app_configs():
                if hasattr(config, "lifted_for_flush"):
                    guards.enter_context(config.lifted_for_flush(connection))
            return super().handle(**options)
