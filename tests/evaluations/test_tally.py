"""Statistics pages read per-round tallies kept by database triggers; the tallies must
equal the result rows after any write, and every figure read from them must equal the
figure counted from the rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from evaluations.factories import draft_round, service
from seonggwa.evaluations.domain import statistics, workflow
from seonggwa.evaluations.models import Result, Status
from seonggwa.evaluations.models.results import ResultTally

pytestmark = pytest.mark.django_db


def from_rows() -> dict:
    """The tally recomputed in Python from every result row."""
    out: dict = {}
    for rnd, status, score in Result.objects.values_list("round_id", "status", "score"):
        point = int(score // 1)
        key = (rnd, status, point, score == point)
        n, cents = out.get(key, (0, 0))
        out[key] = (n + 1, cents + int(score * 100))
    return out


def kept() -> dict:
    return {(t.round_id, t.status, t.point, t.whole): (t.n, t.cents)
            for t in ResultTally.objects.all()}


def figures(stats):
    return [s.as_dict() for s in stats]


def rows_only(qs):
    """The same results through a filter the tally cannot answer (counted from rows)."""
    return qs.filter(score__gte=Decimal("-1000"))


def test_the_seoul_data_are_tallied_and_the_figures_are_the_rows(seoul):
    assert kept() == from_rows() and kept()
    for base in (Result.objects.outsourcing(), Result.objects.outsourcing().published()):
        assert statistics.tally_of(base) is not None
        assert statistics.tally_of(rows_only(base)) is None
        assert figures(statistics.all_statistics(results=base)) == figures(
            statistics.all_statistics(results=rows_only(base)))
        for year in (None, 2019, 2020):
            assert statistics.score_distribution(year, results=base) == \
                statistics.score_distribution(year, results=rows_only(base))
        assert statistics.result_count(base) == base.count() > 100


def test_every_write_keeps_the_tally_equal_to_the_rows(db):
    rnd = draft_round(2024, 1)
    results = [workflow.record_result(service=service(f"svc-{i}"), round=rnd,
                                      score=score)
               for i, score in enumerate(["59.99", "60", "70.10", "100", "0.01", "60"])]
    assert kept() == from_rows()
    assert kept()[(rnd.pk, Status.DRAFT, 60, True)] == (2, 12000)
    workflow.update_result(results[0], score="88.25")  # a draft's score changes
    assert kept() == from_rows()
    workflow.finalise_round(rnd)  # every status changes
    assert kept() == from_rows()
    workflow.publish_results(Result.objects.filter(round=rnd).select_related("round__year"))
    assert kept() == from_rows()
    workflow.amend_result(Result.objects.get(pk=results[3].pk), "99.5", "정정 사유")
    assert kept() == from_rows()
    Result.objects.filter(pk=results[1].pk).delete()  # a delete outside the workflow too
    assert kept() == from_rows()
    Result.objects.filter(round=rnd).update(score=Decimal("75.5"))  # a bulk update
    assert kept() == from_rows() == {(rnd.pk, Status.PUBLISHED, 75, False): (5, 37750)}


def test_figures_for_a_search_are_counted_from_the_rows(seoul):
    base = Result.objects.outsourcing().published()
    some = base.filter(service_name__contains="지원")
    assert statistics.tally_of(some) is None
    assert statistics.result_count(some) == some.count()
    agg = some.aggregate(n=Count("pk"), total=Sum("score"))
    year_stats = statistics.all_statistics(results=some, include_rounds=False)
    assert sum(s.evaluated for s in year_stats if s.source == "recomputed") == agg["n"]
