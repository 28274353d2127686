"""The office overview lists each user's next deadlines: their own subjects' (an
organisation), their assignments' (an evaluator), every one (an officer) — nobody else's."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse

from seonggwa.accounts.models import Profile, Role
from seonggwa.examples.civic_platform import load_civic_demo, load_civic_platform_2018
from seonggwa.registry.models import Organisation, OrganisationKind
from seonggwa.schedules.models import Window, WindowState

pytestmark = pytest.mark.django_db


@pytest.fixture
def civic():
    load_civic_platform_2018()
    with override_settings(DEBUG=True):
        load_civic_demo()  # 강서구 is left before its submission, due in the coming days


def _user(name: str, role: str, organisation=None) -> User:
    user = User.objects.create_user(name, password="x")
    Profile.objects.create(user=user, role=role, organisation=organisation)
    return user


def _overview(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("office:dashboard")).content.decode()
    return html[html.index('id="upcoming-title"'):html.index("</section>")] \
        if 'id="upcoming-title"' in html else ""


def _platform(district: str) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.PLATFORM, district=district)


def test_the_organisation_sees_its_own_next_deadline(client, civic):
    open_ = Window.objects.filter(subject__name__startswith="강서구",
                                  state__in=(WindowState.SCHEDULED, WindowState.OPEN))
    assert open_.exists()
    section = _overview(client, _user("gangseo-staff", Role.CONTRACTOR, _platform("강서구")))
    assert "강서구 시민협력플랫폼" in section
    assert "일 남음" in section or "오늘 마감" in section


def test_another_organisation_does_not_see_it(client, civic):
    section = _overview(client, _user("mapo-staff", Role.CONTRACTOR, _platform("마포구")))
    assert "강서구" not in section


def test_the_officer_sees_every_open_deadline(client, civic):
    section = _overview(client, _user("the-officer", Role.OFFICER))
    assert "강서구 시민협력플랫폼" in section
