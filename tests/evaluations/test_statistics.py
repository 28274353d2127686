"""Statistics read once (a fixed number of queries) and years before any threshold
policy (no crash, no decision)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from evaluations.factories import contract, draft_round, legacy_result, service
from seonggwa.evaluations.domain import decisions as policy
from seonggwa.evaluations.domain import statistics, workflow
from seonggwa.evaluations.domain.recontract import decision_sheet
from seonggwa.evaluations.models import EvaluationYear, Result, Round

pytestmark = pytest.mark.django_db


def _more_years(first=2024, years=3, per_round=5):
    for year in range(first, first + years):
        for number in (1, 2):
            rnd = draft_round(year, number)
            for i in range(per_round):
                workflow.record_result(service=service(f"svc-{year}-{number}-{i}"), round=rnd,
                                       score=f"{60 + i * 7}.5")


def test_dashboard_statistics_take_a_fixed_number_of_queries(seoul,
                                                             django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        before = statistics.all_statistics(multi_year=(2018, 2020))
    with django_assert_max_num_queries(6):
        agreement = statistics.published_vs_recomputed()
    _more_years()  # three more years with two rounds each
    with django_assert_max_num_queries(6):
        after = statistics.all_statistics(multi_year=(2018, 2026))
    with django_assert_max_num_queries(6):
        assert statistics.published_vs_recomputed() == agreement
    assert len(after) == len(before) + 9
    # one read serves every figure
    data = statistics.statistics_data(Result.objects.published())
    with django_assert_max_num_queries(0):
        statistics.all_statistics(data=data)
        statistics.published_vs_recomputed(data=data)
        statistics.year_statistics(2019, data=data)


def test_batched_figures_are_the_published_ones(seoul):
    _more_years()
    by_period = {(s.year, s.round): s for s in statistics.all_statistics()}
    assert [by_period[(y, None)].average_display for y in (2018, 2019, 2020)] == [
        "80.51", "80.54", "80.34"]
    assert by_period[(2019, None)].change_vs_previous_display == "0.03"
    assert by_period[(2022, 3)].source == statistics.PUBLISHED
    assert by_period[(2024, None)].evaluated == 10
    assert by_period[(2024, 1)].below_count == 3  # 60.5, 67.5, 74.5 < 75 (2024: 75 points)
    assert by_period[(2025, None)].previous_year == 2024
    assert all(a.agrees for a in statistics.published_vs_recomputed()
               if a.source == statistics.RECOMPUTED)
    pooled = statistics.multi_year_average(2018, 2020)
    rows = list(Result.objects.filter(round__year__year__lte=2020).values_list("score",
                                                                                flat=True))
    assert pooled == sum(rows, Decimal(0)) / len(rows)


def test_policy_for_a_year_before_the_first_policy_is_a_clear_message():
    assert policy.no_policy_message(dt.date(1999, 1, 1)) == (
        "1999-01-01에 시행 중인 재계약 기준 정책이 없습니다 "
        "(가장 이른 정책은 2018-01-01부터 시행).")
    with translation.override("en"):
        assert "No re-contract threshold policy was in force on 1999-01-01" in (
            policy.no_policy_message(dt.date(1999, 1, 1)))
    assert policy.policy_for_year_or_none(1999) is None
    assert policy.policy_for_year_or_none(2018).threshold == 60


def test_statistics_and_decisions_of_a_year_without_policy(db):
    svc = service("svc-1999")
    rnd = draft_round(1999)
    with pytest.raises(workflow.WorkflowError, match="1999-01-01에 시행 중인"):
        workflow.record_result(service=svc, round=rnd, score="55")
    assert not Result.objects.exists()
    # a row that came from elsewhere (e.g. a legacy system), written directly
    legacy_result(svc, rnd, "55")
    stats = statistics.year_statistics(1999)
    assert (stats.evaluated, stats.average, stats.threshold, stats.below_count,
            stats.policy_id) == (1, Decimal("55"), None, None, "")
    assert stats.notes == ("이 시기에 시행 중인 재계약 기준 정책이 없습니다.",)
    assert statistics.score_distribution(1999)["threshold"] is None
    assert statistics.all_statistics()[0].year == 1999
    # the decision sheet says so instead of failing
    contract(svc, dt.date(1996, 1, 1), dt.date(1998, 12, 30), "기관")
    sheet = decision_sheet(svc)
    assert sheet.policy_now is None and sheet.decision_now is None
    assert any("1998-12-31에 시행 중인 재계약 기준 정책이 없습니다" in n for n in sheet.notes)
    assert EvaluationYear.objects.filter(year=1999).exists()
    assert Round.objects.filter(year__year=1999).count() == 1
