"""The 2018 civic-platform example: what `make run` loads beside the outsourcing data."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from seonggwa.accounts.demo import DEMO_PASSWORD, DemoRefused
from seonggwa.accounts.models import Role, role_of
from seonggwa.core.models import AuditEvent
from seonggwa.data.seoul import civic_platform as civic_data
from seonggwa.evaluations.domain import civic_platform as civic
from seonggwa.evaluations.domain.scoring import framework_for
from seonggwa.evaluations.models import Round, Scheme, Subject, SubjectKind
from seonggwa.registry.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

PLAN = civic_data.load_civic_platform_2018()


@pytest.fixture
def example():
    civic.load_civic_platform_2018()
    return civic.civic_example()


@pytest.fixture
def demo(example, settings):
    settings.DEBUG = True
    civic.load_civic_demo()
    return example


def test_every_district_is_a_platform_organisation_and_subject(example):
    assert set(example.organisations) == {d.district for d in PLAN.districts}
    for district, org in example.organisations.items():
        assert (org.kind, org.district) == (OrganisationKind.PLATFORM, district)
        subject = example.subjects[district]
        assert (subject.kind, subject.target) == (SubjectKind.PLATFORM, org)
    assert Subject.objects.filter(kind=SubjectKind.PLATFORM).count() == len(PLAN.districts)


def test_three_rounds_under_the_civic_platform_preset(example):
    rounds = Round.objects.filter(scheme=Scheme.CIVIC_PLATFORM).order_by("number")
    assert [r.number for r in rounds] == [r.number for r in PLAN.rounds]
    for rnd, planned in zip(rounds, PLAN.rounds, strict=True):
        assert rnd.year.year == PLAN.year
        assert (rnd.framework_version.framework_id, rnd.framework_version.version) == (
            civic.PRESET, "2018")
        assert (rnd.start, rnd.end, rnd.period_text) == (
            planned.meetings_first, planned.meetings_last, planned.timing)
        assert framework_for(rnd).total == 200
    assert example.round_of("서대문구").number == 1


def test_loading_twice_changes_nothing(example):
    events = AuditEvent.objects.count()
    again = civic.load_civic_platform_2018()
    assert not any(again.created.values())
    assert "nothing (already loaded)" in again.summary()
    assert AuditEvent.objects.count() == events
    assert Organisation.objects.filter(kind=OrganisationKind.PLATFORM).count() == len(
        PLAN.districts)


def test_an_organisation_made_before_districts_existed_gets_its_district(db):
    org = Organisation.objects.create(kind=OrganisationKind.PLATFORM,
                                      name=civic.platform_name("마포구"))
    civic.load_civic_platform_2018()
    org.refresh_from_db()
    assert org.district == "마포구"
    assert AuditEvent.objects.filter(action="organisation.district",
                                     object_id=str(org.pk)).exists()


def test_demo_accounts_are_refused_with_debug_off(example, settings):
    settings.DEBUG = False
    with pytest.raises(DemoRefused):
        civic.load_civic_demo()
    assert not get_user_model().objects.exists()


def test_every_role_has_a_demo_account_acting_for_the_right_organisation(demo):
    users = {u.username: u for u in get_user_model().objects.select_related(
        "profile__organisation")}
    roles = {role_of(u) for u in users.values()}
    assert roles == {Role.OFFICER, Role.CONTRACTOR, Role.EVALUATOR, Role.COMMITTEE}
    for d in PLAN.districts:
        roman = civic.ROMAN[d.district]
        platform = users[f"platform-{roman}"]
        assert role_of(platform) == Role.CONTRACTOR
        assert platform.profile.organisation == demo.organisations[d.district]
        head = users[f"head-{roman}"]
        assert (role_of(head), head.profile.organisation) == (Role.EVALUATOR,
                                                              demo.organisations[d.district])
        official = users[f"district-{roman}"]
        assert official.profile.organisation.district == d.district
    assert all(u.profile.is_demo and u.check_password(DEMO_PASSWORD) for u in users.values())
    assert not any(u.is_staff or u.is_superuser for u in users.values())


def test_demo_accounts_are_disabled_again_when_debug_is_off(demo, settings):
    from seonggwa.accounts.demo import disable_demo_users

    settings.DEBUG = False
    assert disable_demo_users() == get_user_model().objects.count()
    assert not get_user_model().objects.filter(is_active=True).exists()


def test_a_real_account_with_a_demo_name_is_left_alone(example, settings):
    real = get_user_model().objects.create_user("platform-mapo", password="own-secret-123")
    settings.DEBUG = True
    civic.load_civic_demo()
    real.refresh_from_db()
    assert real.check_password("own-secret-123") and not hasattr(real, "profile")


def test_the_load_command_loads_the_example_and_the_demo_only_in_debug(db, settings):
    out = io.StringIO()
    call_command("load_seoul", stdout=out)
    assert "civic platform 2018: created:" in out.getvalue()
    assert Round.objects.filter(scheme=Scheme.CIVIC_PLATFORM).count() == len(PLAN.rounds)
    assert not get_user_model().objects.exists()
    settings.DEBUG = True
    call_command("load_seoul", stdout=out)
    assert "civic platform 2018 demo:" in out.getvalue()
    assert get_user_model().objects.filter(username="platform-seodaemun").exists()
