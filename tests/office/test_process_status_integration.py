"""Where the evaluation process stands, on the office round and result pages of the
2018 civic-platform example: each part's state (deadlines, submission, panel, sheets and
aggregation, notification, objection and lock) gathered read-only in a fixed number of
queries, linked to each part's page, shown to officers only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from test_no_developer_text import developer_text

from seonggwa.evaluations.models import Result, Round
from seonggwa.examples import civic_platform as civic
from seonggwa.office import process_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the synthetic documents
    civic.load_civic_platform_2018()
    with override_settings(DEBUG=True):
        civic.load_civic_demo()
    settings.DEBUG = True  # demo accounts sign in only with debug on
    return civic.civic_example()


def _client(username: str) -> Client:
    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    return c


def _result(example, district: str) -> Result:
    return Result.objects.select_related("round__year", "round__framework_version",
                                         "subject").get(
        round=example.round_of(district), subject=example.subjects[district])


def test_an_objected_district_s_result_shows_every_part_of_its_process(example):
    result = _result(example, "은평구")  # objected, upheld by the panel, locked
    s = process_status.subject_process(result.round, result.subject)
    assert [w.label for w in s.windows] == ["자료 제출", "평가결과 통보", "이의 제기",
                                            "자치구별 성과평가 보고서"]  # by due date
    objection = s.windows[2]
    assert objection.due_on.isoformat() == "2018-09-11" and objection.state == "closed"
    assert "2018" in objection.how  # how the due date was counted
    assert s.submission is not None and s.submission.state_label == "제출 완료"
    assert not s.submission.missing
    assert sum(len(seat.members) for seat in s.seats) == s.panel_size == 7
    assert len(s.sheets) == 7 and s.unfinished == 0 and all(m.synthetic for m in s.sheets)
    assert s.steps and all(step.ratings for step in s.steps)
    assert s.appeal.state == "final" and s.appeal.locked
    assert s.appeal.objected_on is not None and s.appeal.outcome_label == "재심의: 원안 유지"

    page = _client("officer").get(reverse("office:result", args=[result.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "평가 진행 상황" in html
    for text in ("2018-09-11", "제출 완료", "재심의: 원안 유지", "잠김: 더 이상 바뀌지 않습니다",
                 "합성(시연용) 자료", "계산 과정 전체 보기"):
        assert text in html, text
    for name in ("office:schedules_round", "office:panels_subject", "office:sheets_aggregation"):
        args = [result.round.pk] if name == "office:schedules_round" else [
            result.round.pk, result.subject.pk]
        assert reverse(name, args=args) in html, name
    assert reverse("office:appeals_case", args=[result.appeal.pk]) in html
    assert developer_text(html) == [], developer_text(html)


def test_the_walk_through_district_is_at_its_start(example):
    rnd, subject = example.round_of(civic.DEMO_DISTRICT), example.subjects[civic.DEMO_DISTRICT]
    s = process_status.subject_process(rnd, subject)
    submission = next(w for w in s.windows if w.label == "자료 제출")
    assert submission.state == "open"
    assert s.submission.state_label == "시작 안 함" and s.submission.missing
    assert all(not seat.members for seat in s.seats)
    assert s.sheets == [] and s.steps == [] and s.appeal is None


def test_the_round_page_sums_up_each_part(example):
    rnd = example.rounds[3]  # six districts final, 강서구 at its start
    r = process_status.round_process(rnd)
    assert r.subjects == 7
    assert dict(r.submissions) == {"제출 완료": 6, "시작 안 함": 1}
    assert (r.panels_complete, r.panel_size) == (6, 7)
    assert dict(r.sheets) == {"제출": 42}
    assert dict(r.appeals) == {"최종 확정": 6} and r.pending == 0 and r.results == 6
    kinds = {k.label: k for k in r.window_kinds}
    assert dict(kinds["자료 제출"].counts) == {"진행 중": 1, "마감": 6}
    assert kinds["자료 제출"].next_due is not None  # 강서구's, still open
    html = _client("officer").get(reverse("office:round", args=[rnd.pk])).content.decode()
    assert "평가 진행 상황" in html and "7곳 중 6곳 구성 완료 (7명씩)" in html
    for name in ("schedules_round", "submissions_round", "panels_round", "sheets_round",
                 "appeals_release"):
        assert reverse(f"office:{name}", args=[rnd.pk]) in html, name
    assert developer_text(html) == [], developer_text(html)


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_a_fixed_number_of_queries_whatever_the_round_or_subject(example):
    one, six = (Round.objects.select_related("year", "framework_version").get(pk=r.pk)
                for r in (example.rounds[1], example.rounds[3]))  # as the round page reads it
    assert _queries(lambda: process_status.round_process(one)) == _queries(
        lambda: process_status.round_process(six))
    final, fresh = _result(example, "은평구"), _result(example, "마포구")
    assert _queries(lambda: process_status.subject_process(final.round, final.subject)) == \
        _queries(lambda: process_status.subject_process(fresh.round, fresh.subject))


def test_only_officers_see_the_process_on_these_pages(example):
    result = _result(example, "은평구")
    committee = _client("committee")
    page = committee.get(reverse("office:round", args=[result.round.pk]))
    assert page.status_code == 200 and "평가 진행 상황" not in page.content.decode()
    page = committee.get(reverse("office:result", args=[result.pk]))
    assert "평가 진행 상황" not in page.content.decode()
