"""Office pages mark an adverse decision from the framework document (재계약 배제,
지원 중단: ``badge exclude``, ``below``), never by comparing a code; totals are shown
with their framework's decimals; the decision filter's choices are the document's."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from appeals.factories import civic_round, platform_org, rating_entries
from django.urls import reverse
from evaluations.factories import draft_round, legacy_result, service

from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.domain import inputs, workflow
from seonggwa.evaluations.domain.frameworks import preset_version
from seonggwa.evaluations.domain.subjects import subject_for
from seonggwa.evaluations.models import Result, Scheme

BADGE = '<span class="badge exclude">'


@pytest.fixture
def officer_client(client, django_user_model):
    user = django_user_model.objects.create_user("officer", password="pw")
    Profile.objects.create(user=user, role=Role.OFFICER)
    client.force_login(user)
    return client


@pytest.fixture
def outsourcing(db):
    """Two services scored in 2024 (75-point policy): one below the line, one above."""
    rnd = draft_round(2024)
    low = workflow.record_result(service=service("svc-low", "낮은 사무"), round=rnd,
                                 score="70.5", actor_label="test")
    high = workflow.record_result(service=service("svc-high", "높은 사무"), round=rnd,
                                  score="88", actor_label="test")
    assert (low.decision_code, high.decision_code) == ("exclude", "eligible")
    return rnd, low, high


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, name: str) -> str:
    return next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if name in r)


def test_the_service_list_marks_the_adverse_decision(officer_client, outsourcing):
    html = page(officer_client, reverse("office:services"))
    low, high = row_of(html, "낮은 사무"), row_of(html, "높은 사무")
    assert f"{BADGE}재계약 배제</span>" in low and 'class="num below">70.50' in low
    assert BADGE not in high and "below" not in high and "88.00" in high


def test_the_service_list_filters_by_the_documents_decisions(officer_client, outsourcing):
    html = page(officer_client, reverse("office:services"))
    select = html.split('name="decision"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "exclude", "eligible",
                                                              "none"]
    assert "재계약 심의 가능" in select and "평가 결과 없음" in select
    html = page(officer_client, reverse("office:services"), decision="eligible")
    assert "높은 사무" in html and "낮은 사무" not in html
    officer_client.cookies["django_language"] = "en"
    select = page(officer_client, reverse("office:services")).split(
        'name="decision"', 1)[1].split("</select>", 1)[0]
    assert "Eligible for re-contract review" in select and "No evaluation result" in select


def test_the_service_and_result_pages_mark_the_adverse_decision(officer_client, outsourcing):
    _rnd, low, high = outsourcing
    html = page(officer_client, reverse("office:service", args=["svc-low"]))
    assert f"{BADGE}재계약 배제</span>" in html and 'class="num below">70.50' in html
    assert BADGE not in page(officer_client, reverse("office:service", args=["svc-high"]))
    assert f"{BADGE}재계약 배제</span>" in page(officer_client,
                                               reverse("office:result", args=[low.pk]))
    html = page(officer_client, reverse("office:result", args=[high.pk]))
    assert BADGE not in html and "재계약 심의 가능" in html


def test_the_round_page_marks_the_lowest_bands_decision(officer_client, db):
    rnd = civic_round()
    subjects = [subject_for("platform", platform_org(d)) for d in ("마포구", "종로구")]
    inputs.record_ratings(rnd, [e for s in subjects for e in rating_entries(s, value=1, q=0)],
                          actor_label="test")  # every rating the lowest: 미흡
    results = workflow.rescore(rnd, subjects, actor_label="test")
    assert {r.decision_code for r in results} == {"discontinue"}
    html = page(officer_client, reverse("office:round", args=[rnd.pk]))
    assert html.count(f"{BADGE}지원 중단</span>") == 2
    officer_client.cookies["django_language"] = "en"
    html = page(officer_client, reverse("office:round", args=[rnd.pk]))
    assert html.count(f"{BADGE}Support discontinued</span>") == 2


def test_the_what_if_page_marks_the_new_adverse_decision(officer_client, outsourcing):
    html = page(officer_client, reverse("office:what_if"), threshold="90")
    row = row_of(html, "높은 사무")
    assert "88.00" in row and f"{BADGE}재계약 배제</span>" in row
    assert "재계약 심의 가능" in row  # the stored decision, unmarked


def test_a_one_decimal_framework_shows_its_totals_with_one_decimal(officer_client, db):
    version = preset_version("seoul-sustainability-2019")  # rounding: decimals 1
    rnd = workflow.open_round(2019, None, scheme=Scheme.SUSTAINABILITY,
                              framework_version=version, actor_label="test")
    result = legacy_result(service("svc-s"), rnd, "87.5", status="draft")
    Result.objects.filter(pk=result.pk).update(framework_version=version)
    assert Result.objects.get(pk=result.pk).score == Decimal("87.50")
    html = page(officer_client, reverse("office:result", args=[result.pk]))
    assert "<strong>87.5</strong>" in html
    html = page(officer_client, reverse("office:round", args=[rnd.pk]))
    assert '<td class="num">87.5 <span class="note">' in html


def test_the_outsourcing_framework_keeps_two_decimals(officer_client, outsourcing):
    _rnd, low, _high = outsourcing
    html = page(officer_client, reverse("office:result", args=[low.pk]))
    assert "<strong>70.50</strong>" in html
