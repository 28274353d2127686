"""Django on a throw-away database, for the benchmarks that load their own workload
through the domain functions (bench/sheets.py, bench/appeals.py, bench/schedules.py).

SQLite in a temporary folder, or — with ``--pg URL`` — a database ``<name>_bench_<part>``
next to the one the URL names, created for the run and dropped after it. Django's settings
are configured once per process, so each benchmark runs in its own (bench/run.py).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH_KEY = "bench-only-secret-key-never-used-to-serve-anyone-" + "x" * 20


def _setup(database_url: str | None, var_dir: str, environ: dict[str, str]) -> None:
    os.environ.update({"SEONGGWA_SECRET_KEY": BENCH_KEY, "SEONGGWA_DEBUG": "0",
                       "SEONGGWA_HTTPS": "0", "SEONGGWA_VAR_DIR": var_dir,
                       "DJANGO_SETTINGS_MODULE": "seonggwa.settings", **environ})
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _pg_database(url: str, part: str, *, create: bool) -> str:
    """Drop (and with ``create`` make again) the part's bench database; its URL."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'seonggwa'}_bench_{part}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def django_on_throwaway_database(part: str, pg: str | None,
                                 environ: dict[str, str] | None = None) -> Iterator[str]:
    """Configure Django on a fresh, migrated database for ``part`` (``environ``: settings
    of this benchmark, e.g. its e-mail backend); yields the store's name ("SQLite" or
    "PostgreSQL") and removes the database afterwards."""
    url = _pg_database(pg, part, create=True) if pg else None
    try:
        with tempfile.TemporaryDirectory(prefix=f"seonggwa-bench-{part}-") as var_dir:
            _setup(url, var_dir, environ or {})
            yield "PostgreSQL" if url else "SQLite"
            from django.db import connections

            connections.close_all()
    finally:
        if url:
            _pg_database(pg, part, create=False)


def peak_mib() -> float:
    """The process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
