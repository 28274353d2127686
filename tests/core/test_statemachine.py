"""``StateMachine.fire_many``: a whole batch moves as firing one by one would move it, or
nothing moves at all."""

import pytest
from django.contrib.auth import get_user_model
from evaluations.factories import draft_round, service

from seonggwa.core.models import AuditEvent
from seonggwa.core.statemachine import TransitionRefused
from seonggwa.evaluations.domain import lifecycle, workflow
from seonggwa.evaluations.domain.workflow import PublishedTotal, WorkflowError
from seonggwa.evaluations.models import Result, Round, Scheme, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return get_user_model().objects.create_user("officer", password="x")


def _results(year: int, scores: list[str], number: int = 1) -> list[Result]:
    rnd = draft_round(year, number)
    rows = [PublishedTotal(service=service(f"svc-{year}-{number}-{i}"), score=s)
            for i, s in enumerate(scores)]
    created = workflow.record_results(rnd, rows, actor_label="test")
    return list(Result.objects.filter(pk__in=[r.pk for r in created])
                .select_related("round__year").order_by("pk"))


def _trail(results: list[Result]) -> list[tuple]:
    """What the audit trail says about ``results``, without ids and times."""
    rows = []
    for r in results:
        for e in AuditEvent.objects.for_object(r).exclude(action="result.create").order_by("pk"):
            rows.append((e.action, e.actor_id, e.actor_label, e.before, e.after, e.reason,
                         e.object_repr == str(r)))
    return rows


def test_a_batch_ends_where_firing_one_by_one_ends_with_the_same_audit_trail(officer):
    one_by_one = _results(2022, ["74.99", "80.00", "91.5"], number=1)
    batch = _results(2022, ["74.99", "80.00", "91.5"], number=2)
    for r in one_by_one:
        lifecycle.RESULT.fire(r, "finalise", actor=officer)
    for r in one_by_one:
        lifecycle.RESULT.fire(r, "publish", actor=officer)

    lifecycle.RESULT.fire_many(batch, "finalise", actor=officer)
    lifecycle.RESULT.fire_many(batch, "publish", actor=officer)

    assert [r.status for r in batch] == [Status.PUBLISHED] * 3  # objects in memory
    stored = Result.objects.filter(pk__in=[r.pk for r in batch])
    assert set(stored.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert [r.updated_at for r in batch] == [s.updated_at for s in stored.order_by("pk")]
    trail = _trail(batch)
    assert len(trail) == 6
    assert trail == _trail(one_by_one)
    assert [row[0] for row in trail].count("result.publish") == 3
    assert trail[0][3]["status"] == Status.DRAFT and trail[0][4]["status"] == Status.FINALISED
    assert trail[0][4]["score"] == "74.99"  # the snapshot is kept, as fire() keeps it


def test_one_object_in_the_wrong_state_refuses_the_whole_batch_and_changes_nothing(officer):
    results = _results(2022, ["70", "80", "90"])
    lifecycle.RESULT.fire(results[1], "finalise", actor=officer)
    events = AuditEvent.objects.count()

    with pytest.raises(TransitionRefused) as refused:
        lifecycle.RESULT.fire_many(results, "finalise", actor=officer)

    assert len(refused.value.messages) == 1
    assert str(results[1]) in refused.value.messages[0]
    assert list(Result.objects.order_by("pk").values_list("status", flat=True)) == [
        Status.DRAFT, Status.FINALISED, Status.DRAFT]
    assert [r.status for r in results] == [Status.DRAFT, Status.FINALISED, Status.DRAFT]
    assert AuditEvent.objects.count() == events


def test_every_failing_guard_is_named_and_no_object_moves():
    with_version = draft_round(2023)
    without = [Round.objects.create(year=with_version.year, scheme=Scheme.BSC, number=n,
                                    status=Status.DRAFT) for n in (1, 2)]
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.ROUND.fire_many([with_version, *without], "finalise", actor_label="test")
    assert len(refused.value.messages) == 2  # one reason per refused round
    assert all("평가틀 버전" in m for m in refused.value.messages)
    assert set(Round.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert not AuditEvent.objects.filter(action="round.finalise").exists()


def test_a_row_changed_meanwhile_rolls_the_batch_back():
    results = _results(2022, ["70", "80"])
    Result.objects.filter(pk=results[0].pk).update(status=Status.FINALISED)  # another process
    with pytest.raises(TransitionRefused, match="다른 작업"):
        lifecycle.RESULT.fire_many(results, "finalise", actor_label="test")
    assert Result.objects.get(pk=results[1].pk).status == Status.DRAFT
    assert not AuditEvent.objects.filter(action="result.finalise").exists()


def test_the_same_object_twice_is_a_programming_error():
    results = _results(2022, ["70"])
    with pytest.raises(ValueError):
        lifecycle.RESULT.fire_many([results[0], results[0]], "finalise")


def test_bulk_finalise_and_publish_of_a_round_skip_results_already_there(officer):
    results = _results(2022, ["70", "80", "90"])
    workflow.finalise_result(results[0], officer)
    workflow.finalise_results(results, officer)
    assert AuditEvent.objects.filter(action="result.finalise").count() == 3  # not 4
    with pytest.raises(WorkflowError):  # a draft among them refuses the batch
        workflow.publish_results([*results, *_results(2023, ["60"])], officer)
    assert not Result.objects.filter(status=Status.PUBLISHED).exists()
    workflow.publish_results(results, officer)
    workflow.finalise_round(results[0].round, officer)  # nothing left in draft
    assert set(Result.objects.filter(round=results[0].round)
               .values_list("status", flat=True)) == {Status.PUBLISHED}
