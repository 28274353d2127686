"""The lock of a final result, enforced by the database itself, not only by the domain.

Once a result is final after its objection process it has a row in
``appeals_resultlock``. Triggers on ``evaluations_result`` then refuse, whoever sends the
SQL (a raw cursor, a bulk query, a database shell):

- an ``UPDATE`` that changes what the result says — score, unrounded total, scale,
  counted points, grade, decision, policy, remark, framework version, subject, round,
  decision time — or sets it back to draft. Publishing (status finalised → published)
  changes none of these and goes through.
- a ``DELETE`` of the result.

The lock rows themselves are append-only (``UPDATE`` and ``DELETE`` refused), so a lock
cannot be lifted to change a result behind it. The domain refuses first, with a reason a
person can read (:mod:`seonggwa.appeals.domain.guards`); the triggers are the promise that
no other code path can.

Installed by migration ``appeals 0002_result_lock``, re-installed after every ``migrate``
(SQLite rebuilds a table to alter it, dropping its triggers), and lifted only for a
whole-database ``flush`` as the audit guard is (:mod:`seonggwa.core.appendonly`).
"""

from __future__ import annotations

from contextlib import contextmanager

RESULTS = "evaluations_result"
LOCKS = "appeals_resultlock"
MIGRATION = ("appeals", "0002_result_lock")
MESSAGE = "result is final and locked after its objection process"

#: Columns of a result whose change a lock refuses.
PROTECTED = ("score", "raw_total", "scale_max", "counted_max", "band_code", "decision_code",
             "policy_id", "remark", "framework_version_id", "subject_id", "round_id",
             "decided_at")

_PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in PROTECTED)
_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in PROTECTED)
_LOCKED = f"EXISTS (SELECT 1 FROM {LOCKS} WHERE result_id = OLD.id)"

_POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION seonggwa_result_locked() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF {_LOCKED} THEN
                RAISE EXCEPTION '{MESSAGE}: DELETE of result % refused', OLD.id
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN OLD;
        END IF;
        IF ({_PG_CHANGED} OR NEW.status = 'draft') AND {_LOCKED} THEN
            RAISE EXCEPTION '{MESSAGE}: UPDATE of result % refused', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS {RESULTS}_appeal_lock ON {RESULTS}",
    f"""
    CREATE TRIGGER {RESULTS}_appeal_lock BEFORE UPDATE OR DELETE ON {RESULTS}
    FOR EACH ROW EXECUTE FUNCTION seonggwa_result_locked()
    """,
    f"""
    CREATE OR REPLACE FUNCTION seonggwa_result_lock_kept() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % of its lock refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS {LOCKS}_kept ON {LOCKS}",
    f"""
    CREATE TRIGGER {LOCKS}_kept BEFORE UPDATE OR DELETE ON {LOCKS}
    FOR EACH ROW EXECUTE FUNCTION seonggwa_result_lock_kept()
    """,
]
_POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS {RESULTS}_appeal_lock ON {RESULTS}",
    f"DROP TRIGGER IF EXISTS {LOCKS}_kept ON {LOCKS}",
    "DROP FUNCTION IF EXISTS seonggwa_result_locked()",
    "DROP FUNCTION IF EXISTS seonggwa_result_lock_kept()",
]
_SQLITE_TRIGGERS = {
    f"{RESULTS}_appeal_lock_update": (
        f"BEFORE UPDATE ON {RESULTS} WHEN {_LOCKED} AND ({_SQLITE_CHANGED} "
        f"OR NEW.status = 'draft')", f"UPDATE refused on {RESULTS}"),
    f"{RESULTS}_appeal_lock_delete": (
        f"BEFORE DELETE ON {RESULTS} WHEN {_LOCKED}", f"DELETE refused on {RESULTS}"),
    f"{LOCKS}_no_update": (f"BEFORE UPDATE ON {LOCKS}", f"UPDATE refused on {LOCKS}"),
    f"{LOCKS}_no_delete": (f"BEFORE DELETE ON {LOCKS}", f"DELETE refused on {LOCKS}"),
}
_SQLITE_INSTALL = [
    sql for name, (when, what) in _SQLITE_TRIGGERS.items() for sql in (
        f"DROP TRIGGER IF EXISTS {name}",
        f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {what}'); END",
    )
]
_SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS]

_STATEMENTS = {
    "postgresql": (_POSTGRESQL_INSTALL, _POSTGRESQL_REMOVE),
    "sqlite": (_SQLITE_INSTALL, _SQLITE_REMOVE),
}
_EXPECTED = {
    "postgresql": {f"{RESULTS}_appeal_lock", f"{LOCKS}_kept"},
    "sqlite": set(_SQLITE_TRIGGERS),
}


def _run(connection, which: int) -> None:
    try:
        statements = _STATEMENTS[connection.vendor][which]
    except KeyError:
        raise NotImplementedError(
            f"no result lock for the {connection.vendor} database") from None
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection) -> None:
    """Create (or re-create) the triggers; safe to call again."""
    _run(connection, 0)


def remove(connection) -> None:
    _run(connection, 1)


def is_installed(connection) -> bool:
    """Whether every trigger of the lock is present on ``connection``'s database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                           "AND tgrelid IN (%s::regclass, %s::regclass)", [RESULTS, LOCKS])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name IN (%s, %s)", [RESULTS, LOCKS])
        return _EXPECTED[connection.vendor] <= {row[0] for row in cursor.fetchall()}


def guarded(connection) -> bool:
    """Whether this database should carry the lock: both tables exist and the migration
    that installs it is applied."""
    from django.db.migrations.recorder import MigrationRecorder

    tables = set(connection.introspection.table_names())
    if not {RESULTS, LOCKS} <= tables:
        return False
    return MIGRATION in MigrationRecorder(connection).applied_migrations()


@contextmanager
def lifted(connection):
    """Run a whole-database reset (``flush``) with the lock down; put back afterwards,
    even if the reset fails."""
    active = connection.vendor in _STATEMENTS and guarded(connection)
    if active:
        remove(connection)
    try:
        yield
    finally:
        if active:
            install(connection)


def reinstall_after_migrate(sender, using="default", **kwargs) -> None:
    """``post_migrate`` handler: put the triggers back after a table rebuild."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor in _STATEMENTS and guarded(connection):
        install(connection)
