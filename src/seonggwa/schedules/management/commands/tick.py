"""``seonggwa tick``: open and close the deadline windows whose day has come, and print
what changed. Cron runs it every few minutes; running it twice changes nothing more."""

from django.core.management.base import BaseCommand, CommandError

from seonggwa.schedules.domain.windows import tick
from seonggwa.schedules.tasks import start_chain

MAX_EVERY = 24 * 60


class Command(BaseCommand):
    help = ("Open and close deadline windows whose day has come (run from cron every few "
            "minutes), or with --every N start the sweep in the database task worker.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, metavar="MINUTES",
            help="instead of sweeping now, enqueue a sweep that repeats every MINUTES "
                 "minutes in the task worker (`seonggwa manage db_worker`); nothing is "
                 "enqueued when a sweep is already waiting")

    def handle(self, *args, every: int = 0, **options):
        if every:
            if not 1 <= every <= MAX_EVERY:
                raise CommandError(f"--every: expected 1 to {MAX_EVERY} minutes, not {every}")
            started = start_chain(every)
            self.stdout.write(f"sweep every {every} min: "
                              + ("enqueued" if started else "already waiting, not enqueued"))
            return
        report = tick()
        for line in report.lines():
            self.stdout.write(line)
