"""``seonggwa run``: migrate, load the built-in Seoul data, serve the web app.

The embedded default: SQLite under var/, the Seoul data loaded, http://127.0.0.1:8000.
"""

from __future__ import annotations

import os


def run(host: str = "127.0.0.1", port: int = 8000, load: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seonggwa.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    if load:
        call_command("load_seoul")
    if settings.DEBUG:
        call_command("demo_users")
    else:
        call_command("collectstatic", interactive=False, verbosity=0)
    print(f"seonggwa: serving on http://{host}:{port}/")
    call_command("runserver", f"{host}:{port}", use_reloader=False)
