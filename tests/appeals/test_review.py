"""The panel's re-review (upheld or revised, with reasons) and the lapse of the window:
both end with the result finalised, locked, and the organisation told."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from appeals.helpers import appeal_of, object_, release
from seonggwa.appeals.domain import process
from seonggwa.appeals.models import AppealState, Notice, Outcome, ResultLock
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.models import Rating, Status
from seonggwa.schedules.domain import windows

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def objected(world):
    release(world)
    appeal = appeal_of(world.mapo)
    object_(world, appeal)
    appeal.refresh_from_db()
    return appeal


def test_upheld_the_result_stands_final_and_locked(world, objected):
    process.decide(objected, Outcome.UPHELD, "평가단 재심의: 원 평가 유지", actor=world.officer)
    objected.refresh_from_db()
    world.mapo.refresh_from_db()
    assert (objected.state, objected.outcome) == (AppealState.FINAL, Outcome.UPHELD)
    assert objected.decision_reason == "평가단 재심의: 원 평가 유지"
    assert world.mapo.status == Status.FINALISED and world.mapo.score == Decimal("160.00")
    assert ResultLock.objects.filter(result=world.mapo).exists()
    told = Notice.objects.filter(user=world.mapo_user, title="[재심의 결과] 마포구 시민협력플랫폼").get()
    assert "원래 결과(160.00점, 양호)가 유지되었습니다" in told.body
    assert "사유: 평가단 재심의: 원 평가 유지" in told.body


def test_revised_ratings_are_recorded_as_new_versions_and_rescored(world, objected):
    process.decide(objected, Outcome.REVISED, "G2 재평가", actor=world.officer, revised=[
        process.RevisedRating("G2", f"위원{i}", 5) for i in range(1, 8)])
    world.mapo.refresh_from_db()
    # G2 (50 points) from 4/5 to 5/5 for all seven: 160 + 10
    assert world.mapo.score == Decimal("170.00") and world.mapo.band_code == "excellent"
    assert world.mapo.status == Status.FINALISED
    old = Rating.objects.filter(subject=world.mapo.subject, indicator="G2", version=1)
    assert old.count() == 7 and all(r.superseded_at for r in old)
    told = Notice.objects.get(user=world.mapo_user, title__startswith="[재심의 결과]")
    assert "160.00점에서 170.00점(탁월)으로 수정되었습니다" in told.body
    assert ResultLock.objects.filter(result=world.mapo).exists()


def test_a_revision_must_change_a_rating_on_the_scale(world, objected):
    with pytest.raises(WorkflowError, match="바뀐 점수가 하나 이상"):
        process.decide(objected, Outcome.REVISED, "수정", actor=world.officer,
                       revised=[process.RevisedRating("G1", "위원1", 4)])
    with pytest.raises(WorkflowError, match="척도에 없습니다"):
        process.decide(objected, Outcome.REVISED, "수정", actor=world.officer,
                       revised=[process.RevisedRating("G1", "위원1", 9)])
    with pytest.raises(WorkflowError, match="이미 낸 점수뿐"):
        process.decide(objected, Outcome.REVISED, "수정", actor=world.officer,
                       revised=[process.RevisedRating("G1", "위원99", 3)])
    objected.refresh_from_db()
    assert objected.state == AppealState.OBJECTED
    assert not ResultLock.objects.exists()


def test_a_re_review_needs_its_reason(world, objected):
    with pytest.raises(WorkflowError, match="재심의 사유를 적어 주십시오"):
        process.decide(objected, Outcome.UPHELD, " ", actor=world.officer)


def test_an_objected_result_waits_for_its_re_review(world, objected):
    from seonggwa.evaluations.domain import workflow

    with pytest.raises(WorkflowError, match="재심의 결과를 기록하면 확정됩니다"):
        workflow.finalise_result(world.mapo, world.officer)


def test_no_objection_by_the_close_the_tick_finalises_and_locks(world):
    release(world)
    mapo = appeal_of(world.mapo)
    object_(world, appeal_of(world.eunpyeong), user=world.eunpyeong_user)
    windows.tick(datetime(2018, 7, 4, 12, tzinfo=SEOUL))  # the last day: still open
    mapo.refresh_from_db()
    assert mapo.state == AppealState.NOTIFIED
    windows.tick(datetime(2018, 7, 5, 0, 5, tzinfo=SEOUL))  # the day after: closed
    mapo.refresh_from_db()
    world.mapo.refresh_from_db()
    assert (mapo.state, mapo.outcome) == (AppealState.FINAL, Outcome.LAPSED)
    assert world.mapo.status == Status.FINALISED
    assert ResultLock.objects.filter(result=world.mapo).exists()
    # the objected one waits for its re-review
    assert appeal_of(world.eunpyeong).state == AppealState.OBJECTED
    world.eunpyeong.refresh_from_db()
    assert world.eunpyeong.status == Status.DRAFT


def test_lapse_leaves_results_whose_window_is_still_open(world):
    release(world)
    assert process.lapse([appeal_of(world.mapo)], today=date(2018, 7, 4)) == []
    assert appeal_of(world.mapo).state == AppealState.NOTIFIED
