"""Shared set-up for the browser tests: Debian's Chromium driven by Playwright against
Django's live server, the Seoul data loaded, and the demo accounts (one per role) signed
in by session cookie."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command

from browser.helpers import ARGS, CHROMIUM, ROLES, end_request_thread_connections


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def seoul(transactional_db, live_server):
    call_command("load_seoul")


@pytest.fixture(scope="session", autouse=True)
def _end_live_server_sessions(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        end_request_thread_connections()


@pytest.fixture
def demo_users(seoul, settings):
    """The demo accounts of ``demo_users`` (the command runs only with DEBUG on)."""
    from django.contrib.auth import get_user_model

    from seonggwa.accounts.models import Profile

    settings.DEBUG = True
    call_command("demo_users", stdout=io.StringIO())
    settings.DEBUG = False
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[r for r in ROLES if r])}
    # With debug off (as here) demo accounts are refused; these stand for real accounts
    # of the same roles and organisations.
    if any(f.name == "is_demo" for f in Profile._meta.get_fields()):
        Profile.objects.filter(user__in=users.values()).update(is_demo=False)
    return users
