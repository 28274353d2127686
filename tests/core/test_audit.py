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
