"""Public pages mark an adverse decision from the framework document (``badge exclude``,
``below``), label it in the page's language and show each total as published."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from evaluations.factories import draft_round, service

from seonggwa.evaluations.domain import workflow

BADGE = '<span class="badge exclude">'


@pytest.fixture
def published(db):
    """Two services published in 2024 (75-point policy): one below the line."""
    rnd = draft_round(2024)
    rows = [workflow.PublishedTotal(service=service("svc-low", "낮은 사무"), score="70.5"),
            workflow.PublishedTotal(service=service("svc-high", "높은 사무"), score="88")]
    results = workflow.record_results(rnd, rows, actor_label="test")
    workflow.finalise_round(rnd, actor_label="test")
    workflow.publish_round(rnd, actor_label="test")
    return results


def row_of(html: str, name: str) -> str:
    return next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if name in r)


@pytest.mark.parametrize("url", [reverse("portal:results"),
                                 reverse("portal:year", args=[2024])])
def test_the_results_tables_mark_the_adverse_decision(client, published, url):
    html = client.get(url).content.decode()
    low, high = row_of(html, "낮은 사무"), row_of(html, "높은 사무")
    assert 'class="num below">70.50' in low and f"{BADGE}재계약 배제</span>" in low
    assert BADGE not in high and "below" not in high and "88.00" in high


def test_the_service_page_marks_the_adverse_decision_in_either_language(client, published):
    url = reverse("portal:service", args=["svc-low"])
    html = client.get(url).content.decode()
    assert 'class="num below">70.50' in html and f"{BADGE}재계약 배제</span>" in html
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert f"{BADGE}Excluded from re-contract</span>" in html
    html = client.get(reverse("portal:service", args=["svc-high"])).content.decode()
    assert BADGE not in html and "Eligible for re-contract review" in html
