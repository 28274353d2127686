"""The submission pages show no developer text (codes, file names, English sentences) to
any viewer, in Korean or English — the site-wide scan's rule applied to these pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from test_no_developer_text import developer_text

from seonggwa.submissions.domain import submitting
from submissions.conftest import DUE
from submissions.files import pdf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ko", "en"])
def test_submission_pages_speak_to_people(world, media, language):
    w = world
    submitting.upload(w.round, w.ours, "result_report", name="result_report.pdf", data=pdf(),
                      actor=w.users["officer"], today=DUE)
    submitting.upload(w.round, w.ours, "result_report", name="보고서.pdf", data=pdf(),
                      actor=w.users["officer"], today=DUE.replace(day=25), reason="공문 접수")
    pages = [reverse("office:submissions_index"),
             reverse("office:submissions_round", args=[w.round.pk]),
             reverse("office:submissions_subject", args=[w.round.pk, w.ours.pk]),
             reverse("office:submissions_subject", args=[w.round.pk, w.theirs.pk]),
             reverse("office:submissions_history", args=[w.round.pk])]
    problems, shown = [], 0
    for who, user in w.users.items():
        if who == "anonymous":
            continue
        c = Client()
        c.force_login(user)
        c.cookies["django_language"] = language
        for url in pages:
            with translation.override(language):
                response = c.get(url, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code != 200:
                continue
            shown += 1
            problems += [f"{url} ({who}): {p}" for p in developer_text(
                response.content.decode(), korean=language == "ko")
                if "result_report.pdf" not in p]  # the name the user gave the file
    assert shown >= 12
    assert problems == []
