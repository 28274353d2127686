"""Statistics read once (a fixed number of queries) and years before any threshold
policy (no crash, no decision)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

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
    assert by_period[(2019, None)].change_vs_previous_display == "+0.03"
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


# --- drafts, comparisons and published precision (issue 7 items 2 and 16) ------------


def _mean_of(qs):
    scores = list(qs.values_list("score", flat=True))
    return sum(scores, Decimal(0)) / len(scores)


def test_a_draft_year_is_labelled_and_compares_with_the_previous_evaluated_year(seoul):
    """2024 results recorded as drafts: office figures count them and say so; public
    figures (published rows only) leave them out; "전년 대비" of 2024 names 2020 (the
    latest earlier year with results), not 2023 (a published summary only) or 2023-1."""
    rnd = draft_round(2024, 1)
    for i, score in enumerate(("70.25", "81.50", "90.00")):
        workflow.record_result(service=service(f"svc-d{i}"), round=rnd, score=score)
    everything = statistics.year_statistics(2024)
    assert everything.is_draft and everything.draft_count == 3
    assert everything.status_label == "초안 포함 (작성 중)"
    rows_2024 = Result.objects.filter(round__year__year=2024)
    assert everything.average == _mean_of(rows_2024)
    # the latest earlier year with results or a published year average (2022 and
    # 2023 published only one round's summary each, no year average)
    assert everything.previous_year == 2020
    assert everything.previous_average == _mean_of(Result.objects.filter(
        round__year__year=2020))
    assert everything.change_vs_previous == everything.average - everything.previous_average
    public = statistics.year_statistics(2024, results=Result.objects.published())
    assert public is None  # no published row, no published summary: nothing public
    assert not statistics.year_statistics(2020).is_draft


def test_a_year_is_compared_only_with_earlier_years_of_the_window(seoul):
    by_year = {s.year: s for s in statistics.all_statistics(multi_year=(2015, 2021),
                                                            include_rounds=False)}
    assert by_year[2018].multi_year_average is None  # nothing before 2018
    assert by_year[2018].change_vs_multi_year is None
    s2020 = by_year[2020]
    assert s2020.multi_year_years == (2018, 2019)
    assert s2020.multi_year_label == "2018–2019"
    assert s2020.multi_year_missing == (2015, 2016, 2017)
    assert s2020.multi_year_average == _mean_of(Result.objects.filter(
        round__year__year__in=(2018, 2019)))
    # the published 2022 comparison keeps the period it was printed with
    assert by_year.get(2022) is None or by_year[2022].multi_year_label == "2015–2021"


def test_published_figures_keep_the_precision_they_were_printed_with(seoul):
    from seonggwa.data.seoul import reader

    printed = {(s.year, s.round): s for s in reader.load_rounds()}
    s2022 = statistics.round_statistics(2022, 3)
    line = printed[(2022, 3)]
    assert s2022.source == statistics.PUBLISHED
    # '3개(43%)' and '6.3점 ... 하락' as printed, not 43.0% or -6.30
    assert f"({s2022.below_share_display})" in line.below_threshold_share.text
    assert s2022.below_share_display == "43%"
    assert s2022.change_vs_previous_display == "-6.3"
    assert s2022.change_vs_previous_display.lstrip("-") + "점" in (
        line.previous_year_difference.text)
    assert s2022.average_display == "75.99" and s2022.previous_year == 2021
    s2023 = statistics.round_statistics(2023, 2)
    assert s2023.below_share_display == "20.7%"
    assert f"({s2023.below_share_display})" in printed[(2023, 2)].below_threshold_share.text
    # recomputed figures: two decimals, the stated rounding
    assert statistics.year_statistics(2019).change_vs_previous_display == "+0.03"


# --- figures aggregated by the database equal a plain recomputation (issue 8) ----------


def _recomputed_from_rows(year, number=None):
    """Year (or round) figures the plain way: every row read into Python."""
    rows = Result.objects.outsourcing().filter(round__year__year=year)
    if number is not None:
        rows = rows.filter(round__number=number)
    rows = list(rows.values_list("score", "status"))
    scores = [s for s, _ in rows]
    rnd = Round.objects.filter(year__year=year, number=number).first()
    found = (policy.policy_for_round_or_none(rnd) if number is not None and rnd
             else policy.policy_for_year_or_none(year))
    below = sum(1 for s in scores if s < found.threshold)
    return {"evaluated": len(scores), "average": sum(scores, Decimal(0)) / len(scores),
            "below_count": below, "below_share": Decimal(below * 100) / len(scores),
            "unpublished": sum(1 for _, st in rows if st != "published"),
            "drafts": sum(1 for _, st in rows if st == "draft")}


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from([(2024, 1), (2024, 2), (2025, 1)]),
                          st.integers(min_value=0, max_value=10000),
                          st.sampled_from(["draft", "published"])),
                min_size=1, max_size=25))
@example(rows=[((2024, 1), 0, "draft"), ((2024, 1), 500, "published"),
               ((2024, 2), 7500, "published"), ((2024, 2), 7499, "draft"),
               ((2025, 1), 10000, "published"), ((2025, 1), 9999, "published"),
               ((2025, 1), 6000, "draft")])
def test_database_figures_equal_a_recomputation_from_rows(db, rows):
    """Counts, exact averages (sum over count, rounded half up only at display),
    threshold counts, draft counts and the score histogram match the rows, on every
    database."""
    with transaction.atomic():  # each example on an empty registry
        for i, ((year, number), cents, status) in enumerate(rows):
            score = Decimal(cents).scaleb(-2)
            legacy_result(service(f"gen-{i}"), draft_round(year, number), str(score),
                          status=status)
        by_period = {(s.year, s.round): s for s in statistics.all_statistics()}
        periods = {(y, n) for (y, n), _, _ in rows} | {(y, None) for (y, _), _, _ in rows}
        for year, number in periods:
            got = by_period[(year, number)]
            want = _recomputed_from_rows(year, number)
            assert (got.evaluated, got.average, got.below_count, got.below_share,
                    got.unpublished_count, got.draft_count) == (
                want["evaluated"], want["average"], want["below_count"], want["below_share"],
                want["unpublished"], want["drafts"])
            if number is None:
                dist = statistics.score_distribution(year)
                scores = [float(s) for s in Result.objects.filter(
                    round__year__year=year).values_list("score", flat=True)]
                assert dist["counts"] == [
                    sum(1 for s in scores if lo <= s < hi or (hi == 100 and s == 100))
                    for lo, hi in zip(dist["edges"][:-1], dist["edges"][1:], strict=True)]
                assert dist["n"] == len(scores)
        pooled = statistics.multi_year_average(2024, 2025)
        every = list(Result.objects.values_list("score", flat=True))
        assert pooled == sum(every, Decimal(0)) / len(every)
        transaction.set_rollback(True)
