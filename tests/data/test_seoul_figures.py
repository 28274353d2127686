"""Recompute the published figures from the raw rows of src/seonggwa/data/seoul/.

Two kinds of expected values are used, and neither is read back from the row data:

* literal figures restated in /work/shared/SPEC.md §3 (typed here by hand), and
* the summary figures in outsourcing_rounds.yaml, which are transcribed separately from
  the per-service rows and must agree with what the rows give when recomputed.
"""

from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction

import pytest

from seonggwa.data.seoul import reader as sd


@pytest.fixture(scope="module")
def results():
    return sd.load_results()


@pytest.fixture(scope="module")
def exclusions(results):
    return sd.load_exclusions(results=results)


@pytest.fixture(scope="module")
def rounds():
    return sd.load_rounds()


@pytest.fixture(scope="module")
def narratives():
    return sd.load_narratives()


@pytest.fixture(scope="module")
def links(results, narratives):
    return sd.load_links(results=results, narratives=narratives)


@pytest.fixture(scope="module")
def facts(links):
    return sd.load_facts(links=links)


def summary(rounds, year, rnd):
    matches = [r for r in rounds if r.year == year and r.round == rnd]
    assert len(matches) == 1, (year, rnd)
    return matches[0]


# --------------------------------------------------------------------------- SPEC literals

SPEC_YEARS = {  # SPEC §3 "Published figures to reproduce from the raw rows"
    2018: (44, "80.51"),
    2019: (51, "80.54"),
    2020: (38, "80.34"),
}
SPEC_ROUND_COUNTS = {  # SPEC §3 / 002: 1차, 2차, 3차
    2018: (11, 27, 6),
    2019: (18, 28, 5),
    2020: (12, 22, 4),
}


@pytest.mark.parametrize("year", sorted(SPEC_YEARS))
def test_year_count_and_average_match_spec(results, year):
    count, average = SPEC_YEARS[year]
    stats = sd.year_statistics(results, year, 60)
    assert stats.count == count
    assert stats.average == Decimal(average)
    assert str(stats.average) == average  # two decimals, as published


@pytest.mark.parametrize("year", sorted(SPEC_ROUND_COUNTS))
def test_round_counts_match_spec(results, year):
    counts = Counter(r.round for r in results if r.year == year)
    assert tuple(counts[k] for k in sorted(counts)) == SPEC_ROUND_COUNTS[year]


def test_only_2018_to_2020_have_per_service_scores(results, narratives):
    assert {r.year for r in results} == {2018, 2019, 2020}
    assert all(n.score is None for n in narratives)  # 2022/2023 publish no per-service score


def test_every_result_row_says_how_its_round_was_found(results):
    assert {r.round_source for r in results} == {
        "inferred: table order + published round counts"
    }


# --------------------------------------------------------------------------- rounds.yaml


def test_rounds_yaml_covers_the_published_summaries(rounds):
    keys = {(r.year, r.round) for r in rounds}
    assert keys == {
        (2018, None), (2018, 1), (2018, 2), (2018, 3),
        (2019, None), (2019, 1), (2019, 2), (2019, 3),
        (2020, None), (2020, 1), (2020, 2), (2020, 3),
        (2022, 3), (2023, 2),
    }


@pytest.mark.parametrize("year", [2018, 2019, 2020])
def test_year_summary_agrees_with_rows(results, rounds, year):
    s = summary(rounds, year, None)
    stats = sd.year_statistics(results, year, s.threshold.value)
    assert s.subjects_evaluated.value == stats.count
    assert s.average.value == stats.average
    assert s.threshold.value == 60
    assert s.institutions.value == ("(주)한국능률협회컨설팅", "(주)한국소비자평가연구원")
    assert "5억원 이상" in s.target_criteria.value
    assert "별도 평가체계 없는 사무" in s.target_criteria.value


@pytest.mark.parametrize("year", [2018, 2019, 2020])
def test_round_summaries_agree_with_table_order(results, rounds, year):
    rows = sorted((r for r in results if r.year == year), key=lambda r: r.seq)
    round_entries = sorted((r for r in rounds if r.year == year and r.round is not None),
                           key=lambda r: r.round)
    assert sum(e.subjects_evaluated.value for e in round_entries) == len(rows)
    for entry in round_entries:
        in_round = [r for r in rows if r.round == entry.round]
        assert len(in_round) == entry.subjects_evaluated.value
        # the service the text names for the round ("… 등 N개 사무") opens it in the table
        assert in_round[0].service_name.startswith(entry.first_service_named.value)
        # and the rows of a round form one contiguous block of 연번
        seqs = [r.seq for r in in_round]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
        assert entry.evaluation_period.value.endswith("월")


