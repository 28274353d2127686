"""Helpers of the browser tests (fixtures are in conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

#: Marks of every browser test module: ``pytestmark = BROWSER``.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"Debian's Chromium is not installed at {CHROMIUM} "
                              "(apt-get install chromium)"),
]

#: Demo accounts (``demo_users`` command) and the anonymous citizen (None).
ROLES = ["officer", "dept", "contractor", "evaluator", "committee", None]

#: Screenshots go here (a temporary folder unless SEONGGWA_SCREENSHOTS names one).
SCREENSHOTS = Path(os.environ.get("SEONGGWA_SCREENSHOTS", "/tmp/seonggwa-screenshots"))


def end_request_thread_connections():
    """The live server answers each request in a thread of its own; a thread that the
    browser's kept-alive download connection still holds keeps its PostgreSQL session, and
    the test database could not be dropped at the end of the run. End those sessions —
    only once every test is done: Playwright's greenlets give a test's body and its
    fixtures different Django connections, so ending "the others" after one test would
    end the connection the next test's body goes on using."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def new_context(browser, live_server, user=None, *, language="ko", width=1280, height=900):
    """A browser context signed in as ``user`` (None: an anonymous citizen) that shows the
    site in ``language`` at ``width`` CSS pixels."""
    from django.conf import settings
    from django.test import Client

    context = browser.new_context(locale="ko-KR" if language == "ko" else "en-US",
                                  viewport={"width": width, "height": height},
                                  accept_downloads=True)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host,
                "path": "/"}]
    if user is not None:
        from django.contrib.auth.backends import ModelBackend
        from django.utils.module_loading import import_string

        backend = next(path for path in settings.AUTHENTICATION_BACKENDS
                       if issubclass(import_string(path), ModelBackend))
        client = Client()
        client.force_login(user, backend=backend)
        cookies.append({"name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "domain": host, "path": "/"})
    context.add_cookies(cookies)
    return context


def portal_pages() -> list[tuple[str, str]]:
    """(name, path) of every public page, with a year and a service that have data."""
    from django.urls import reverse

    from seonggwa.evaluations.models import Result

    result = (Result.objects.published().outsourcing().filter(service__isnull=False)
              .select_related("service", "round__year").order_by("-round__year__year", "seq")
              .first())
    return [
        ("portal-home", reverse("portal:home")),
        ("portal-results", reverse("portal:results")),
        ("portal-year", reverse("portal:year", args=[result.round.year.year])),
        ("portal-service", reverse("portal:service", args=[result.service.key])),
        ("portal-open-data", reverse("portal:open_data")),
    ]


def office_pages(user) -> list[tuple[str, str]]:
    """(name, path) of every office page ``user`` may open (the others answer 403)."""
    from django.urls import reverse

    from seonggwa.access.policy import visible_results, visible_rounds, visible_services
    from seonggwa.evaluations.models import EvaluationYear, Result, Round, Status

    pages = [("dashboard", reverse("office:dashboard")),
             ("services", reverse("office:services"))]
    service = (visible_services(user).filter(
        pk__in=visible_results(user, Result.objects.all()).values("service"))
        .order_by("key").first() or visible_services(user).order_by("key").first())
    if service is not None:
        pages.append(("service", reverse("office:service", args=[service.key])))
    pages.append(("rounds", reverse("office:rounds")))
    rounds = visible_rounds(user, Round.objects.all()).order_by("-year__year", "-number")
    rnd = rounds.first()
    if rnd is not None:
        pages.append(("round", reverse("office:round", args=[rnd.pk])))
    published_round = rounds.filter(status=Status.PUBLISHED).first()
    if published_round not in (None, rnd):
        pages.append(("round-published", reverse("office:round", args=[published_round.pk])))
    if user.has_perm("office.manage_evaluations"):
        # The confirmation pages of a draft round's 확정 (finalise).
        draft_round = rounds.filter(status=Status.DRAFT).first()
        if draft_round is not None:
            pages.append(("round-finalise", reverse("office:round_transition",
                                                    args=[draft_round.pk, "finalise"])))
    results = visible_results(user, Result.objects.outsourcing()).order_by(
        "-round__year__year", "-round__number", "seq")
    latest, published = results.first(), results.filter(status=Status.PUBLISHED).first()
    for name, result in (("result", latest), ("result-published", published)):
        if result is not None and not (name == "result-published" and result == latest):
            pages.append((name, reverse("office:result", args=[result.pk])))
    if user.has_perm("evaluations.run_what_if"):
        pages += [("what-if", reverse("office:what_if")),
                  ("what-if-75", reverse("office:what_if") + "?threshold=75")]
    if user.has_perm("office.manage_evaluations"):
        year = EvaluationYear.objects.order_by("-year").values_list("year", flat=True).first()
        pages += [("assignments", reverse("office:assignments")),
                  ("assignment-round", reverse("office:assignment_round", args=[rnd.pk])),
                  ("due-index", reverse("office:due_index")),
                  ("due", reverse("office:due", args=[year])),
                  ("xlsx", reverse("office:transfer"))]
    if user.has_perm("registry.change_service"):
        pages += [("registry-xlsx", reverse("office:registry_transfer")),
                  ("service-new", reverse("office:service_new"))]
        if service is not None:
            pages.append(("service-record",
                          reverse("office:service_record", args=[service.key])))
    return pages


def forbidden_office_pages(user) -> list[tuple[str, str]]:
    """Office pages of other roles: ``user`` is refused them (403)."""
    from django.urls import reverse

    own = {path.split("?")[0] for _, path in office_pages(user)}
    every = [("what-if", reverse("office:what_if")),
             ("assignments", reverse("office:assignments")),
             ("due-index", reverse("office:due_index")),
             ("xlsx", reverse("office:transfer")),
             ("registry-xlsx", reverse("office:registry_transfer"))]
    return [(n, p) for n, p in every if p not in own]


def add_draft_work(users) -> None:
    """A draft round (2025) with a draft result of a Seoul service, assigned to the
    evaluator and the committee demo accounts: the pages then show drafts as well."""
    from seonggwa.evaluations.domain import workflow
    from seonggwa.evaluations.models import Assignment, Result
    from seonggwa.registry.models import Service

    rnd = workflow.open_round(2025, 1, actor_label="test")
    service = Service.objects.filter(
        pk__in=Result.objects.published().values("service")).order_by("key").first()
    workflow.record_result(service=service, round=rnd, score="71.5", actor_label="test")
    for username in ("evaluator", "committee"):
        Assignment.objects.create(user=users[username], round=rnd)
