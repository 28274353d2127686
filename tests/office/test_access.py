"""Every office page declares the permission it needs (``office.access.require``), and the
declaration is what is enforced: anonymous users go to the login page, signed-in users
without the permission get 403."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from seonggwa.accounts.models import Profile, Role
from seonggwa.office.access import DECLARED, Perm, require


def _patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def office_views():
    resolver = get_resolver()
    office = next(r for r in resolver.url_patterns
                  if isinstance(r, URLResolver) and r.namespace == "office")
    return list(_patterns(office.url_patterns))


def test_the_office_has_pages():
    assert len(office_views()) > 40


@pytest.mark.parametrize(("route", "pattern"), office_views(), ids=lambda v: str(v))
def test_every_office_view_declares_its_permission(route, pattern):
    declared = getattr(pattern.callback, DECLARED, None)
    assert isinstance(declared, Perm), f"{route} ({pattern.name}) declares no permission"


@pytest.mark.django_db
def test_the_declaration_is_enforced():
    @require(Perm.DAYS_OFF)
    def page(request):
        return "shown"

    factory = RequestFactory()
    request = factory.get("/office/x/")
    request.user = AnonymousUser()
    response = page(request)
    assert response.status_code == 302 and "/login" in response["Location"]

    clerk = User.objects.create_user("dept", password="x")
    Profile.objects.create(user=clerk, role=Role.DEPARTMENT)
    request.user = clerk
    with pytest.raises(PermissionDenied):
        page(request)

    officer = User.objects.create_user("officer", password="x")
    Profile.objects.create(user=officer, role=Role.OFFICER)
    request.user = officer
    assert page(request) == "shown"


def test_a_view_keeps_its_name_and_text():
    @require(Perm.OFFICE)
    def listing(request):
        """The list."""

    assert listing.__name__ == "listing" and listing.__doc__ == "The list."
