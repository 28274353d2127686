import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command

from seonggwa.core.formatting import round_half_up
from seonggwa.core.models import AuditEvent
from seonggwa.data.seoul import reader as seoul_data
from seonggwa.evaluations.domain import decisions as policy
from seonggwa.evaluations.domain import statistics
from seonggwa.evaluations.models import Narrative, PublishedSummary, Result, Round, Status
from seonggwa.examples.seoul import (
    ACTOR_LABEL,
    SeoulLoadError,
    load_seoul,
    parse_period,
)
from seonggwa.registry.models import MatchKind, Organisation, Service

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("year", "count", "average"), [
    (2018, 44, "80.51"), (2019, 51, "80.54"), (2020, 38, "80.34"),
])
def test_published_year_averages_are_recomputed_from_the_rows(seoul, year, count, average):
    stats = statistics.year_statistics(year)
    assert stats.source == statistics.RECOMPUTED
    assert stats.evaluated == count
    assert round_half_up(stats.average, 2) == Decimal(average)
    assert stats.average_display == average
    assert stats.institutions == ("(주)한국능률협회컨설팅", "(주)한국소비자평가연구원")


def test_every_published_figure_with_rows_agrees(seoul):
    checks = statistics.published_vs_recomputed()
    with_rows = [c for c in checks if c.source == statistics.RECOMPUTED]
    assert {c.year for c in with_rows} == {2018, 2019, 2020}
    assert all(c.agrees for c in with_rows), [c for c in with_rows if not c.agrees]
    # round counts too (11/27/6, 18/28/5, 12/22/4)
    rounds = {(c.year, c.round): c.published for c in with_rows
              if c.figure == "evaluated" and c.round}
    assert rounds[(2018, 2)] == 27 and rounds[(2019, 1)] == 18 and rounds[(2020, 3)] == 4


def test_2022_and_2023_are_published_figures_not_recomputed(seoul):
    s22 = statistics.round_statistics(2022, 3)
    assert s22.source == statistics.PUBLISHED
    assert (s22.evaluated, s22.subjects_total, s22.average, s22.below_count) == (
        7, 61, Decimal("75.99"), 3)
    assert s22.below_share == Decimal("43")
    assert s22.previous_average == Decimal("82.29")
    assert s22.change_vs_previous == Decimal("-6.3")
    assert (s22.multi_year_label, s22.multi_year_average) == ("2015–2021", Decimal("79.53"))
    assert s22.threshold == Decimal("75")
    s23 = statistics.round_statistics(2023, 2)
    assert (s23.evaluated, s23.subjects_total, s23.average, s23.below_count,
            s23.below_share) == (29, 47, Decimal("75.67"), 6, Decimal("20.7"))
    assert Round.objects.get(year__year=2023, number=2).published_only
    assert PublishedSummary.objects.get(round__year__year=2022).published_only
    comparisons = [c for c in statistics.published_vs_recomputed() if c.year in (2022, 2023)]
    assert comparisons and all(c.agrees is None and c.source == "published"
                               for c in comparisons)


def test_each_summary_keeps_its_document_title_and_the_decimals_it_was_printed_with(seoul):
    s22 = PublishedSummary.objects.get(round__year__year=2022)
    assert s22.source_document == "'22년 민간위탁 종합성과평가(제3차) 결과공개"
    assert s22.printed_decimals["below_share"] == 0  # printed "43", not "43.0"
    assert s22.printed_decimals["change_vs_previous"] == 1


def test_summaries_loaded_before_their_titles_were_stored_get_them_on_the_next_load(seoul):
    before = {s.pk: (s.source_document, s.printed_decimals)
              for s in PublishedSummary.objects.all()}
    PublishedSummary.objects.update(source_document="", printed_decimals=None)
    load_seoul()
    assert {s.pk: (s.source_document, s.printed_decimals)
            for s in PublishedSummary.objects.all()} == before


def test_exclusions_are_five_results_below_60_decided_by_the_60_point_policy(seoul):
    excluded = policy.adverse_results(Result.objects.all())
    assert excluded.count() == 5
    assert all(r.score < 60 for r in excluded)
    assert {r.policy_id for r in excluded} == {"recontract-60"}
    assert {r.remark for r in excluded} == {"재계약 배제"}
    expected = {(e.result_year, e.result_seq) for e in seoul_data.load_exclusions()}
    assert {(r.round.year.year, r.seq) for r in excluded} == expected
    # every loaded 2018–2020 result was decided by the policy in force then
    assert set(Result.objects.values_list("policy_id", flat=True)) == {
        "recontract-60"}
    assert seoul.exclusions_checked == 5