def test_first_services_of_rounds_are_the_ones_the_brief_names(results):
    firsts = {}
    for r in sorted(results, key=lambda r: (r.year, r.seq)):
        firsts.setdefault((r.year, r.round), r.service_name)
    assert firsts[(2018, 1)] == "마을공동체 종합지원센터 운영"
    assert firsts[(2018, 2)] == "마포주민편익시설"
    assert firsts[(2018, 3)].startswith("21세기 융합형 체험캠프")


def _printed_places(value: Decimal) -> int:
    return max(0, -value.as_tuple().exponent)


def test_2022_round_3_summary(rounds, narratives):
    s = summary(rounds, 2022, 3)
    # SPEC literals
    assert (s.subjects_evaluated.value, s.subjects_total.value) == (7, 61)
    assert s.average.value == Decimal("75.99")
    assert s.threshold.value == 75
    assert s.below_threshold_count.value == 3
    assert s.below_threshold_share.value == Decimal("43")
    assert s.previous_year_average.value == Decimal("82.29")
    assert s.previous_year_difference.value == Decimal("-6.3")
    assert s.multi_year_average.value == Decimal("79.53")
    assert (s.multi_year_average.get("year_from"), s.multi_year_average.get("year_to")) == (
        2015, 2021)
    assert s.multi_year_difference.value == Decimal("-3.54")
    # internal consistency of the published figures
    assert len([n for n in narratives if (n.year, n.round) == (2022, 3)]) == 7
    share = Fraction(s.below_threshold_count.value * 100, s.subjects_evaluated.value)
    places = _printed_places(s.below_threshold_share.value)
    assert sd.round_half_up(share, places) == s.below_threshold_share.value
    diff = s.average.value - s.previous_year_average.value
    places = _printed_places(s.previous_year_difference.value)
    assert sd.round_half_up(diff, places) == s.previous_year_difference.value
    diff = s.average.value - s.multi_year_average.value
    assert diff == s.multi_year_difference.value


def test_2023_round_2_summary(rounds, narratives):
    s = summary(rounds, 2023, 2)
    assert (s.subjects_evaluated.value, s.subjects_total.value) == (29, 47)
    assert s.average.value == Decimal("75.67")
    assert s.threshold.value == 75
    assert s.below_threshold_count.value == 6
    assert s.below_threshold_share.value == Decimal("20.7")
    assert not s.previous_year_average.stated and not s.multi_year_average.stated
    assert len([n for n in narratives if (n.year, n.round) == (2023, 2)]) == 29
    share = Fraction(s.below_threshold_count.value * 100, s.subjects_evaluated.value)
    assert sd.round_half_up(share, 1) == s.below_threshold_share.value


def test_evaluating_institution_changed_in_2022(rounds):
    for key in [(2022, 3), (2023, 2)]:
        assert summary(rounds, *key).institutions.value == ("재단법인 한국산업관계연구원",)


# --------------------------------------------------------------------------- exclusions


def test_exclusions_2018_2020(results, exclusions, rounds):
    index = {r.key: r for r in results}
    assert len(exclusions) == 5  # SPEC: 5 services
    assert Counter(e.year for e in exclusions) == {2018: 2, 2020: 3}
    for e in exclusions:
        threshold = summary(rounds, e.year, None).threshold.value
        assert e.score < threshold
        row = index[e.result_key]
        assert row.remark == "재계약 배제"
        assert row.score == e.score
        assert row.year == e.year
    assert len({e.result_key for e in exclusions}) == 5


def test_remark_and_threshold_agree_both_ways(results, exclusions):
    excluded = {r.key for r in results if r.remark == "재계약 배제"}
    below = {r.key for r in results if r.score < 60}
    assert excluded == below
    assert {e.result_key for e in exclusions} == excluded
    assert all(r.score < 60 for r in results if r.remark == "재계약 배제")
    assert all(r.remark == "재계약 배제" for r in results if r.score < 60)


def test_reviewed_exclusion_match_is_the_logistics_centre(results, exclusions):
    reviewed = [e for e in exclusions if e.match_kind == "reviewed"]
    assert [(e.service_name, e.result_key) for e in reviewed] == [
        ("중소유통물류센터 관리 및 운영", (2020, 23))
    ]
    row = {r.key: r for r in results}[(2020, 23)]
    assert row.service_name == "서울시 중소유통물류센터"


