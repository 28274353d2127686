from decimal import Decimal

import pytest

from evaluations.factories import draft_round, service
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.flags import flags_for_service, flags_for_services
from seonggwa.registry.models import InspectionFinding, OperatingFigure, Service

pytestmark = pytest.mark.django_db


def fig(svc, kind, year, value, quarter=None, indicator=""):
    return OperatingFigure.objects.create(service=svc, kind=kind, year=year, value=value,
                                          quarter=quarter, indicator=indicator, unit="%")


def codes(svc, **kw):
    return {f.code: f for f in flags_for_service(svc, **kw)}


def test_target_below_previous_actual_with_evidence():
    svc = service("svc-f1")
    actual = fig(svc, "actual", 2022, 1200, indicator="방문객 수")
    target = fig(svc, "target", 2023, 1000, indicator="방문객 수")
    fig(svc, "target", 2023, 50, indicator="교육 횟수")  # no actual to compare
    flag = codes(svc)["target_below_previous_actual"]
    assert flag.evidence["target"] == 1000 and flag.evidence["previous_actual"] == 1200
    assert set(flag.sources) == {("registry.operatingfigure", actual.pk),
                                 ("registry.operatingfigure", target.pk)}
    assert flag.label_ko == "목표가 전년 실적보다 낮음"


def test_turnover_line_is_strictly_above_and_configurable(settings):
    svc = service("svc-f2")
    fig(svc, "staff_turnover", 2022, Decimal("30"))
    assert "high_staff_turnover" not in codes(svc)
    fig(svc, "staff_turnover", 2023, Decimal("30.01"))
    assert codes(svc)["high_staff_turnover"].evidence["turnover"] == Decimal("30.01")
    settings.SEONGGWA_FLAG_LINES = {"turnover_max": 50}
    assert "high_staff_turnover" not in codes(svc)


def test_low_and_uneven_budget_execution():
    svc = service("svc-f3")
    fig(svc, "budget_execution", 2022, Decimal("88.02"))
    for q, v in ((1, 10), (2, 20), (3, 25), (4, 45)):
        fig(svc, "budget_execution", 2022, v, quarter=q)
    found = codes(svc)
    assert found["low_budget_execution"].evidence["execution"] == Decimal("88.02")
    uneven = found["uneven_budget_execution"]
    assert uneven.evidence["spread"] == 35 and len(uneven.sources) == 4
    even = service("svc-f4")
    fig(even, "budget_execution", 2022, Decimal("95"))
    for q in (1, 2, 3, 4):
        fig(even, "budget_execution", 2022, 24 + q, quarter=q)
    assert codes(even) == {}


def test_inspection_findings_repeated_across_years():
    svc = service("svc-f5")
    InspectionFinding.objects.create(service=svc, year=2021, count=35)
    assert "repeated_inspection_findings" not in codes(svc)
    InspectionFinding.objects.create(service=svc, year=2022, count=33)
    flag = codes(svc)["repeated_inspection_findings"]
    assert flag.evidence["counts"] == {2021: 35, 2022: 33}


def test_score_falling_year_on_year():
    svc = service("svc-f6")
    workflow.record_result(service=svc, round=draft_round(2022, 1), score="82.00")
    assert "falling_score" not in codes(svc)  # one result only
    workflow.record_result(service=svc, round=draft_round(2024, 1), score="79.50")
    flag = codes(svc)["falling_score"]
    assert flag.evidence["drop"] == Decimal("2.50")
    assert flag.evidence["previous_year"] == 2022 and flag.evidence["latest_year"] == 2024


def test_seoul_data_raises_the_flags_the_texts_describe(seoul):
    by_key = {s.key: s.pk for s in Service.objects.all()}
    flags = flags_for_services(by_key.values())
    found = {k: {f.code for f in flags[pk]} for k, pk in by_key.items()}
    assert "repeated_inspection_findings" in found["svc-0099"]  # 서울혁신센터 35 → 33
    assert "low_budget_execution" in found["svc-0009"]  # 시민청 88.02%
    assert "high_staff_turnover" in found["svc-0104"]  # 청년허브 약 60%
    assert "falling_score" in found["svc-0043"]  # 삼청각 74.30 → 72.77


def test_flag_labels_exist_in_both_languages_for_every_flag():
    from seonggwa.evaluations.domain.flags import FLAG_LABELS, Flag

    for code in FLAG_LABELS:
        flag = Flag(code, {})
        assert flag.label_ko and flag.label_en and flag.label_ko != flag.label_en
