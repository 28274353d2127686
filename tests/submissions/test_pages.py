"""The submission pages as each person uses them: the organisation uploads, enters actuals
and submits before its deadline; the officer sees who is missing what, reopens with a reason
and acts late only with one; files are downloaded only by those allowed, as attachments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from seonggwa.core.models import AuditEvent
from seonggwa.submissions.models import Document, State, Submission
from submissions.conftest import build_world
from submissions.files import exe, pdf

pytestmark = pytest.mark.django_db
DOCS = ("result_report", "indicator_table", "self_evaluation_head", "self_evaluation_members")


@pytest.fixture
def open_world(db, django_user_model):
    """A round whose submission window closes today (today is the last day)."""
    today = timezone.localdate()
    return build_world(django_user_model, opens=today - dt.timedelta(days=10), due=today)


@pytest.fixture
def closed_world(db, django_user_model):
    """A round whose submission window closed yesterday."""
    today = timezone.localdate()
    return build_world(django_user_model, opens=today - dt.timedelta(days=10),
                       due=today - dt.timedelta(days=1))


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def urls(w, subject=None):
    args = [w.round.pk, (subject or w.ours).pk]
    return {
        "page": reverse("office:submissions_subject", args=args),
        "submit": reverse("office:submissions_submit", args=args),
        "reopen": reverse("office:submissions_reopen", args=args),
        "actuals": reverse("office:submissions_actuals", args=args),
        "round": reverse("office:submissions_round", args=[w.round.pk]),
        "history": reverse("office:submissions_history", args=[w.round.pk]),
    }


def upload_url(w, code="result_report", subject=None):
    return reverse("office:submissions_upload",
                   args=[w.round.pk, (subject or w.ours).pk, code])


def post_file(c, w, *, code="result_report", name="결과보고서.pdf", data=None, reason="",
              subject=None):
    version = c.get(urls(w, subject)["page"]).context["version"]
    return c.post(upload_url(w, code, subject), {
        "file": SimpleUploadedFile(name, pdf() if data is None else data),
        "version": version, "reason": reason})


def test_who_opens_the_subject_page(open_world):
    w = open_world
    page = urls(w)["page"]
    expected = {"officer": 200, "contractor of the subject": 200,
                "evaluator assigned to the subject": 200, "evaluator assigned to the round": 200,
                "contractor of another subject": 403, "evaluator not assigned": 403,
                "evaluator assigned only to another subject": 403, "department": 403,
                "committee assigned": 403}
    for who, status in expected.items():
        assert client_for(w.users[who]).get(page).status_code == status, who
    assert Client().get(page).status_code == 302
    evaluator = client_for(w.users["evaluator assigned to the subject"]).get(page)
    assert b'type="file"' not in evaluator.content  # read-only
    firm = client_for(w.users["contractor of the subject"]).get(page).content.decode()
    assert 'type="file"' in firm and "기한 외 처리 사유" not in firm  # in time: no reason


def test_the_organisation_uploads_and_only_allowed_people_download(open_world, media):
    w = open_world
    firm = client_for(w.users["contractor of the subject"])
    response = post_file(firm, w, name="은평구 결과보고서.pdf", data=pdf("은평"))
    assert response.status_code == 302
    doc = Document.objects.get()
    page = firm.get(urls(w)["page"])
    assert "은평구 결과보고서.pdf" in page.content.decode()
    url = reverse("office:submissions_download", args=[doc.pk])
    for who, status in (("contractor of the subject", 200), ("officer", 200),
                        ("evaluator assigned to the subject", 200),
                        ("contractor of another subject", 403),
                        ("evaluator not assigned", 403), ("department", 403)):
        got = client_for(w.users[who]).get(url)
        assert got.status_code == status, who
        if status == 200:
            assert got["Content-Disposition"].startswith("attachment;")
            assert "filename*=utf-8''" in got["Content-Disposition"]
            assert got["Cache-Control"] == "private, no-store"
            assert b"".join(got.streaming_content) == pdf("은평")
    assert Client().get(url).status_code == 302
    assert firm.get("/media/" + doc.file.name).status_code == 404  # no public media URL


def test_acting_in_another_organisations_name_is_403_and_stores_nothing(open_world, media):
    w = open_world
    other = client_for(w.users["contractor of another subject"])
    response = other.post(upload_url(w), {"file": SimpleUploadedFile("x.pdf", pdf()),
                                          "version": "0"})
    assert response.status_code == 403
    assert other.post(urls(w)["submit"], {"version": "0"}).status_code == 403
    assert other.post(urls(w)["actuals"], {"version": "0"}).status_code == 403
    evaluator = client_for(w.users["evaluator assigned to the subject"])
    assert evaluator.post(upload_url(w), {"file": SimpleUploadedFile("x.pdf", pdf()),
                                          "version": "0"}).status_code == 403
    assert not Submission.objects.exists() and not Document.objects.exists()
    assert not any(media.rglob("*.pdf")) if media.exists() else True


@pytest.mark.parametrize(("name", "data", "words"), [
    ("보고서.pdf", exe(), "실제 내용은 EXE"),
    ("보고서.pdf", b"", "빈 파일"),
    ("보고서.pdf", b"%PDF-" + b"\x00" * (20 * 1024 * 1024 + 1), "너무 큽니다"),
])
def test_a_refused_file_is_explained_on_the_page(open_world, media, name, data, words):
    w = open_world
    firm = client_for(w.users["contractor of the subject"])
    response = post_file(firm, w, name=name, data=data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Document.objects.exists()


def test_two_people_replacing_the_same_file_the_second_is_refused(open_world, media):
    w = open_world
    firm = client_for(w.users["contractor of the subject"])
    officer = client_for(w.users["officer"])
    post_file(firm, w)
    page = urls(w)["page"]
    loaded = [c.get(page).context["version"] for c in (firm, officer)]
    assert loaded[0] == loaded[1]
    first = firm.post(upload_url(w), {"file": SimpleUploadedFile("a.pdf", pdf("가")),
                                      "version": loaded[0]})
    assert first.status_code == 302
    second = officer.post(upload_url(w), {"file": SimpleUploadedFile("b.pdf", pdf("나")),
                                          "version": loaded[1]})
    assert second.status_code == 400
    assert "firm님이" in second.content.decode() and "다시 불러온 뒤" in second.content.decode()
    assert Document.objects.count() == 2  # v1 and the first person's v2, nothing else


def submit_everything(c, w):
    for code in DOCS:
        assert post_file(c, w, code=code).status_code == 302
    version = c.get(urls(w)["page"]).context["version"]
    return c.post(urls(w)["submit"], {"version": version})


def test_submit_then_the_officer_reopens_with_a_reason(open_world, media):
    w = open_world
    firm = client_for(w.users["contractor of the subject"])
    assert submit_everything(firm, w).status_code == 302
    assert Submission.objects.get().state == State.SUBMITTED
    page = firm.get(urls(w)["page"])
    assert b'type="file"' not in page.content and "제출 완료" in page.content.decode()
    officer = client_for(w.users["officer"])
    version = officer.get(urls(w)["page"]).context["version"]
    refused = officer.post(urls(w)["reopen"], {"version": version, "reason": ""})
    assert refused.status_code == 400 and "사유를 입력해야" in refused.content.decode()
    assert firm.post(urls(w)["reopen"], {"version": version, "reason": "x"}).status_code == 403
    done = officer.post(urls(w)["reopen"], {"version": version, "reason": "결과표 누락 페이지"})
    assert done.status_code == 302 and Submission.objects.get().state == State.DRAFT


def test_a_double_submit_is_refused_the_second_time(open_world, media):
    w = open_world
    firm = client_for(w.users["contractor of the subject"])
    for code in DOCS:
        post_file(firm, w, code=code)
    version = firm.get(urls(w)["page"]).context["version"]
    assert firm.post(urls(w)["submit"], {"version": version}).status_code == 302
    again = firm.post(urls(w)["submit"], {"version": version})
    assert again.status_code == 400
    assert AuditEvent.objects.filter(action="submission.submit").count() == 1


def test_after_the_deadline_the_organisation_is_refused_with_the_reason(closed_world, media):
    w = closed_world
    firm = client_for(w.users["contractor of the subject"])
    page = firm.get(urls(w)["page"])
    assert "지금은 제출 기간이 아닙니다" in page.content.decode()
    response = post_file(firm, w)
    assert response.status_code == 400
    assert "끝났습니다" in response.content.decode() and "계산" in response.content.decode()
    assert not Document.objects.exists()
    officer = client_for(w.users["officer"])
    assert "기한 외 처리 사유" in officer.get(urls(w)["page"]).content.decode()
    assert post_file(officer, w, reason="기한 내 공문 접수분").status_code == 302
    overview = officer.get(urls(w)["round"]).content.decode()
    assert "기한 외" in overview and "결과보고서.pdf" in overview


def test_the_round_overview_shows_missing_late_and_who_submitted(open_world, media):
    w = open_world
    firm = client_for(w.users["contractor of the subject"])
    submit_everything(firm, w)
    officer = client_for(w.users["officer"])
    response = officer.get(urls(w)["round"])
    assert response.status_code == 200
    rows = {r["subject"]: r for r in response.context["rows"]}
    assert rows[w.ours]["missing"] == [] and rows[w.ours]["submission"].submitted_label == "firm"
    assert "전년도 평가 미반영 정량실적" in rows[w.theirs]["missing"]  # year 2 owes it
    assert rows[w.theirs]["year"] == 2
    text = response.content.decode()
    assert "제출 완료" in text and "firm" in text
    for who in ("contractor of the subject", "evaluator assigned to the round", "department"):
        assert client_for(w.users[who]).get(urls(w)["round"]).status_code == 403


def test_actuals_typed_on_the_page(db, django_user_model, media):
    today = timezone.localdate()
    w = build_world(django_user_model, actuals=True, opens=today, due=today)
    firm = client_for(w.users["contractor of the subject"])
    page = firm.get(urls(w)["page"])
    version = page.context["version"]
    bad = firm.post(urls(w)["actuals"], {"version": version, "actual_Q1": "1e30"})
    assert bad.status_code == 400
    ok = firm.post(urls(w)["actuals"], {"version": version, "actual_Q1": "1200"})
    assert ok.status_code == 302
    assert AuditEvent.objects.filter(action="measurement.record").count() == 1
    template = firm.get(reverse("office:submissions_actuals_template",
                                args=[w.round.pk, w.ours.pk]))
    assert template.status_code == 200 and template["Content-Disposition"].startswith(
        "attachment")


def test_the_round_overview_costs_the_same_queries_for_more_subjects(open_world, media):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from seonggwa.evaluations.domain.subjects import subject_for
    from seonggwa.evaluations.models import SubjectKind
    from seonggwa.schedules.domain.schedules import ScheduleInput, set_schedule
    from submissions.conftest import platform

    w = open_world
    officer = client_for(w.users["officer"])
    post_file(client_for(w.users["contractor of the subject"]), w)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert officer.get(urls(w)["round"]).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    today = timezone.localdate()
    for n in range(8):
        subject = subject_for(SubjectKind.PLATFORM, platform(f"구{n} 플랫폼", f"구{n}"))
        set_schedule(w.round, subject, ScheduleInput(project_year=1 + n % 2,
                                                     submission_due=today),
                     actor=None, actor_label="test")
    assert queries() == before


def test_the_index_lists_each_persons_own_subjects_with_their_deadline(open_world, media):
    w = open_world
    url = reverse("office:submissions_index")
    firm = client_for(w.users["contractor of the subject"]).get(url).content.decode()
    assert "은평구 민관협치 플랫폼" in firm and "성북구" not in firm
    assert timezone.localdate().strftime("%Y-%m-%d") in firm and "빠진 항목 4개" in firm
    evaluator = client_for(w.users["evaluator assigned to the round"]).get(url).content.decode()
    assert "은평구" in evaluator and "성북구" in evaluator
    nobody = client_for(w.users["evaluator not assigned"]).get(url).content.decode()
    assert "제출할 평가가 없습니다" in nobody
    officer = client_for(w.users["officer"]).get(url).content.decode()
    assert reverse("office:submissions_round", args=[w.round.pk]) in officer


def test_a_reopened_submission_says_so(open_world, media):
    w = open_world
    firm = client_for(w.users["contractor of the subject"])
    submit_everything(firm, w)
    officer = client_for(w.users["officer"])
    version = officer.get(urls(w)["page"]).context["version"]
    officer.post(urls(w)["reopen"], {"version": version, "reason": "누락 페이지"})
    assert "담당관이 다시 열었습니다" in firm.get(urls(w)["page"]).content.decode()
    assert "다시 열림" in officer.get(urls(w)["round"]).content.decode()
