"""The change history on a result page speaks in words for every part of the process:
grades by their names, the lock and how the result became final — never the codes the
records are stored with (result.lock, locked, revised, good)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse

from seonggwa.accounts.models import Profile, Role
from seonggwa.appeals.models import ResultLock
from seonggwa.examples.civic_platform import load_civic_demo, load_civic_platform_2018

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_result():
    load_civic_platform_2018()
    with override_settings(DEBUG=True):
        load_civic_demo()
    lock = ResultLock.objects.select_related("result__round").order_by("pk").first()
    assert lock is not None, "the civic demo makes its released results final"
    return lock.result


def _history(client, result) -> str:
    officer = User.objects.create_user("trail-officer", password="x")
    Profile.objects.create(user=officer, role=Role.OFFICER)
    client.force_login(officer)
    response = client.get(reverse("office:result", args=[result.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("정정·이력"):] if "정정·이력" in html else html


def test_the_lock_and_its_outcome_are_said_in_words(client, locked_result):
    history = _history(client, locked_result)
    assert "잠금" in history
    assert "확정 경위" in history
    for code in ("result.lock", "locked", "lapsed", "upheld", "revised", "not_allowed"):
        assert not re.search(rf"\b{code}\b", history), code


def test_a_grade_is_named_by_the_framework_not_its_code(client, locked_result):
    framework = locked_result.round.framework_version.framework
    label = next(b.label for b in framework.bands if b.code == locked_result.band_code)
    history = _history(client, locked_result)
    assert label in history
    assert not re.search(rf">\s*{locked_result.band_code}\s*<", history)


def test_the_appeal_page_names_the_grade_in_its_history(client, locked_result):
    from seonggwa.appeals.models import Appeal

    appeal = Appeal.objects.get(result=locked_result)
    framework = locked_result.round.framework_version.framework
    label = next(b.label for b in framework.bands if b.code == locked_result.band_code)
    officer = User.objects.create_user("appeal-officer", password="x")
    Profile.objects.create(user=officer, role=Role.OFFICER)
    client.force_login(officer)
    html = client.get(reverse("office:appeals_case", args=[appeal.pk])).content.decode()
    history = html[html.index("변경 이력"):]
    assert label in history
    assert not re.search(rf"\b{locked_result.band_code}\b", history)


def test_the_result_page_shows_the_grade_by_its_name(client, locked_result):
    framework = locked_result.round.framework_version.framework
    label = next(b.label for b in framework.bands if b.code == locked_result.band_code)
    officer = User.objects.create_user("grade-officer", password="x")
    Profile.objects.create(user=officer, role=Role.OFFICER)
    client.force_login(officer)
    html = client.get(reverse("office:result", args=[locked_result.pk])).content.decode()
    summary = html[html.index("result-summary"):html.index("</table>")]
    assert "등급" in summary and label in summary
