"""The audit table is append-only in the database itself, not only in the ORM.

Triggers refuse every ``UPDATE`` and ``DELETE`` of an audit row (and, on PostgreSQL,
``TRUNCATE`` of the table) with an integrity error, whoever sends the SQL: a raw
cursor, a bulk query that bypasses :class:`~seonggwa.core.models.AuditEvent`, a
database shell. Inserts are untouched.

- Installed by migration ``core 0002_audit_append_only`` and re-installed after every
  ``migrate`` (an SQLite table rebuild of the audit table would drop its triggers).
- Lifted only for a whole-database ``flush`` (``seonggwa.core`` overrides the command):
  emptying every table at once, as the test runner does between transactional tests, is
  a reset of the store, not an edit of the trail. See docs/decisions.md.
"""

from __future__ import annotations

from contextlib import contextmanager

TABLE = "core_auditevent"
MIGRATION = ("core", "0002_audit_append_only")
MESSAGE = "audit events are append-only"

_POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION seonggwa_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused on %', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"""
    CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION seonggwa_audit_append_only()
    """,
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"""
    CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION seonggwa_audit_append_only()
    """,
]
_POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS seonggwa_audit_append_only()",
]
_SQLITE_INSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"""
    CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused on {TABLE}'); END
    """,
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
    f"""
    CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused on {TABLE}'); END
    """,
]
_SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]

_STATEMENTS = {
    "postgresql": (_POSTGRESQL_INSTALL, _POSTGRESQL_REMOVE),
    "sqlite": (_SQLITE_INSTALL, _SQLITE_REMOVE),
}


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _statements(connection, which: int) -> list[str]:
    try:
        return _STATEMENTS[connection.vendor][which]
    except KeyError:
        raise NotImplementedError(
            f"no append-only guard for the {connection.vendor} database") from None


def install(connection) -> None:
    """Create (or re-create) the triggers; safe to call again."""
    _run(connection, _statements(connection, 0))


def remove(connection) -> None:
    _run(connection, _statements(connection, 1))


def is_installed(connection) -> bool:
    """Whether every trigger of the guard is present on ``connection``'s database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                           "AND NOT tgisinternal", [TABLE])
            expected = {f"{TABLE}_append_only", f"{TABLE}_no_truncate"}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = %s", [TABLE])
            expected = {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
        return expected <= {row[0] for row in cursor.fetchall()}


def guarded(connection) -> bool:
    """Whether this database should carry the guard: the audit table exists and the
    migration that installs the guard is applied."""
    from django.db.migrations.recorder import MigrationRecorder

    if TABLE not in connection.introspection.table_names():
        return False
    return MIGRATION in MigrationRecorder(connection).applied_migrations()


@contextmanager
def lifted(connection):
    """Run a whole-database reset with the guard down; it is put back afterwards even if
    the reset fails."""
    active = guarded(connection)
    if active:
        remove(connection)
    try:
        yield
    finally:
        if active:
            install(connection)


def reinstall_after_migrate(sender, using="default", **kwargs) -> None:
    """``post_migrate`` handler: a migration that rebuilt the audit table (SQLite rebuilds
    a table to alter it) dropped its triggers; put them back."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor in _STATEMENTS and guarded(connection):
        install(connection)
