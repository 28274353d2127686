"""Display of the domain's automatic flags: translated labels and readable evidence."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from seonggwa.core.formatting import format_score

FLAG_LABELS = {
    "target_below_previous_actual": _("목표가 전년 실적보다 낮음"),
    "high_staff_turnover": _("이직률 높음"),
    "low_budget_execution": _("예산 집행률 낮음"),
    "uneven_budget_execution": _("분기별 집행 편차 큼"),
    "repeated_inspection_findings": _("지도점검 지적 반복"),
    "falling_score": _("평가 점수 하락"),
}

EVIDENCE_LABELS = {
    "indicator": _("지표"),
    "year": _("연도"),
    "target": _("목표"),
    "previous_year": _("전년"),
    "previous_actual": _("전년 실적"),
    "unit": _("단위"),
    "period": _("기간"),
    "turnover": _("이직률"),
    "line_max": _("기준(이하)"),
    "line_min": _("기준(이상)"),
    "execution": _("집행률"),
    "quarters": _("분기별"),
    "spread": _("편차"),
    "line_spread_max": _("허용 편차"),
    "years": _("지적 연도"),
    "counts": _("연도별 건수"),
    "line_years": _("기준 연도 수"),
    "previous_score": _("이전 점수"),
    "latest_year": _("최근 연도"),
    "latest_score": _("최근 점수"),
    "drop": _("하락 폭"),
    "line_drop": _("기준 하락 폭"),
}


def _value(value) -> str:
    if isinstance(value, Decimal):
        return format_score(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v) for v in value)
    return "" if value is None else str(value)


@dataclass
class FlagView:
    code: str
    label: str
    evidence: list[tuple[str, str]]
    sources: tuple


def describe_flags(flags) -> list[FlagView]:
    out = []
    for f in flags:
        label = FLAG_LABELS.get(f.code)
        evidence = [(str(EVIDENCE_LABELS.get(k, k)), _value(v))
                    for k, v in f.evidence.items() if k != "unit" and v not in (None, "")]
        out.append(FlagView(f.code, str(label) if label else f.label_ko, evidence,
                            tuple(f.sources)))
    return out