def test_all_rows_are_loaded_published_with_names_as_written(seoul):
    rows = seoul_data.load_results()
    assert Result.objects.count() == len(rows) == 133
    assert set(Result.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    r = Result.objects.get(round__year__year=2018, seq=39)
    assert r.contractor_name == "(주)씨에스엔앤이· (주)우리들교육 건소사업"
    assert sorted(c.name for c in r.contractors.all()) == ["(주)씨에스엔앤이", "(주)우리들교육"]
    fixed = Organisation.objects.get(name="(주)씨에스엔앤이")
    assert fixed.corrected_name == "(주)씨에스엠앤이" and fixed.is_corrected


def test_the_same_service_across_years_is_one_service_with_its_names(seoul):
    samcheong = Service.objects.get(name="삼청각 위탁관리")
    assert [r.score for r in samcheong.results.order_by("round__year__year")] == [
        Decimal("74.30"), Decimal("72.77")]
    hongneung = Service.objects.get(names__name="홍릉 바이오·의료 R&D 앵커시설")
    names = {(n.year, n.name): n.match for n in hongneung.names.all()}
    assert names[(2019, "홍릉 바이오·의료 R&D 앵커시설 관리 및 운영")] == MatchKind.ANCHOR
    assert names[(2020, "홍릉 바이오·의료 R&D 앵커시설")] == MatchKind.REVIEWED
    assert names[(2022, "홍릉 바이오·의료 R&D 앵커시설 관리운영")] == MatchKind.REVIEWED
    assert hongneung.results.count() == 2
    assert Narrative.objects.filter(service=hongneung, round__year__year=2022).exists()


def test_narratives_keep_ordered_achievements_and_open_improvement_tasks(seoul):
    assert Narrative.objects.filter(round__year__year=2022).count() == 7
    assert Narrative.objects.filter(round__year__year=2023).count() == 29
    first = Narrative.objects.get(round__year__year=2022, order=1)
    assert first.scope.startswith("바이오·의료 R&D 기술혁신 지원")
    assert len(first.achievements) == 3
    tasks = first.improvement_tasks
    assert [t.order for t in tasks] == [1, 2]
    assert {t.follow_up_status for t in tasks} == {"open"}


def test_quoted_facts_become_findings_and_operating_figures(seoul):
    innovation = Service.objects.get(key="svc-0099")
    assert sorted(innovation.inspection_findings.values_list("year", "count")) == [
        (2021, 35), (2022, 33)]
    simin = Service.objects.get(key="svc-0009")
    fig = simin.operating_figures.get(kind="budget_execution")
    assert (fig.year, fig.value) == (2022, Decimal("88.02"))


def test_services_known_only_from_narratives_have_no_department_not_an_empty_one(seoul):
    assert not Organisation.objects.filter(name__regex=r"^\s*$").exists()
    # the 2022/2023 narratives name no department: services known only from them
    narrative_only = Service.objects.filter(results__isnull=True)
    assert set(narrative_only) == set(Service.objects.filter(department__isnull=True))
    assert narrative_only.count() == 12
    assert not Service.objects.filter(department__name="").exists()


def test_loader_is_idempotent(db):
    # (Its speed is a benchmark's business, not a test's: see bench/.)
    first = load_seoul()
    counts = (Result.objects.count(), Service.objects.count(), Organisation.objects.count(),
              Narrative.objects.count(), AuditEvent.objects.count())
    second = load_seoul()
    assert sum(second.created.values()) == 0
    assert counts == (Result.objects.count(), Service.objects.count(),
                      Organisation.objects.count(), Narrative.objects.count(),
                      AuditEvent.objects.count())
    assert first.created["results"] == 133
    assert AuditEvent.objects.filter(action="result.create").count() == 133


def test_loader_writes_an_audit_record_per_round(seoul):
    events = AuditEvent.objects.filter(action="round.load")
    assert events.count() == 9
    assert sum(e.after["results"] for e in events) == 133
    assert {e.actor_label for e in events} == {ACTOR_LABEL} == {"서울시 공개자료 적재"}


def test_loader_is_atomic_when_the_data_contradict_itself(db, tmp_path):
    src = tmp_path / "seoul"
    shutil.copytree(seoul_data.data_dir(), src)
    path = src / "outsourcing_exclusions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",58.96,", ",58.97,", 1),
                    encoding="utf-8")
    with pytest.raises(SeoulLoadError, match="58.97"):
        load_seoul(src)
    assert Result.objects.count() == 0 and Service.objects.count() == 0


def test_management_command_runs(db, capsys):
    call_command("load_seoul")
    assert "results 133" in capsys.readouterr().out


@pytest.mark.parametrize(("text", "year", "start", "end"), [
    ("1~4월", 2018, "2018-01-01", "2018-04-30"),
    ("'22. 6. 17. ~ 9. 30.", 2022, "2022-06-17", "2022-09-30"),
    ("'23년 4월 ~ 6월", 2023, "2023-04-01", "2023-06-30"),
])
def test_round_periods_are_read_as_printed(text, year, start, end):
    a, b = parse_period(text, year)
    assert (a.isoformat(), b.isoformat()) == (start, end)


def test_policy_in_force_by_date():
    import datetime as dt

    assert policy.policy_for_year_or_none(2018).threshold == 60
    assert policy.policy_for_year_or_none(2021).threshold == 60
    assert policy.policy_in_force_or_none(dt.date(2021, 12, 31)).threshold == 60
    assert policy.policy_in_force_or_none(dt.date(2022, 1, 1)).threshold == 75
    p75 = policy.policy_for_year_or_none(2023)
    assert p75.decide("74.99").adverse and not p75.decide("75.00").adverse
