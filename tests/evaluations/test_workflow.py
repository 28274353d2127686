from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from evaluations.factories import draft_round, service
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.workflow import WorkflowError
from seonggwa.evaluations.models import Result, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return get_user_model().objects.create_user("officer", password="x")


@pytest.fixture
def result(officer):
    return workflow.record_result(service=service("svc-t1"), round=draft_round(2024),
                                  score="74.99", actor=officer)


def test_a_result_is_decided_by_the_policy_in_force_and_audited(result, officer):
    assert result.policy_id == "recontract-75"
    assert result.decision_code == "exclude" and result.decision.label == "재계약 배제"
    assert result.framework_version.version == "published-total"
    assert result.scale_max == 100 and result.counted_max == 100
    assert result.status == Status.DRAFT
    event = AuditEvent.objects.for_object(result).get(action="result.create")
    assert event.actor == officer and event.after["score"] == "74.99"


@pytest.mark.parametrize("bad", ["100.01", "-1", "abc", "", "NaN", "80.555"])
def test_scores_outside_0_100_or_not_numbers_are_refused(bad):
    with pytest.raises(WorkflowError):
        workflow.record_result(service=service("svc-x"), round=draft_round(2024), score=bad)
    assert Result.objects.count() == 0


def test_the_database_also_refuses_a_negative_score(result):
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.filter(pk=result.pk).update(score=Decimal("-0.5"))


def test_a_second_result_for_the_same_service_and_round_is_refused(result):
    with pytest.raises(WorkflowError, match="이미 있습니다"):
        workflow.record_result(service=result.service, round=result.round, score="80")


def test_a_finalised_result_is_never_silently_changed(result, officer):
    workflow.finalise_result(result, officer)
    with pytest.raises(WorkflowError, match="확정"):
        workflow.record_result(service=result.service, round=result.round, score="90")
    with pytest.raises(WorkflowError, match="정정·이력.*정정 사유"):
        workflow.update_result(result, score="90")
    result.refresh_from_db()
    assert result.score == Decimal("74.99")


def test_a_finalised_round_takes_no_new_results(result, officer):
    workflow.finalise_round(result.round, officer)
    result.refresh_from_db()
    assert result.status == Status.FINALISED
    with pytest.raises(WorkflowError, match="확정"):
        workflow.record_result(service=service("svc-t2"), round=result.round, score="80")


def test_amend_requires_a_reason_and_records_before_and_after(result, officer):
    workflow.finalise_result(result, officer)
    with pytest.raises(WorkflowError, match="사유"):
        workflow.amend_result(result, "75.00", "  ", officer)
    amended = workflow.amend_result(result, "75.00", "평가위원회 재심의", officer)
    assert amended.score == Decimal("75.00")
    assert amended.decision_code == "eligible"
    assert amended.status == Status.FINALISED
    event = AuditEvent.objects.for_object(result).get(action="result.amend")
    assert event.before["score"] == "74.99" and event.before["decision_code"] == "exclude"
    assert event.after["score"] == "75.00" and event.after["decision_code"] == "eligible"
    assert event.reason == "평가위원회 재심의" and event.actor == officer


def test_publish_needs_finalise_first_and_every_step_is_audited(result, officer):
    with pytest.raises(WorkflowError):
        workflow.publish_result(result, officer)
    with pytest.raises(WorkflowError, match="확정"):
        workflow.publish_round(result.round, officer)
    workflow.finalise_round(result.round, officer)
    workflow.publish_round(result.round, officer)
    result.refresh_from_db()
    assert result.status == Status.PUBLISHED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"round.open", "result.create", "result.finalise", "round.finalise",
            "result.publish", "round.publish"} <= actions


def test_draft_results_can_be_updated_and_redecided(result):
    updated = workflow.update_result(result, score="80.00")
    assert updated.decision_code == "eligible"
    assert AuditEvent.objects.for_object(result).filter(action="result.update").exists()


def test_follow_up_of_an_improvement_task_is_recorded(seoul, officer):
    from seonggwa.evaluations.models import NarrativeItem

    task = NarrativeItem.objects.filter(kind="improvement").first()
    workflow.set_follow_up(task, "done", note="교육체계 수립", actor=officer)
    task.refresh_from_db()
    assert task.follow_up_status == "done"
    achievement = NarrativeItem.objects.filter(kind="achievement").first()
    with pytest.raises(WorkflowError):
        workflow.set_follow_up(achievement, "done")
