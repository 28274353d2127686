"""Each service's current result is kept on its row through every write of the
workflow (record, update, correction, publication, rescoring)."""

from decimal import Decimal

import pytest

from evaluations.factories import draft_round, service
from seonggwa.evaluations.domain import current, workflow
from seonggwa.evaluations.models import Result
from seonggwa.registry.models import Service

pytestmark = pytest.mark.django_db


def _row(svc):
    s = Service.objects.get(pk=svc.pk)
    return (s.latest_result_id, s.latest_score, s.latest_year, s.latest_decision_code)


def _expected(svc):
    r = (Result.objects.outsourcing().filter(service=svc)
         .order_by("-round__year__year", "-round__number", "-id").first())
    return (r.pk, r.score, r.round.year.year, r.decision_code) if r else (None, None, None, "")


def test_current_result_follows_every_write():
    svc, other = service("svc-cur"), service("svc-other")
    assert _row(svc) == (None, None, None, "")
    first = workflow.record_result(service=svc, round=draft_round(2024, 1), score="81.25")
    assert _row(svc) == _expected(svc) == (first.pk, Decimal("81.25"), 2024, first.decision_code)
    # a later evaluation becomes the current one; an earlier round does not
    later = workflow.record_result(service=svc, round=draft_round(2025, 1), score="70.50")
    workflow.record_result(service=other, round=draft_round(2024, 2), score="90")
    assert _row(svc) == _expected(svc) and _row(svc)[0] == later.pk
    assert _row(svc)[3] == "exclude"  # 70.50 is below 2025's threshold
    # a draft changed
    workflow.update_result(later, score="88.00")
    assert _row(svc) == _expected(svc) and _row(svc)[1] == Decimal("88.00")
    # finalised, published: nothing the list shows changes, and it stays right
    workflow.publish_result(workflow.finalise_result(Result.objects.get(pk=later.pk)))
    assert _row(svc) == _expected(svc)
    # a correction of the published result
    workflow.amend_result(Result.objects.get(pk=later.pk), "62.00", "오기 정정")
    assert _row(svc) == _expected(svc) and _row(svc)[1] == Decimal("62.00")
    # rescoring the round from its stored inputs (a correction: a reason is given)
    rnd = Result.objects.get(pk=later.pk).round
    workflow.rescore(rnd, reason="재채점")
    assert _row(svc) == _expected(svc)
    assert _row(other) == _expected(other)
    # the refresh repairs a row that went stale, and empties one without results
    Service.objects.filter(pk=svc.pk).update(latest_score=None, latest_result=None)
    alone = service("svc-alone")
    Service.objects.filter(pk=alone.pk).update(latest_score=Decimal(50), latest_year=2020,
                                               latest_decision_code="exclude")
    assert current.refresh_current_results([svc.pk, other.pk, alone.pk, None]) == 3
    assert _row(svc) == _expected(svc)
    assert _row(alone) == _expected(alone) == (None, None, None, "")
    values = current.current_values([svc.pk, alone.pk])
    assert values[svc.pk]["latest_result_id"] == _row(svc)[0]
    assert values[alone.pk]["latest_score"] is None


def test_results_carry_their_rounds_year_and_number_for_ordering():
    """Result lists order on the result's own (indexed) year and round number; the write
    path copies them from the round, for the engine's bulk path and a plain save alike."""
    from evaluations.factories import legacy_result

    later = draft_round(2024, 2)
    earlier = draft_round(2023, 1)
    recorded = workflow.record_result(service=service("svc-9101"), round=later, score="70",
                                      actor_label="test")
    saved = legacy_result(service("svc-9102"), earlier, "80")
    recorded.refresh_from_db()
    assert (recorded.year, recorded.round_number) == (2024, 2)
    assert (saved.year, saved.round_number) == (2023, 1)
    assert list(Result.objects.all()) == [saved, recorded]
