"""The one guarded-action helper: a change under the version check, and every refusal —
someone else first, a domain refusal naming a field or not — shown the same way."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from evaluations.factories import service

from seonggwa.core import concurrency
from seonggwa.core.audit import record
from seonggwa.core.xlsx import WorkbookRefused
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.office.actions import attempt

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField()


def posted(version=None, **extra):
    data = {**extra}
    if version is not None:
        data["version"] = str(version)
    request = RequestFactory().post("/office/x/", data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_guarded_change_gets_the_locked_object_and_returns_its_value():
    svc = service("svc-9301")
    done = attempt(posted(concurrency.version_of(svc)), lambda fresh: fresh.key, svc)
    assert done.ok and done.value == "svc-9301" and done.fresh == svc


def test_someone_else_first_is_409_with_who_and_the_version_now():
    svc = service("svc-9302")
    loaded = concurrency.version_of(svc)
    record("registry.service.update", svc, actor_label="다른 담당자", after={"name": "x"})
    form = NameForm({"name": "새 이름"})
    form.is_valid()
    done = attempt(posted(loaded), lambda fresh: pytest.fail("ran"), svc, form=form)
    assert done.stale and done.status == 409
    assert done.version == concurrency.version_of(svc)
    assert "다른 담당자님이" in form.non_field_errors()[0]


def test_a_missing_version_is_refused_as_stale():
    svc = service("svc-9303")
    done = attempt(posted(), lambda fresh: None, svc)
    assert done.stale and "다시 불러온 뒤" in done.problems[0]


def test_a_creation_runs_without_a_version():
    assert attempt(posted(), lambda none: none is None).value is True


def test_a_refusal_naming_a_field_goes_beside_it():
    form = NameForm({"name": "x"})
    form.is_valid()

    def refuse(_none):
        raise ValidationError({"name": "이미 있는 이름입니다.", "other": "위에 보입니다."})

    done = attempt(posted(), refuse, form=form)
    assert done.status == 400
    assert form.errors["name"] == ["이미 있는 이름입니다."]
    assert form.non_field_errors() == ["위에 보입니다."]


def test_a_refusal_is_told_as_messages():
    request = posted()

    def refuse(_none):
        raise WorkflowError(["첫째 이유", "둘째 이유"])

    done = attempt(request, refuse, tell=True)
    assert done.problems == ["첫째 이유", "둘째 이유"] and done.joined() == "첫째 이유 둘째 이유"
    assert [str(m) for m in get_messages(request)] == ["첫째 이유", "둘째 이유"]


def test_other_refusals_and_conflicts_are_named_by_the_view():
    def unreadable(_none):
        raise WorkbookRefused("읽을 수 없는 파일입니다.")

    assert attempt(posted(), unreadable, refusals=(WorkbookRefused,)).problems == [
        "읽을 수 없는 파일입니다."]

    class Moved(WorkflowError):
        pass

    def moved(_none):
        raise Moved("그사이 바뀌었습니다.")

    assert attempt(posted(), moved, conflicts=(Moved,)).status == 409
    assert attempt(posted(), moved).status == 400


def test_anything_else_is_not_a_refusal():
    with pytest.raises(ZeroDivisionError):
        attempt(posted(), lambda _none: 1 / 0)
