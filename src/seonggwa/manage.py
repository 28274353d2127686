"""``python -m seonggwa.manage <command>``: Django's manage.py for the installed package."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seonggwa.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["seonggwa-manage", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
