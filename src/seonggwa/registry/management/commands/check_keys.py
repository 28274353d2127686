"""List stored service keys that break the key rule; exit status 1 if there are any.

    seonggwa manage check_keys [--database default]

Each line names the service (id, key as stored, name) and why its key is refused
(:func:`seonggwa.core.identifiers.key_problems`). Run it after an upgrade or a bulk load;
``seonggwa manage check --database default`` reports the same as system-check warnings.
"""

from django.core.management.base import BaseCommand, CommandError

from seonggwa.registry.checks import bad_service_keys


class Command(BaseCommand):
    help = "List stored service keys that cannot be used in an address (exit 1 if any)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default",
                            help="Database alias to check (default: 'default').")

    def handle(self, *args, database: str = "default", **options):
        bad = 0
        for pk, key, problems in bad_service_keys(database):
            bad += 1
            self.stdout.write(f"service {pk} {key!r}: {' '.join(problems)}")
        if bad:
            raise CommandError(f"{bad} service key(s) break the key rule.", returncode=1)
        self.stdout.write("service keys: all valid")
