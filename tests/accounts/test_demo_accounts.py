"""Demo accounts exist for local use only: with debug off they are disabled at start-up
(after every migrate, and when `seonggwa serve`/`run` start) and refused at login."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from seonggwa.accounts.demo import DEMO_PASSWORD, disable_demo_users
from seonggwa.accounts.models import Profile, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("demo_users", verbosity=0)
    return settings


def _authenticate(username, password):
    return authenticate(RequestFactory().post("/accounts/login/"), username=username,
                        password=password)


def test_demo_accounts_are_flagged(demo):
    flagged = set(Profile.objects.filter(is_demo=True).values_list("user__username", flat=True))
    assert flagged == {"officer", "dept", "contractor", "evaluator", "committee"}
    assert _authenticate("officer", DEMO_PASSWORD) is not None  # debug on: usable locally


def test_with_debug_off_demo_accounts_cannot_log_in_even_before_being_disabled(demo):
    demo.DEBUG = False
    assert _authenticate("officer", DEMO_PASSWORD) is None
    real = get_user_model().objects.create_user("park", password="a real password 1")
    Profile.objects.create(user=real, role=Role.OFFICER)
    assert _authenticate("park", "a real password 1") == real


def test_disable_deactivates_every_demo_account_and_removes_its_password(demo):
    assert disable_demo_users() == 0  # debug on: left alone
    demo.DEBUG = False
    assert disable_demo_users() == 5
    for user in get_user_model().objects.filter(profile__is_demo=True):
        assert not user.is_active
        assert not user.has_usable_password()
    assert disable_demo_users() == 0


def test_migrate_with_debug_off_disables_demo_accounts(demo):
    demo.DEBUG = False
    call_command("migrate", verbosity=0)
    assert not get_user_model().objects.filter(profile__is_demo=True, is_active=True).exists()


def test_demo_users_again_in_debug_restores_them_for_local_use(demo):
    demo.DEBUG = False
    disable_demo_users()
    demo.DEBUG = True
    call_command("demo_users", verbosity=0)
    assert _authenticate("officer", DEMO_PASSWORD) is not None


def test_demo_users_leaves_a_real_account_of_the_same_name_alone(settings):
    real = get_user_model().objects.create_user("officer", password="a real password 1")
    Profile.objects.create(user=real, role=Role.DEPARTMENT)
    settings.DEBUG = True
    call_command("demo_users", verbosity=0, stderr=open("/dev/null", "w"))  # noqa: SIM115
    real.refresh_from_db()
    assert real.check_password("a real password 1")
    assert not real.profile.is_demo and real.profile.role == Role.DEPARTMENT


def test_accounts_made_before_the_flag_are_recognised_by_name_and_demo_password():
    migration = importlib.import_module("seonggwa.accounts.migrations.0002_profile_is_demo")
    old = get_user_model().objects.create_user("dept", password=DEMO_PASSWORD)
    Profile.objects.create(user=old, role=Role.DEPARTMENT)
    changed = get_user_model().objects.create_user("evaluator", password="changed since")
    Profile.objects.create(user=changed, role=Role.EVALUATOR)
    migration.flag_existing_demo_accounts(apps, SimpleNamespace(connection=connection))
    assert Profile.objects.get(user=old).is_demo
    assert not Profile.objects.get(user=changed).is_demo
