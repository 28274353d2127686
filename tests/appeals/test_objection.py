"""The one objection: by the evaluated organisation, within its window, with reasons and
files. A second one, a late one, one in another organisation's name, a bad file:
refused with the reason, nothing stored."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from appeals.factories import pdf
from appeals.helpers import appeal_of, object_, release
from seonggwa.appeals.models import AppealState, Notice, Objection, ObjectionFile
from seonggwa.evaluations.domain.errors import WorkflowError

LAST_DAY = date(2018, 7, 4)  # 7 working days after Monday 25 June 2018


@pytest.fixture
def appeal(world):
    release(world)
    return appeal_of(world.mapo)


def test_the_organisation_objects_once_with_reasons_and_files(world, appeal):
    objection = object_(world, appeal, files=[pdf("근거자료.pdf")], day=LAST_DAY)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.OBJECTED
    assert objection.organisation.name == "마포구 시민협력플랫폼"
    assert objection.filed_by == world.mapo_user and objection.filed_on == LAST_DAY
    stored = ObjectionFile.objects.get()
    assert (stored.name, stored.kind, stored.size) == ("근거자료.pdf", "pdf", len(pdf().read()))
    assert default_storage.exists(stored.file.name)
    assert not stored.file.name.endswith("근거자료.pdf")  # never the uploader's name
    officer_notice = Notice.objects.get(user=world.officer)
    assert officer_notice.title == "[이의신청 접수] 마포구 시민협력플랫폼"


def test_a_second_objection_is_refused_whoever_files_it(world, appeal):
    object_(world, appeal)
    with pytest.raises(WorkflowError) as exc:
        object_(world, appeal, user=world.mapo_user2)
    assert "이미 2018-06-26에 마포구 시민협력플랫폼의 이의신청이 접수되었습니다" in exc.value.messages[0]
    assert "한 번만" in exc.value.messages[0]
    assert Objection.objects.count() == 1


def test_the_day_after_the_window_is_late(world, appeal):
    with pytest.raises(WorkflowError) as exc:
        object_(world, appeal, day=date(2018, 7, 5))
    assert "기한이 2018-07-04(수)에 끝났습니다" in exc.value.messages[0]
    assert "근무일 7일" in exc.value.messages[0]  # how the last day was counted
    appeal.refresh_from_db()
    assert appeal.state == AppealState.NOTIFIED and not Objection.objects.exists()


@pytest.mark.parametrize("who", ["eunpyeong_user", "outsider", "officer", "evaluator"])
def test_only_the_evaluated_organisation_may_object(world, appeal, who):
    with pytest.raises(WorkflowError, match="평가받은 기관의 사용자만 이의신청할 수 있습니다"):
        object_(world, appeal, user=getattr(world, who))
    assert not Objection.objects.exists()


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("script.exe", b"MZ\x90\x00"), "받을 수 없는 파일 형식입니다"),
    (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), "내용이 PDF 파일이 아닙니다"),
    (SimpleUploadedFile("empty.pdf", b""), "빈 파일입니다"),
    (SimpleUploadedFile("../../etc/passwd.hwp", b"plain"), "'passwd.hwp': 내용이 HWP"),
])
def test_a_bad_file_is_refused_and_nothing_is_stored(world, appeal, upload, message):
    with pytest.raises(WorkflowError, match=message):
        object_(world, appeal, files=[pdf(), upload])
    assert not Objection.objects.exists() and not ObjectionFile.objects.exists()


def test_a_file_over_the_limit_is_refused(world, appeal, settings):
    settings.SEONGGWA_MAX_UPLOAD_BYTES = 100
    with pytest.raises(WorkflowError, match="파일이 너무 큽니다"):
        object_(world, appeal, files=[pdf("big.pdf", b"%PDF-" + b"x" * 200)])
    assert not Objection.objects.exists()


def test_too_many_files_are_refused(world, appeal):
    with pytest.raises(WorkflowError, match="5개까지"):
        object_(world, appeal, files=[pdf(f"{i}.pdf") for i in range(6)])


@pytest.mark.parametrize("reasons, message", [
    ("   ", "이의신청 사유를 적어 주십시오"),
    ("이의\x00있음", "쓸 수 없는 문자"),
    ("가" * 5001, "5000자까지"),
])
def test_reasons_are_required_and_checked(world, appeal, reasons, message):
    with pytest.raises(WorkflowError, match=message):
        object_(world, appeal, reasons=reasons)
    assert not Objection.objects.exists()


def test_the_database_keeps_one_objection_per_result(world, appeal):
    """The backstop under any race: a second objection row for the appeal cannot exist."""
    from django.db import IntegrityError, transaction

    object_(world, appeal)
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(appeal=appeal, organisation=world.mapo_user.profile.organisation,
                                 filed_by=world.mapo_user2, filed_on=date(2018, 6, 27),
                                 reasons="둘째")
