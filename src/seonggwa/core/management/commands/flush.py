"""``flush`` empties every table at once; the audit table's append-only guard
(:mod:`seonggwa.core.appendonly`) is lifted for exactly that and put back afterwards.

Django's test runner flushes the database between transactional tests (``DELETE`` on
SQLite, which the guard would refuse). Outside tests a flush is a deliberate reset of the
whole store, users included, never an edit of the trail; see docs/decisions.md.
"""

from django.core.management.commands import flush
from django.db import connections

from seonggwa.core import appendonly


class Command(flush.Command):
    help = flush.Command.help + " The audit trail's append-only guard is lifted for the flush."

    def handle(self, **options):
        with appendonly.lifted(connections[options["database"]]):
            return super().handle(**options)