# --------------------------------------------------------------------------- names as written


def test_transcription_glitches_are_kept_as_written(results):
    contractors = {r.contractor for r in results}
    assert "(주)씨에스엔앤이· (주)우리들교육 건소사업" in contractors
    assert "(주)호봇비즈니스 인큐베이터" in contractors
    names = {r.service_name for r in results}
    assert "마포주민편익시설" in names and "마포주민편의시설" in names
    assert "동북어르신돌봄중사자지원센터" in names


def test_corrections_live_only_in_marked_columns(results, narratives):
    corrected = {r.key: r for r in results if r.name_corrected or r.contractor_corrected}
    assert corrected[(2019, 7)].contractor == "(주)호봇비즈니스 인큐베이터"
    assert corrected[(2019, 7)].contractor_corrected == "(주)르호봇비즈니스 인큐베이터"
    assert all(r.correction_note for r in corrected.values())
    ham = [n for n in narratives if n.name_corrected]
    assert [(n.service_name, n.name_corrected) for n in ham] == [
        ("서울합공원 관리운영", "서울함공원 관리운영")
    ]


@pytest.mark.parametrize(
    ("written", "members", "unnamed"),
    [
        ("사단법인 마을· 사단법인 일촌공동체", ("사단법인 마을", "사단법인 일촌공동체"), 0),
        ("카이스트·모두의 연구소 컨소시엄", ("카이스트", "모두의 연구소"), 0),
        ("오니트(주) 외 4", ("오니트(주)",), 4),
        ("한중환경기술(주) 환경시설관리(주)", ("한중환경기술(주)", "환경시설관리(주)"), 0),
        ("(주)엘지스포르츠 (주)두산베어스", ("(주)엘지스포르츠", "(주)두산베어스"), 0),
        ("(사)한국마이크로크레디트 신나는조합·혁신플랫폼 협동조합",
         ("(사)한국마이크로크레디트 신나는조합", "혁신플랫폼 협동조합"), 0),
        ("(주)씨에스엔앤이· (주)우리들교육 건소사업", ("(주)씨에스엔앤이", "(주)우리들교육"), 0),
        ("서울 중동부 수퍼마켓 협동조합", ("서울 중동부 수퍼마켓 협동조합",), 0),
        ("베리준오 주식회사· (사)한국패션봉제 아카데미",
         ("베리준오 주식회사", "(사)한국패션봉제 아카데미"), 0),
    ],
)
def test_split_contractor(written, members, unnamed):
    assert sd.split_contractor(written) == (members, unnamed)


def test_contractor_members_column_follows_the_rule(results):
    for r in results:
        assert (r.contractor_members, r.contractor_unnamed_members) == sd.split_contractor(
            r.contractor)
    # 10 "·" lists, 2 space-separated "(주)" pairs and one "외 4" in the 002 tables
    consortia = [r for r in results
                 if len(r.contractor_members) > 1 or r.contractor_unnamed_members]
    assert len(consortia) == 13


# --------------------------------------------------------------------------- narratives


def test_narratives_have_bullets_and_source_lines(narratives):
    by_set = defaultdict(list)
    for n in narratives:
        by_set[(n.year, n.round)].append(n)
        assert n.achievements and n.improvements
        assert n.heading_line < n.achievements_line < n.improvements_line
    assert {k: len(v) for k, v in by_set.items()} == {(2022, 3): 7, (2023, 2): 29}
    # 2022 round 3 states 사업내용 for every service, 2023 round 2 for none
    assert all(n.scope for n in by_set[(2022, 3)])
    assert not any(n.scope for n in by_set[(2023, 2)])
    assert sum(len(n.achievements) for n in by_set[(2022, 3)]) == 16
    assert sum(len(n.improvements) for n in by_set[(2022, 3)]) == 16


# --------------------------------------------------------------------------- links


def occurrences(links, name):
    keys = {lk.service_key for lk in links if lk.name_as_written == name}
    assert len(keys) == 1, (name, keys)
    key = keys.pop()
    return [lk for lk in links if lk.service_key == key]


def test_samcheonggak_has_two_years(links):
    occ = occurrences(links, "삼청각 위탁관리")
    assert sorted(lk.year for lk in occ) == [2018, 2019]
    assert [lk.match_kind for lk in occ] == ["anchor", "exact"]


def test_hongneung_has_three_years(links):
    occ = occurrences(links, "홍릉 바이오·의료 R&D 앵커시설")
    assert sorted(lk.year for lk in occ) == [2019, 2020, 2022]


