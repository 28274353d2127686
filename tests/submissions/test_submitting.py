"""The write path of submissions: documents through the storage API with every version
kept, the deadline (last day in, the day after out, with the reason), who acts, the file
checks, the year-2-only document, and the draft → submitted → reopened machine. Every
refusal explains itself and stores nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.storage import storages

from seonggwa.core.models import AuditEvent
from seonggwa.submissions.domain import submitting
from seonggwa.submissions.domain.submitting import SubmissionRefused, upload
from seonggwa.submissions.models import Document, State, Submission
from submissions.conftest import DUE, OPENS
from submissions.files import docx, exe, hwpx_bomb, pdf

pytestmark = pytest.mark.django_db
YEAR_ONE_DOCUMENTS = ("result_report", "indicator_table", "self_evaluation_head",
                      "self_evaluation_members")


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def put(w, code="result_report", *, who="contractor of the subject", subject=None,
        name="결과보고서.pdf", data=None, today=DUE, reason=""):
    return upload(w.round, subject or w.ours, code, name=name,
                  data=pdf() if data is None else data, actor=w.users[who], today=today,
                  reason=reason)


def refused(call, *words):
    with pytest.raises(SubmissionRefused) as exc:
        call()
    text = " ".join(exc.value.messages)
    for word in words:
        assert word in text, text
    return text


def test_a_file_is_stored_through_the_storage_api_with_its_hash_and_audited(world, media):
    data = pdf("은평구 결과보고서")
    doc = put(world, data=data)
    assert doc.version == 1 and doc.kind == "pdf" and doc.size == len(data)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.original_name == "결과보고서.pdf"
    assert "결과보고서" not in doc.file.name and doc.file.name.endswith(".pdf")
    with storages["default"].open(doc.file.name) as f:
        assert f.read() == data
    event = AuditEvent.objects.get(action="submission.upload")
    assert event.after["sha256"] == doc.sha256 and event.after["document"] == "결과보고서"
    assert event.actor == world.users["contractor of the subject"]


def test_a_replaced_file_is_superseded_and_every_version_is_kept(world, media):
    first = put(world, data=pdf("첫 판"))
    second = put(world, data=pdf("둘째 판"), name="결과보고서-수정.pdf")
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.superseded_at is not None and second.superseded_at is None
    assert len(stored_files(media)) == 2
    with storages["default"].open(first.file.name) as f:
        assert b"\xec\xb2\xab" in f.read()  # "첫" still there
    assert submitting.current_documents(second.submission) == {"result_report": second}
    event = AuditEvent.objects.filter(action="submission.upload").order_by("-id").first()
    assert event.before["version"] == 1 and event.after["version"] == 2


def test_the_last_day_is_in_time_and_the_day_after_is_refused_with_the_reason(world, media):
    assert put(world, today=DUE).version == 1
    text = refused(lambda: put(world, today=DUE + dt.timedelta(days=1)),
                   "기한이", "2018", "끝났습니다", "계산")
    assert "6" in text and "22" in text  # the due date, written out
    refused(lambda: put(world, today=OPENS - dt.timedelta(days=1)), "부터 할 수 있습니다")
    assert Document.objects.count() == 1 and len(stored_files(media)) == 1


def test_an_officer_uploads_late_only_with_a_reason_and_it_is_marked_late(world, media):
    after = DUE + dt.timedelta(days=3)
    refused(lambda: put(world, who="officer", today=after), "사유를 적어야")
    assert not Document.objects.exists()
    doc = put(world, who="officer", today=after, reason="6월 22일 공문 접수분 등록")
    assert doc.late and doc.late_reason == "6월 22일 공문 접수분 등록"
    assert AuditEvent.objects.get(action="submission.upload").reason == "6월 22일 공문 접수분 등록"
    in_time = put(world, "indicator_table", who="officer")
    assert not in_time.late


@pytest.mark.parametrize("who", ["contractor of another subject",
                                 "contractor without organisation",
                                 "evaluator assigned to the subject", "department",
                                 "no role", "anonymous"])
def test_nobody_else_acts_in_the_organisations_name(world, media, who):
    refused(lambda: put(world, who=who), "다른 기관의 이름으로 제출할 수 없습니다")
    refused(lambda: submitting.submit(world.round, world.ours, actor=world.users[who],
                                      today=DUE), "다른 기관의 이름으로")
    assert not Document.objects.exists() and not Submission.objects.exists()
    assert not stored_files(media)


@pytest.mark.parametrize(("name", "data", "words"), [
    ("결과보고서.pdf", exe(), ["실제 내용은 EXE"]),
    ("결과보고서.pdf", b"", ["빈 파일"]),
    ("결과보고서.hwpx", hwpx_bomb(5), ["비정상적으로 높은 비율"]),
    ("결과보고서.docx", pdf(), [".docx", "PDF"]),
    ("결과보고서.pdf", b"%PDF-1.4\n" + b"\x00" * (20 * 1024 * 1024), ["너무 큽니다", "최대 20 MB"]),
])
def test_bad_files_are_refused_and_nothing_is_stored(world, media, name, data, words):
    refused(lambda: put(world, name=name, data=data), *words)
    assert not Document.objects.exists() and not stored_files(media)
    assert not AuditEvent.objects.filter(action="submission.upload").exists()


def test_a_type_the_framework_does_not_take_is_refused(world):
    rules = submitting.rules_for(world.round)
    narrow = type(rules)(max_bytes=rules.max_bytes, types=("pdf",), documents=rules.documents)
    with pytest.raises(SubmissionRefused, match="워드\\(DOCX\\) 파일은 받지 않습니다"):
        submitting.check_file(narrow, "a.docx", docx())


@pytest.mark.parametrize(("name", "kept"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\보고서.pdf", "보고서.pdf"),
    ("보고\x00서.pdf", "보고서.pdf"),
    ("보고서\r\n.pdf", "보고서.pdf"),
    ("." * 5 + ".pdf", "제출서류.pdf"),
    ("가" * 400 + ".pdf", "가" * 116 + ".pdf"),
    ("a<b>c:d|e?f*.pdf", "a_b_c_d_e_f_.pdf"),
    ("결과보고서", "결과보고서.pdf"),
])
def test_names_are_cleaned_and_never_used_as_paths(world, media, name, kept):
    doc = put(world, name=name)
    assert doc.original_name == kept
    assert len(doc.original_name) <= submitting.NAME_MAX
    assert doc.file.name.startswith(f"submissions/{world.round.pk}/{world.ours.pk}/")
    assert all(media in p.parents for p in stored_files(media))


def test_the_uncovered_results_are_for_year_2_subjects_only(world, media):
    refused(lambda: put(world, "uncovered_results"), "2년차 대상만", "1년차")
    year2 = put(world, "uncovered_results", who="contractor of another subject",
                subject=world.theirs)
    assert year2.code == "uncovered_results"
    year1 = submitting.checklist(submitting.submission_for(world.round, world.ours))
    assert [d.code for d, _doc in year1.documents] == list(YEAR_ONE_DOCUMENTS)
    year2_list = submitting.checklist(year2.submission)
    assert "uncovered_results" in [d.code for d, _doc in year2_list.documents]
    assert "uncovered_results" not in [d.code for d in year2_list.missing_documents]


def submit_all(w, *, subject=None, who="contractor of the subject"):
    for code in YEAR_ONE_DOCUMENTS:
        put(w, code, who=who, subject=subject)


def test_submitting_needs_every_required_document_then_locks_the_submission(world, media):
    put(world)
    refused(lambda: submitting.submit(world.round, world.ours,
                                      actor=world.users["contractor of the subject"],
                                      today=DUE),
            "아직 제출하지 않은 항목", "최종 성과지표 및 결과표")
    assert Submission.objects.get().state == State.DRAFT
    submit_all(world)
    done = submitting.submit(world.round, world.ours,
                             actor=world.users["contractor of the subject"], today=DUE)
    assert done.state == State.SUBMITTED and done.submitted_label == "firm" and not done.late
    refused(lambda: submitting.submit(world.round, world.ours,
                                      actor=world.users["contractor of the subject"],
                                      today=DUE), "제출 완료 상태에서는")
    refused(lambda: put(world), "이미 제출을 마쳤습니다", "다시 열어야")
    assert AuditEvent.objects.filter(action="submission.submit").count() == 1


def test_the_officer_reopens_with_a_reason_and_the_organisation_corrects(world, media):
    submit_all(world)
    submission = submitting.submit(world.round, world.ours,
                                   actor=world.users["contractor of the subject"], today=DUE)
    refused(lambda: submitting.reopen(submission, actor=world.users["contractor of the subject"],
                                      reason="고칠 것"), "평가담당관만")
    refused(lambda: submitting.reopen(submission, actor=world.users["officer"], reason=" "),
            "사유가 필요합니다")
    reopened = submitting.reopen(submission, actor=world.users["officer"],
                                 reason="결과표 서식 오류")
    assert reopened.state == State.DRAFT
    assert AuditEvent.objects.get(action="submission.reopen").reason == "결과표 서식 오류"
    assert put(world, "indicator_table").version == 2
    refused(lambda: submitting.reopen(reopened, actor=world.users["officer"], reason="또"),
            "작성 중 상태에서는")


def test_submitting_after_the_deadline_is_refused_unless_an_officer_gives_a_reason(world,
                                                                                   media):
    submit_all(world)
    late = DUE + dt.timedelta(days=1)
    refused(lambda: submitting.submit(world.round, world.ours,
                                      actor=world.users["contractor of the subject"],
                                      today=late), "끝났습니다")
    assert Submission.objects.get().state == State.DRAFT
    done = submitting.submit(world.round, world.ours, actor=world.users["officer"],
                             today=late, reason="기관 시스템 장애로 공문 제출")
    assert done.state == State.SUBMITTED and done.late


def test_no_window_means_no_submission_with_the_reason(world, media):
    from seonggwa.schedules.models import Window

    Window.objects.filter(round=world.round).delete()
    refused(lambda: put(world), "기한이 아직 정해지지 않았습니다")
