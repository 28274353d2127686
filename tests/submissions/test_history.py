"""The audit history of a round's process, for officers: every record about the round's
objects (and only those), in words, exportable as XLSX and CSV with text kept as text."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.assignments import assign, unassign
from seonggwa.evaluations.models import Scheme
from seonggwa.submissions.domain import submitting
from submissions.conftest import DUE
from submissions.files import pdf

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def busy_world(world, media, django_user_model):
    """The round with an upload, a late upload with a formula-like reason, an assignment
    made and removed, and records of another round that must not show."""
    w = world
    officer = w.users["officer"]
    submitting.upload(w.round, w.ours, "result_report", name="보고서.pdf", data=pdf(),
                      actor=w.users["contractor of the subject"], today=DUE)
    submitting.upload(w.round, w.ours, "indicator_table", name="표.pdf", data=pdf(),
                      actor=officer, today=DUE.replace(day=28), reason="=HYPERLINK(\"x\")")
    evaluator = w.users["evaluator not assigned"]
    assign(evaluator, w.round, w.ours, actor=officer)
    unassign(evaluator, w.round, w.ours, actor=officer)
    other = workflow.open_round(2019, 1, scheme=Scheme.CIVIC_PLATFORM,
                                framework_version=w.round.framework_version, actor_label="t")
    assign(evaluator, other, actor=officer)
    return w


def test_the_history_lists_the_rounds_records_in_words(busy_world):
    w = busy_world
    url = reverse("office:submissions_history", args=[w.round.pk])
    response = client_for(w.users["officer"]).get(url)
    assert response.status_code == 200
    entries = [e for e, _target in response.context["rows"]]
    whats = [e.what for e in entries]
    assert whats.count("제출 서류 올림") == 2
    assert "평가 배정" in whats and "평가 배정 해제" in whats
    assert "기한 설정" in " ".join(whats) or "기한 등록" in " ".join(whats)
    assert all("." not in what for what in whats)  # never an action code
    objects = {e.event.object_repr for e in entries}
    assert not any("2019" in o for o in objects)  # another round's records stay out
    late = next(e for e in entries if e.reason.startswith("="))
    assert {c.label for c in late.changes} >= {"서류", "파일 이름", "기한 외 제출"}


def test_the_history_is_filtered_by_part(busy_world):
    w = busy_world
    url = reverse("office:submissions_history", args=[w.round.pk]) + "?part=submissions"
    entries = [e for e, _target in client_for(w.users["officer"]).get(url).context["rows"]]
    assert {e.what for e in entries} == {"제출 서류 올림"}


def test_the_exports_keep_text_as_text(busy_world):
    w = busy_world
    officer = client_for(w.users["officer"])
    base = reverse("office:submissions_history_export", args=[w.round.pk, "csv"])
    got = officer.get(base)
    assert got.status_code == 200 and got["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["일시", "처리자", "구분", "처리"]
    reasons = [r[6] for r in rows[1:]]
    assert "'=HYPERLINK(\"x\")" in reasons  # one apostrophe: never a formula
    xlsx = officer.get(reverse("office:submissions_history_export",
                               args=[w.round.pk, "xlsx"]))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)
    assert ws.max_row == len(rows)
    assert officer.get(reverse("office:submissions_history_export",
                               args=[w.round.pk, "pdf"])).status_code == 404


def test_only_officers_see_the_history(busy_world):
    w = busy_world
    urls = [reverse("office:submissions_history", args=[w.round.pk]),
            reverse("office:submissions_history_export", args=[w.round.pk, "csv"])]
    for who in ("contractor of the subject", "evaluator assigned to the round", "department",
                "committee assigned"):
        for url in urls:
            assert client_for(w.users[who]).get(url).status_code == 403, who


@pytest.mark.parametrize(("action", "object_type", "words"), [
    ("submission.upload", "submissions.document", "제출 서류 올림"),
    ("assignment.add", "evaluations.assignment", "평가 배정"),
    # a part's own word (the vocabulary), the same as on the part's own pages
    ("window.create", "schedules.window", "기한 설정"),
    ("schedule.early", "schedules.schedule", "조기 평가 지정"),
    # no word of its own: the object's name and the verb
    ("schedule.reopen", "schedules.schedule", "평가 일정 다시 열기"),
    ("submission.conflict_lift", "submissions.submission", "제출 해제"),
    ("gone.frobnicate_widget", "gone.widget", "기록 변경"),
])
def test_every_action_is_said_in_words(action, object_type, words):
    from seonggwa.core.models import AuditEvent
    from seonggwa.office.trail import action_words

    assert action_words(AuditEvent(action=action, object_type=object_type)) == words


def test_nested_and_unknown_values_are_said_in_words(db):
    from test_no_developer_text import developer_text

    from seonggwa.core.models import AuditEvent
    from seonggwa.office.trail import describe

    event = AuditEvent(action="panel.compose", object_type="schedules.window",
                       actor_label="officer", before=None,
                       after={"seats": [{"seat_code": "city", "member_id": 3}],
                              "unit": "working", "late_reason": "x", "round_id": 1,
                              "counted": {"start": "2018-06-01", "days": 3}})
    from django.utils import timezone

    event.at = timezone.now()
    entry = describe(event)
    shown = " ".join(f"{c.label} {c.after}" for c in entry.changes)
    assert "근무일" in shown  # the unit's choice label, not its code
    assert developer_text(f"<p>{shown}</p>") == []


@pytest.mark.parametrize(("stored", "shown"), [
    ("강서구 시민협력플랫폼 · district-gangseo · same_district", "강서구 시민협력플랫폼"),
    ("결과보고서.pdf (2)", "결과보고서.pdf (2)"),
    ("svc-0139", "기한"),
])
def test_the_object_is_named_without_codes(stored, shown):
    from seonggwa.core.models import AuditEvent
    from seonggwa.office.trail import object_words

    assert object_words(AuditEvent(object_type="schedules.window", object_repr=stored)) == shown


def test_codes_of_the_framework_are_said_by_their_labels(world):
    from django.utils import timezone

    from seonggwa.core.models import AuditEvent
    from seonggwa.office.trail import code_labels, describe

    labels = code_labels(world.round)
    assert labels["G1"] == "연차별 핵심목표 (공통 목표)"
    assert labels["uncovered_results"] == "전년도 평가 미반영 정량실적"
    assert labels["same_district"] == "같은 자치구"
    event = AuditEvent(action="rating.record", object_type="evaluations.rating",
                       after={"indicator": "G1", "band_code": "good", "kind": "same_district"},
                       at=timezone.now(), actor_label="t")
    shown = {c.label: c.after for c in describe(event, labels).changes}
    assert shown["지표"] == "연차별 핵심목표 (공통 목표)" and shown["등급"] == "양호"
    assert "같은 자치구" in shown.values()