@pytest.mark.parametrize(
    ("name", "years"),
    [
        ("평화문화진지", [2019, 2020]),
        ("서울영어마을 관악캠프", [2018, 2020]),
        ("마포주민편의시설", [2018, 2019]),
        ("서울특별시 청년활동지원사업", [2018, 2020, 2023]),
        ("서울창의마을 풍납캠프", [2018, 2020]),
        ("강남주민편익시설", [2019, 2022]),
        ("이음피움 봉제역사관 관리운영", [2019, 2022]),
        ("서울합공원 관리운영", [2020, 2023]),
    ],
)
def test_known_multi_year_services(links, name, years):
    assert sorted(lk.year for lk in occurrences(links, name)) == years


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("지역상생교류사업단", "지역상생교류사업 운영"),
        ("서울직장맘지원센터", "서울시 동부권직장맘지원센터"),
        ("NPO 지원센터", "동북권 NPO 지원센터"),
        ("발달장애사회적응지원센터 운영", "발달장애인지원센터 운영"),
        ("녹색산업육성지원사무", "녹색기업 창업펀드 운영사무"),
        ("서울영어마을 수유캠프", "서울영어마을 관악캠프"),
        ("마포주민편익시설", "마포자원회수시설"),
    ],
)
def test_doubtful_near_matches_are_not_linked(links, a, b):
    key_a = {lk.service_key for lk in links if lk.name_as_written == a}
    key_b = {lk.service_key for lk in links if lk.name_as_written == b}
    assert key_a and key_b and not key_a & key_b


def test_a_service_occurs_at_most_once_per_year(links):
    seen = Counter((lk.service_key, lk.year) for lk in links)
    assert max(seen.values()) == 1


def test_every_row_has_exactly_one_key(links, results, narratives):
    assert len(links) == len(results) + len(narratives)


# --------------------------------------------------------------------------- facts


def test_scores_quoted_in_004_equal_the_2020_table(facts, links, results):
    rows = {(lk.service_key, lk.year): lk for lk in links if lk.source_kind == "result"}
    scores = {r.key: r.score for r in results}
    quoted = [f for f in facts if f.metric == "evaluation_score_quoted"]
    assert len(quoted) == 2
    for f in quoted:
        link = rows[(f.service_key, int(f.period))]
        assert scores[(link.year, link.ref)] == f.value


def test_recurring_findings_named_in_the_spec_are_captured(facts):
    got = {(f.metric, f.period, f.value) for f in facts}
    assert ("staff_turnover_rate_avg_approx", "최근 3년간", Decimal("60")) in got
    assert ("budget_execution_rate", "2022", Decimal("88.02")) in got
    assert ("inspection_findings", "2021", Decimal("35")) in got
    assert ("inspection_findings", "2022", Decimal("33")) in got


def test_finding_counts_add_up(facts):
    coop = [f for f in facts if f.subject_as_written == "서울시 협동조합 지원센터 운영"]
    per_year = sum(f.value for f in coop if f.metric == "inspection_findings")
    total = next(f.value for f in coop if f.metric == "inspection_findings_total")
    assert per_year == total


# --------------------------------------------------------------------------- statistics helper


def _row(score, year=2099, seq=1, rnd=1):
    return sd.ResultRow(year, rnd, seq, "x", "d", "c", Decimal(score), "", "test", None, None,
                        None, ("c",), 0, "f", 1)


def test_year_statistics_rounds_half_up():
    rows = [_row("80.00", seq=1), _row("80.01", seq=2)]
    stats = sd.year_statistics(rows, 2099, 60)
    assert stats.average_exact == Fraction(16001, 200)  # 80.005
    assert stats.average == Decimal("80.01")  # half up, not half even


def test_year_statistics_threshold_is_strict_and_share_has_one_decimal():
    rows = [_row(s, seq=i) for i, s in enumerate(["75.00", "74.99", "90.00"], 1)]
    stats = sd.year_statistics(rows, 2099, 75)
    assert stats.below_count == 1  # 75.00 is not 미만 75
    assert stats.below_share == Decimal("33.3")
    assert stats.below_share_exact == Fraction(100, 3)
    stats = sd.year_statistics(rows, 2099, Decimal("90.01"))
    assert stats.below_share == Decimal("100.0")


def test_year_statistics_by_round_and_empty(results):
    total = sum(sd.year_statistics(results, 2018, 60, round=k).count for k in (1, 2, 3))
    assert total == 44
    with pytest.raises(ValueError, match="no results for year 2017"):
        sd.year_statistics(results, 2017, 60)
