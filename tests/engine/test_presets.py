"""Every preset loads and validates; each scheme reproduces a hand-worked example;
presets built on a base."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from seonggwa.engine import (
    BatchInput,
    FrameworkError,
    framework_from_dict,
    list_presets,
    load_preset,
    resolve_framework,
    round_half_up,
    score_batch,
    score_subject,
)
from seonggwa.engine import presets as presets_module

from .factories import MARCH_DAY

PRESETS = ("seoul-outsourcing", "seoul-civic-platform-2018",
           "seoul-bsc-2020-citizen-communication", "seoul-bsc-2020-finance",
           "seoul-sustainability-2019", "national-joint-evaluation-2020")
DERIVED = {"seoul-outsourcing-published-total": "seoul-outsourcing"}  # preset -> framework id


def test_every_scheme_has_a_preset():
    assert set(PRESETS) <= set(list_presets())


@pytest.mark.parametrize("name", PRESETS)
def test_preset_loads_and_validates(name):
    framework = load_preset(name)
    assert framework.id == name
    assert framework.indicators
    assert resolve_framework(name).fingerprint == framework.fingerprint


def test_every_listed_preset_loads_and_its_document_is_self_contained():
    for name in list_presets():
        framework = load_preset(name)
        assert framework.id == DERIVED.get(name, name)
        assert "base" not in framework.document
        again = framework_from_dict(framework.document)
        assert again.fingerprint == framework.fingerprint


def test_decision_text_only_in_the_vocabulary():
    # Every preset that decides names decision codes declared in its decisions: section.
    for name in list_presets():
        framework = load_preset(name)
        used = {band.decision for band in framework.bands if band.decision}
        for policy in framework.policies:
            used |= {policy.below, policy.otherwise} - {None}
        assert used <= {d.code for d in framework.decisions}
        if used:
            assert "decisions" in framework.document, name


def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(FrameworkError) as info:
        load_preset("seoul-nothing")
    assert "unknown preset 'seoul-nothing'" in info.value.reason
    assert "seoul-outsourcing" in info.value.reason


# --------------------------------------------------------------------------- scheme A


def outsourcing(common, individual, survey, day):
    return score_subject(load_preset("seoul-outsourcing"), "service",
                         ratings={"C": [common], "I": [individual], "S": [survey]}, on_date=day)


def test_outsourcing_hand_worked():
    # 24 + 40 + 85 % of 20 (= 17) = 81.00 -> above both thresholds
    result = outsourcing(24, 40, 85, dt.date(2023, 3, 1))
    assert result.total_rounded == 81.00
    assert (result.policy_id, result.decision) == ("recontract-75", "eligible")
    assert (result.decision_label, result.decision_label_en) == (
        "재계약 심의 가능", "Eligible for re-contract review")


def test_outsourcing_threshold_depends_on_the_policy_date():
    # 20.5 + 35 + 69.95 % of 20 (= 13.99) = 69.49: fine under the 60 rule, excluded under 75
    for day, policy, decision in [(dt.date(2019, 6, 30), "recontract-60", "eligible"),
                                  (dt.date(2021, 6, 30), "recontract-60", "eligible"),
                                  (dt.date(2022, 11, 30), "recontract-75", "exclude")]:
        result = outsourcing(20.5, 35, 69.95, day)
        assert result.total_rounded == 69.49
        assert (result.policy_id, result.decision) == (policy, decision)
    below_60 = outsourcing(15, 30, 70, dt.date(2019, 1, 1))  # 15 + 30 + 14 = 59
    assert (below_60.decision, below_60.decision_label) == ("exclude", "재계약 배제")


def test_outsourcing_74_995_is_published_as_75_and_kept():
    # 22.5 + 37.495 + 75 % of 20 (= 15) = 74.995 -> 75.00 (half up), decided on the rounded
    result = outsourcing(22.5, 37.495, 75, dt.date(2023, 1, 1))
    assert result.total_rounded == 75.00
    assert result.decision == "eligible"


def test_outsourcing_missing_score_is_an_error_not_a_zero():
    from seonggwa.engine import ScoringError

    with pytest.raises(ScoringError, match="'S'"):
        score_subject(load_preset("seoul-outsourcing"), "svc", ratings={"C": [24], "I": [40]},
                      on_date=dt.date(2023, 1, 1))


# --------------------------------------------------------------------------- scheme B


def civic(quantitative, g1, g2):
    return score_subject(load_preset("seoul-civic-platform-2018"), "district",
                         ratings={"Q": [quantitative], "G1": g1, "G2": g2})


def test_civic_platform_hand_worked():
    # G1: 7 members 5 4 4 3 5 4 4 -> mean 29/7 -> /5 x 50 = 41.428571
    # G2: 3 3 4 3 3 4 3 -> mean 23/7 -> /5 x 50 = 32.857143
    # total = 78 + 41.428571 + 32.857143 = 152.285714 -> 152.29, 양호
    result = civic(78, [5, 4, 4, 3, 5, 4, 4], [3, 3, 4, 3, 3, 4, 3])
    assert result.total == pytest.approx(152.285714, abs=1e-6)
    assert result.total_rounded == 152.29
    assert result.band_label == "양호" and result.decision is None
    g1 = result.indicators[1]
    assert g1.sd == pytest.approx(np.std([5, 4, 4, 3, 5, 4, 4]) / 5 * 50)
    assert "value / 5 x points" in g1.rule


@pytest.mark.parametrize("quantitative, expected", [
    (61, "탁월"),      # 61 + 50 + 50 = 161
    (60.5, "양호"),    # 160.5 has not reached 161
    (21, "양호"),      # 121
    (20.99, "보통"),   # 120.99
    (0, "보통"),       # the 5/5 ratings alone give 100
])
def test_civic_band_boundaries(quantitative, expected):
    assert civic(quantitative, [5] * 7, [5] * 7).band_label == expected


def test_civic_poor_cancels_support():
    # 40 + (2/5 x 50 = 20) + 20.5 ... -> 80.5 is 미흡 (보통 starts at 81) -> 지원 중단
    result = civic(40.5, [2] * 7, [2] * 7)
    assert result.total_rounded == 80.5
    assert (result.band_label, result.decision) == ("미흡", "discontinue")
    assert (result.decision_label, result.decision_label_en) == ("지원 중단",
                                                                 "Support discontinued")
    assert civic(41, [2] * 7, [2] * 7).band_label == "보통"  # 81


def test_civic_needs_five_ratings_per_goal():
    from seonggwa.engine import ScoringError

    with pytest.raises(ScoringError, match="'G2'"):
        civic(70, [4] * 7, [4] * 4)


# --------------------------------------------------------------------------- scheme C


def test_bsc_citizen_communication_hand_worked():
    # integrity 80 / 73.8 capped at 1 -> 20;  participants 8400/10500 = 0.8 -> 16
    # new media 16000/16000 -> 20;            brand 6825/13650 = 0.5 -> 10
    # delay rate (lower) 3.97 / 4.5 = 0.882222 -> 17.644444
    # total 83.644444 -> 83.64
    framework = load_preset("seoul-bsc-2020-citizen-communication")
    actuals = {"integrity": 80, "field-participants": 8400, "new-media-users": 16000,
               "brand-foreigners": 6825, "complaint-delay": 4.5}
    result = score_subject(framework, "시민소통기획관", actuals=actuals)
    assert result.total == pytest.approx(83.644444, abs=1e-6)
    assert result.total_rounded == 83.64
    # before December the integrity actual is missing: left out, 63.644444 of 80 -> 79.56
    early = score_subject(framework, "시민소통기획관",
                          actuals={**actuals, "integrity": None})
    assert early.indicators[0].status == "missing_excluded"
    assert early.total_rounded == 79.56


def test_bsc_weights_are_checked_from_the_rows():
    framework = load_preset("seoul-bsc-2020-finance")
    assert sum(ind.weight for ind in framework.indicators) == 100
    arrears = framework.indicator("arrears-collection")
    assert arrears.target == 17.6 and arrears.target_text == "17.6 (2,221)"
    assert arrears.secondary_targets[0]["value"] == 2221
    result = score_subject(framework, "재무국", actuals={"arrears-collection": 15.84},
                           not_applicable=[c for c in framework.indicator_codes
                                           if c != "arrears-collection"])
    # scored on the rate: 15.84 / 17.6 = 0.9 of 13 points = 11.7, rebased to 90 / 100
    assert result.indicators[-1].points == pytest.approx(11.7)
    assert result.total == pytest.approx(90.0)


# --------------------------------------------------------------------------- scheme D

PUBLISHED = {  # achievement (%) as printed in the 2019 report; None = '-'
    "env-ghg": 67.9, "env-flood": 61.0, "env-energy": 91.3, "env-renewable": 36.0,
    "env-recycling": 95.9, "env-water-reuse": 72.2, "env-pm25": 75.0, "env-hangang": 100,
    "env-park": 95.0, "env-green-transport": 100,
    "soc-women-participation": 90.7, "soc-income-guarantee": None,
    "soc-lifelong-learning": 56.2, "soc-public-housing": 76.0, "soc-elderly-employment": 73.4,
    "soc-citizen-proposals": 100.0, "soc-traffic-deaths": 38.2, "soc-healthy-life": 94.8,
    "soc-culture-satisfaction": 80.7, "soc-village-culture": None,
    "eco-ventures": 87.1, "eco-innovation-workers": 95.3, "eco-employment": 94.9,
    "eco-youth-employment": 91.8, "eco-foreigner-satisfaction": 85.8, "eco-tourists": 52.6,
    "eco-social-enterprises": 47.6, "eco-sharing-orgs": 97.0,
    "eco-manufacturing-workers": 89.7, "eco-urban-farming": 39.6,
}


def sustainability_inputs(framework):
    actuals, targets, na = {}, {}, []
    for code, pct in PUBLISHED.items():
        if pct is None:
            na.append(code)
            continue
        targets[code] = 100.0
        # should-fall indicators: 2 - actual/target = pct/100  ->  actual = 200 - pct
        falls = framework.indicator(code).direction == "shortfall"
        actuals[code] = 200.0 - pct if falls else pct
    return actuals, targets, na


def test_sustainability_reproduces_the_published_2019_figures():
    # 환경 794.3/10 = 79.43 -> 79.4; 사회문화 610.0/8 = 76.25 -> 76.3 (half up);
    # 경제 781.4/10 = 78.14 -> 78.1; overall (79.43 + 76.25 + 78.14)/3 = 77.94 -> 77.9
    # (the mean of the 28 values, 2185.7/28 = 78.06, is NOT the published figure)
    framework = load_preset("seoul-sustainability-2019")
    assert len(framework.indicators) == 30
    actuals, targets, na = sustainability_inputs(framework)
    result = score_subject(framework, "서울시", actuals=actuals, targets=targets,
                           not_applicable=na)
    areas = {a.code: round_half_up(a.points, 1) for a in result.areas}
    assert areas == {"environment": 79.4, "society": 76.3, "economy": 78.1}
    assert result.total_rounded == 77.9
    excluded = [i.code for i in result.indicators if i.status == "not_applicable"]
    assert excluded == ["soc-income-guarantee", "soc-village-culture"]


def test_sustainability_implementation_classification():
    framework = load_preset("seoul-sustainability-2019")
    codes = framework.indicator_codes[:4]
    actuals = np.full((1, 30), np.nan)
    targets = np.full((1, 30), np.nan)
    targets[0, :4] = 100
    actuals[0, :4] = [100, 150, 100, 30]  # ghg/flood/energy fall; renewable rises
    # ghg 100 of 100 -> 달성; flood 150 -> 0.5 -> 일부달성; energy 100 -> 달성; renewable 0.3 -> 미달성
    result = score_batch(framework, BatchInput(["x"], None, actuals, targets)).subject(0)
    levels = {i.code: i.classification for i in result.indicators if i.code in codes}
    assert levels == {"env-ghg": "달성", "env-flood": "일부달성", "env-energy": "달성",
                      "env-renewable": "미달성"}


# --------------------------------------------------------------------------- scheme E


def test_joint_evaluation_share_met_and_rank_within_group():
    framework = load_preset("national-joint-evaluation-2020")
    codes = framework.indicator_codes
    k = len(codes)
    fmd = codes.index("fmd-vaccination")
    targets = np.full((4, k), 100.0)
    actuals = np.full((4, k), 100.0)
    actuals[0, :2] = 90      # 시부 A: 8 of its 10 indicators met -> 80.0
    actuals[1, :1] = 90      # 시부 B: 9 of 10 -> 90.0
    actuals[2, :2] = 99.9    # 도부 C: 9 of 11 -> 81.818 -> 81.8
    actuals[3, fmd] = 50     # 도부 D: 10 of 11 -> 90.9
    actuals[0, fmd] = 0      # 시부 A: the 도부-only indicator is not counted at all
    groups = np.array([0, 0, 1, 1])
    result = score_batch(framework, BatchInput(["A", "B", "C", "D"], None, actuals, targets,
                                               groups=groups))
    assert result.total_rounded.tolist() == [80.0, 90.0, 81.8, 90.9]
    assert result.rank.tolist() == [2, 1, 2, 1]
    assert np.isnan(result.indicator_points[0, fmd])
    assert result.subject(0).indicators[fmd].status == "not_applicable"


# --------------------------------------------------------------------------- base presets


def test_published_total_preset_is_built_on_the_outsourcing_preset():
    assert "seoul-outsourcing-published-total" in list_presets()
    framework = load_preset("seoul-outsourcing-published-total")
    base = load_preset("seoul-outsourcing")
    assert (framework.id, framework.version) == ("seoul-outsourcing", "published-total")
    assert framework.title == "민간위탁 종합성과평가 (총점 공개분)"
    assert framework.indicator_codes == ("T",)
    assert framework.indicator("T").kind == "direct" and framework.indicator("T").points == 100
    assert framework.policies == base.policies and framework.decisions == base.decisions
    assert framework.fingerprint != base.fingerprint
    # The stored document is the resolved one and re-validates on its own.
    assert "base" not in framework.document and "policies" in framework.document
    assert framework_from_dict(framework.document).fingerprint == framework.fingerprint


@pytest.mark.parametrize("published, day, rounded, decision", [
    (80.51, MARCH_DAY, 80.51, "eligible"),
    (74.995, MARCH_DAY, 75.00, "eligible"),   # half up to 75.00, decided on the rounded total
    (74.994, MARCH_DAY, 74.99, "exclude"),
    (59.99, dt.date(2020, 6, 1), 59.99, "exclude"),
    (70.00, dt.date(2020, 6, 1), 70.00, "eligible"),  # the 60-point line of 2018-2021
    (70.00, MARCH_DAY, 70.00, "exclude"),
])
def test_published_totals_are_decided_under_the_base_policies(published, day, rounded,
                                                              decision):
    framework = load_preset("seoul-outsourcing-published-total")
    result = score_subject(framework, "svc", ratings={"T": [published]}, on_date=day)
    assert result.total_rounded == rounded
    assert result.decision == decision
    assert not result.rescaled and result.scale_max == 100


def fake_presets(monkeypatch, tmp_path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(presets_module, "_preset_files",
                        lambda: {p.stem: p for p in tmp_path.glob("*.yaml")})


def test_base_cycles_and_unknown_bases_are_refused(monkeypatch, tmp_path):
    fake_presets(monkeypatch, tmp_path, {"a": "base: b\n", "b": "base: a\n", "c": "base: c\n",
                                         "d": "base: nowhere\nversion: x\n"})
    for name, reason in [("a", "cycle of base presets (a -> b -> a)"),
                         ("c", "cycle of base presets (c -> c)"),
                         ("d", "unknown base preset 'nowhere'")]:
        with pytest.raises(FrameworkError) as info:
            load_preset(name)
        assert info.value.field == "base" and reason in info.value.reason


def test_base_keys_are_replaced_whole(monkeypatch, tmp_path):
    base = ("id: tiny\nversion: '1'\ntitle: tiny\ntotal: 10\nareas:\n  - code: a\n    name: a\n"
            "    indicators:\n      - {code: x, name: x, kind: direct, points: 10}\n")
    fake_presets(monkeypatch, tmp_path, {
        "tiny": base, "tiny-2": "base: tiny\nversion: '2'\n",
        "tiny-3": "base: tiny-2\ntitle: third\n"})
    third = load_preset("tiny-3")
    assert (third.id, third.version, third.title) == ("tiny", "2", "third")
    assert set(third.document) == {"id", "version", "title", "total", "areas"}
