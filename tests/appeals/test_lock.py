"""A final result is locked: every domain write path refuses it with the reason, and the
database refuses a raw UPDATE of what it says or its DELETE (SQLite and PostgreSQL).
Publishing it still works."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from appeals.helpers import appeal_of, object_, release
from seonggwa.appeals.domain import dblock, process
from seonggwa.appeals.models import Outcome, ResultLock
from seonggwa.evaluations.domain import inputs, workflow
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.models import Result, Status


@pytest.fixture
def locked(world):
    release(world)
    appeal = appeal_of(world.mapo)
    object_(world, appeal)
    process.decide(appeal, Outcome.UPHELD, "원안 유지", actor=world.officer)
    world.mapo.refresh_from_db()
    return world.mapo


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_domain_refuses_every_change_of_a_locked_result(world, locked):
    refusal = "이의신청 절차를 마치고 최종 확정되어 잠겼습니다"
    with pytest.raises(WorkflowError, match=refusal):
        workflow.rescore(world.round, [locked.subject], reason="정정", actor=world.officer)
    with pytest.raises(WorkflowError, match=refusal):
        workflow.amend_result(locked, "150", "정정 사유", world.officer)
    with pytest.raises(WorkflowError, match=refusal):
        workflow.update_result(locked, remark="비고", actor=world.officer)
    # new ratings may be recorded in the draft round, but never reach the locked result
    inputs.record_ratings(world.round, [inputs.RatingEntry(locked.subject, "G1", 1, "위원1")],
                          actor=world.officer)
    with pytest.raises(WorkflowError, match=refusal):
        workflow.rescore(world.round, actor=world.officer)
    fresh = Result.objects.get(pk=locked.pk)
    assert (fresh.score, fresh.status) == (locked.score, Status.FINALISED)


def test_publishing_a_locked_result_still_works(world, locked):
    workflow.publish_result(locked, world.officer)
    locked.refresh_from_db()
    assert locked.status == Status.PUBLISHED


def test_the_triggers_are_installed(db):
    assert dblock.is_installed(connection)


@pytest.mark.parametrize("column, value", [
    ("score", "10"), ("band_code", "poor"), ("decision_code", "discontinue"),
    ("remark", "몰래 고침"), ("raw_total", "10"), ("status", "draft"),
])
def test_the_database_refuses_a_raw_update_of_a_locked_result(locked, column, value):
    with pytest.raises(IntegrityError, match="locked"):
        _raw(f"UPDATE evaluations_result SET {column} = %s WHERE id = %s", [value, locked.pk])
    fresh = Result.objects.get(pk=locked.pk)
    assert (fresh.score, fresh.band_code, fresh.status) == (locked.score, locked.band_code,
                                                             Status.FINALISED)


def test_the_database_refuses_deleting_a_locked_result_or_its_lock(locked):
    with pytest.raises(IntegrityError, match="locked"):
        _raw("DELETE FROM evaluations_result WHERE id = %s", [locked.pk])
    with pytest.raises(IntegrityError, match="locked"):
        _raw("DELETE FROM appeals_resultlock WHERE result_id = %s", [locked.pk])
    with pytest.raises(IntegrityError, match="locked"):
        _raw("UPDATE appeals_resultlock SET result_id = result_id WHERE result_id = %s",
             [locked.pk])
    assert ResultLock.objects.filter(result=locked).exists()


def test_the_database_lets_a_raw_publish_through_and_leaves_unlocked_results_alone(
        world, locked):
    _raw("UPDATE evaluations_result SET status = 'published' WHERE id = %s", [locked.pk])
    assert Result.objects.get(pk=locked.pk).status == Status.PUBLISHED
    _raw("UPDATE evaluations_result SET remark = %s WHERE id = %s", ["초안", world.eunpyeong.pk])
    assert Result.objects.get(pk=world.eunpyeong.pk).remark == "초안"


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_a_database_with_locked_results(world, locked):
    """The test runner's flush between transactional tests: the lock is lifted for the
    reset and put back."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert not Result.objects.exists() and not ResultLock.objects.exists()
    assert dblock.is_installed(connection)
