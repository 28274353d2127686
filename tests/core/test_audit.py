import pytest
from django.contrib.auth import get_user_model

from seonggwa.core import audit
from seonggwa.core.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return get_user_model().objects.create_user("officer1", password="x")


def test_record_keeps_who_what_before_after_and_why(officer):
    event = audit.record(
        "result.amend", officer, actor=officer,
        before={"score": "74.99"}, after={"score": "75.10"}, reason="평가위원회 재심의",
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == officer
    assert stored.actor_label == "officer1"
    assert stored.before == {"score": "74.99"}
    assert stored.after == {"score": "75.10"}
    assert stored.reason == "평가위원회 재심의"
    assert list(AuditEvent.objects.for_object(officer)) == [stored]


def test_system_jobs_are_named_in_the_trail(officer):
    event = audit.record("load", officer, actor_label="load_seoul")
    assert event.actor is None and event.actor_label == "load_seoul"


def test_audit_events_cannot_be_rewritten_or_deleted(officer):
    event = audit.record("x", officer, actor=officer)
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(reason="x")
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


# --- the database refuses it too, whatever SQL is sent ----------------------------------

def _raw(sql, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def test_the_database_refuses_raw_update_and_delete_of_audit_rows(officer):
    from django.db import IntegrityError, transaction

    event = audit.record("result.amend", officer, actor=officer, reason="원래 사유")
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET reason = %s WHERE id = %s",
                f"DELETE FROM {table} WHERE id = %s"):
        params = ("고친 사유", event.pk) if sql.startswith("UPDATE") else (event.pk,)
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            _raw(sql, params)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _raw(f"DELETE FROM {table}")
    assert AuditEvent.objects.get(pk=event.pk).reason == "원래 사유"


def test_the_database_refuses_truncate_of_the_trail_on_postgresql(officer):
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE is refused above")
    audit.record("x", officer)
    _raw("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks to block TRUNCATE
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _raw(f"TRUNCATE {AuditEvent._meta.db_table} CASCADE")
    assert AuditEvent.objects.count() == 1


def test_raw_inserts_still_append(officer):
    table = AuditEvent._meta.db_table
    columns = "at, actor_label, action, object_type, object_id, object_repr, reason"
    now = "CURRENT_TIMESTAMP"
    _raw(f"INSERT INTO {table} ({columns}) VALUES ({now}, %s, %s, %s, %s, %s, %s)",
         ("loader", "load", "auth.user", str(officer.pk), "officer1", "적재"))
    audit.record("x", officer, actor=officer)
    assert AuditEvent.objects.count() == 2


def test_the_guard_survives_migrate():
    """``migrate`` (also after a migration that rebuilds the table on SQLite) leaves the
    triggers in place."""
    from django.core.management import call_command
    from django.db import connection

    from seonggwa.core import appendonly

    assert appendonly.is_installed(connection)
    call_command("migrate", verbosity=0)
    assert appendonly.is_installed(connection)


@pytest.mark.django_db(transaction=True)
def test_a_whole_database_flush_still_empties_the_trail_and_restores_the_guard():
    """The test runner flushes between transactional tests (DELETE on SQLite, TRUNCATE on
    PostgreSQL): that reset works, and the guard is back afterwards."""
    from django.core.management import call_command
    from django.db import connection

    from seonggwa.core import appendonly

    user = get_user_model().objects.create_user("flushed", password="x")
    audit.record("x", user, actor=user)
    call_command("flush", verbosity=0, interactive=False)
    assert AuditEvent.objects.count() == 0
    assert appendonly.is_installed(connection)
