import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError

from seonggwa.accounts.models import Profile, Role, organisation_of, role_of
from seonggwa.registry.models import Organisation

pytestmark = pytest.mark.django_db


def _user(name, role=None, organisation=None, **extra):
    user = get_user_model().objects.create_user(name, password="x", **extra)
    if role:
        Profile.objects.create(user=user, role=role, organisation=organisation)
    return user


def test_anonymous_and_profileless_users_have_no_role():
    assert role_of(AnonymousUser()) is None
    assert role_of(_user("plain")) is None


def test_superusers_act_as_officers():
    assert role_of(_user("root", is_superuser=True)) == Role.OFFICER


def test_role_and_organisation_come_from_the_profile():
    dept = Organisation.objects.create(name="평생교육과", kind="department")
    user = _user("dept", Role.DEPARTMENT, dept)
    assert role_of(user) == Role.DEPARTMENT
    assert organisation_of(user) == dept


@pytest.mark.parametrize(
    ("role", "may_view", "may_manage"),
    [
        (None, False, False),
        (Role.OFFICER, True, True),
        (Role.DEPARTMENT, True, False),
        (Role.CONTRACTOR, True, False),
        (Role.EVALUATOR, True, False),
        (Role.COMMITTEE, True, False),
    ],
)
def test_office_permissions_by_role(role, may_view, may_manage):
    user = _user(f"u-{role}", role)
    assert user.has_perm("office.view_office") is may_view
    assert user.has_perm("office.manage_evaluations") is may_manage


def test_demo_users_are_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="SEONGGWA_DEBUG=1"):
        call_command("demo_users")
    assert not get_user_model().objects.exists()


def test_demo_users_give_one_account_per_role_linked_to_seoul_organisations(settings):
    settings.DEBUG = True
    call_command("load_seoul", verbosity=0)
    call_command("demo_users")
    call_command("demo_users")  # idempotent
    roles = {p.user.username: (p.role, p.organisation) for p in Profile.objects.all()}
    assert set(roles) == {"officer", "dept", "contractor", "evaluator", "committee"}
    assert roles["dept"][1].name == "평생교육과"
    assert roles["contractor"][1].name == "서울산업진흥원"
    assert get_user_model().objects.get(username="officer").check_password("seonggwa-demo")
