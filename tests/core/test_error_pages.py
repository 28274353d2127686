"""Error pages as a visitor meets them with debug off: in Korean (English on request),
inside the site's frame, with links to go on from there. The 500 page renders with
neither a request nor the database, since either may be what failed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.template import loader
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path
from django.views import defaults

from seonggwa.accounts.models import Profile, Role

pytestmark = pytest.mark.django_db


def _broken(request):
    raise RuntimeError("a bug")


# A URL configuration for the 500 test: the site's own, plus one view that fails.
urlpatterns = [
    path("broken/", _broken),
    path("", include("seonggwa.urls")),
]


def links_of(html: str) -> list[str]:
    import re

    return re.findall(r'href="([^"]+)"', html)


@override_settings(DEBUG=False)
def test_404_in_korean_with_the_site_menu_and_ways_on(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    assert '<html lang="ko">' in html
    assert "<h1>페이지를 찾을 수 없습니다</h1>" in html
    assert {"/", "/results/", "/open-data/", "/accounts/login/"} <= set(links_of(html))
    assert 'id="lang-select"' in html  # the language menu is there too


@override_settings(DEBUG=False)
def test_404_in_english(client):
    client.cookies["django_language"] = "en"
    html = client.get("/no-such-page/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Page not found</h1>" in html


@override_settings(DEBUG=False)
def test_403_for_a_signed_in_user_without_the_role(client):
    user = User.objects.create_user("dept", password="pw")
    Profile.objects.create(user=user, role=Role.DEPARTMENT)
    client.force_login(user)
    response = client.get("/office/xlsx/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>이 페이지를 볼 권한이 없습니다</h1>" in html
    assert "평가담당관에게 권한을 요청" in html
    assert {"/", "/office/"} <= set(links_of(html))
    assert "/accounts/login/" not in links_of(html)


@override_settings(DEBUG=False)
def test_403_for_a_failed_csrf_check_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>요청을 확인할 수 없습니다</h1>" in html
    assert "새로 고친 뒤 다시 보내" in html
    assert "/" in links_of(html)


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_500_in_korean_with_ways_on():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>일시적인 오류가 발생했습니다</h1>" in html
    assert {"/", "/results/", "/office/"} <= set(links_of(html))
    assert '<link rel="stylesheet" href="/static/seonggwa/site.css">' in html


def test_500_renders_without_a_request_or_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
        response = defaults.server_error(RequestFactory().get("/"))
    assert "일시적인 오류가 발생했습니다" in html
    assert response.status_code == 500
    assert "csrfmiddlewaretoken" not in html and "<form" not in html
