"""Computing a round whose results are partly released (sheets × appeals): the round-wide
computation scores only the results still being prepared and names the others with the
reason, instead of failing on the appeals' refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from appeals.factories import a_monday, officer, platform_org, rating_entries, scored_round, user
from django.test import Client
from django.urls import reverse

from seonggwa.accounts.models import Role
from seonggwa.appeals.domain import process
from seonggwa.appeals.models import Appeal, AppealState
from seonggwa.evaluations.domain import inputs
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.subjects import subject_for
from seonggwa.evaluations.models import Result, Status
from seonggwa.sheets.domain import scoring


class World:
    pass


@pytest.fixture
def world(db, settings, tmp_path):
    """마포구 objected, 은평구 notified, 종로구 final after its window lapsed, 강서구 scored
    after the release (pending), 성북구 rated but never computed."""
    settings.MEDIA_ROOT = tmp_path / "media"
    w = World()
    w.day = a_monday()
    w.officer = officer()
    w.round, _results = scored_round(("마포구", "은평구", "종로구"))
    process.release(w.round, expected=3, actor=w.officer, today=w.day)
    appeals = {a.result.subject.name: a for a in Appeal.objects.select_related("result__subject")}
    mapo_user = user("mapo", Role.CONTRACTOR, platform_org("마포구"))
    process.file_objection(appeals["마포구 시민협력플랫폼"], mapo_user, "G2 점수에 이의가 있습니다.",
                           (), today=w.day + timedelta(days=1))
    process.lapse([appeals["종로구 시민협력플랫폼"]], today=w.day + timedelta(days=40))
    scored_round(("강서구",), value=3, rnd=w.round)
    w.seongbuk = subject_for("platform", platform_org("성북구"))
    inputs.record_ratings(w.round, rating_entries(w.seongbuk), actor_label="test")
    w.released = _released(w)
    assert {s for s, _score, _decided in w.released.values()} == {Status.DRAFT,
                                                                  Status.FINALISED}
    return w


def _released(w) -> dict:
    """The released results as stored: subject name -> (status, score, decided at)."""
    return {r.subject.name: (r.status, r.score, r.decided_at)
            for r in Result.objects.filter(appeal__isnull=False).select_related("subject")}


def _unchanged(w) -> bool:
    return _released(w) == w.released


def test_the_round_is_computed_except_results_released_objected_or_final(world):
    computed = scoring.compute_round(world.round, actor=world.officer)
    assert sorted(r.subject.name for r in computed.results) == [
        "강서구 시민협력플랫폼", "성북구 시민협력플랫폼"]
    assert all(r.status == Status.DRAFT for r in computed.results)
    why = {h.subject.name: h.why for h in computed.left_out}
    assert list(why) == ["마포구 시민협력플랫폼", "은평구 시민협력플랫폼", "종로구 시민협력플랫폼"]
    assert "이의신청이 접수되었습니다" in why["마포구 시민협력플랫폼"]
    assert "2018-06-25에 결과가 통보되어 이의신청 기간 중" in why["은평구 시민협력플랫폼"]
    assert "최종 확정되어 잠겼습니다" in why["종로구 시민협력플랫폼"]
    assert _unchanged(world)
    states = set(Appeal.objects.values_list("state", flat=True))
    assert states == {AppealState.OBJECTED, AppealState.NOTIFIED, AppealState.FINAL}


def test_the_held_back_results_are_found_in_one_query(world, django_assert_num_queries):
    subjects = [r.subject for r in Result.objects.filter(round=world.round)
                .select_related("subject")]
    with django_assert_num_queries(1):
        held = scoring.held_back(world.round, subjects)
    assert len(held) == 3


def test_one_objected_subject_is_refused_with_its_reason(world):
    mapo = Result.objects.get(subject__name="마포구 시민협력플랫폼").subject
    with pytest.raises(WorkflowError, match="평가단 재심의에서만 바뀝니다"):
        scoring.compute(world.round, [mapo], actor=world.officer)
    assert _unchanged(world)


def _compute_page(w, data=None):
    c = Client()
    c.force_login(w.officer)
    page = c.get(reverse("office:sheets_round", args=[w.round.pk])).content.decode()
    marker = 'name="version" value="'
    start = page.index(marker) + len(marker)
    return c.post(reverse("office:sheets_compute", args=[w.round.pk]),
                  {"version": page[start:page.index('"', start)], **(data or {})}, follow=True)


def test_the_compute_page_says_which_subjects_were_left_out_and_why(world):
    response = _compute_page(world)
    html = response.content.decode()
    assert response.status_code == 200
    assert "결과 2건을 계산했습니다" in html
    assert "계산하지 않은 평가 대상 3곳" in html
    for text in ("마포구 시민협력플랫폼", "이의신청이 접수되었습니다", "이의신청 기간 중",
                 "최종 확정되어 잠겼습니다"):
        assert text in html, text
    assert Result.objects.get(subject=world.seongbuk).status == Status.DRAFT
    assert _unchanged(world)


def test_computing_one_notified_subject_from_the_page_is_refused_with_the_reason(world):
    eunpyeong = Result.objects.get(subject__name="은평구 시민협력플랫폼").subject
    html = _compute_page(world, {"subject": str(eunpyeong.pk)}).content.decode()
    assert "이의신청 기간 중" in html and "계산했습니다" not in html
    assert _unchanged(world)


def test_a_round_whose_results_are_all_released_is_left_as_it_is_and_says_why(world):
    scoring.compute_round(world.round, actor=world.officer)
    process.release(world.round, expected=2, actor=world.officer, today=world.day)
    world.released = _released(world)
    html = _compute_page(world).content.decode()
    assert "계산하지 않은 평가 대상 5곳" in html and "계산했습니다" not in html
    assert _unchanged(world)


def test_the_progress_page_offers_compute_only_where_it_can_happen(world):
    client = Client()
    client.force_login(world.officer)
    html = client.get(reverse("office:sheets_round", args=[world.round.pk])).content.decode()
    rows = {name: html[html.index(name):][:html[html.index(name):].find("</tr>")]
            for name in ("은평구 시민협력플랫폼", "마포구 시민협력플랫폼", "성북구 시민협력플랫폼")}
    assert "이의신청 기간 중" in rows["은평구 시민협력플랫폼"]
    assert 'name="subject"' not in rows["은평구 시민협력플랫폼"]
    assert "이의신청이 접수되었습니다" in rows["마포구 시민협력플랫폼"]
    assert 'name="subject"' in rows["성북구 시민협력플랫폼"]
