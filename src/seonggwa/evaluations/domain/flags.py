"""Automatic flags on a service, each with its evidence (SPEC §3 "Recurring findings").

Each :class:`Flag` has a ``code``, Korean and English labels, an ``evidence`` dict (the
numbers that triggered it and the line they were compared with) and ``sources`` (model
label and primary key of every row used), so a page can show why and link to the rows.

Flags and their lines (defaults; override any with ``settings.SEONGGWA_FLAG_LINES``)::

    target_below_previous_actual  a year's target for an indicator is below the previous
                                  year's actual of the same indicator (higher-is-better
                                  indicators; 목표설정의 도전성)
    high_staff_turnover           staff turnover > turnover_max (default 30 %)
    low_budget_execution          yearly budget execution < budget_execution_min (90 %)
    uneven_budget_execution       quarterly execution spread (max − min quarter, in
                                  percentage points) > budget_quarter_spread_max (20)
    repeated_inspection_findings  inspection findings in ≥ inspection_repeat_years (2)
                                  different years
    falling_score                 the latest result is lower than the previous one by more
                                  than score_drop_min (default 0: any fall)

The 30 % turnover line is our default, not the city's (the documents cite "평균 약 60%"
as a problem but give no line); it is a setting on purpose.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from seonggwa.evaluations.domain.current import latest_first
from seonggwa.evaluations.models import Result
from seonggwa.registry.models import FigureKind, InspectionFinding, OperatingFigure

DEFAULT_LINES = {
    "turnover_max": Decimal("30"),
    "budget_execution_min": Decimal("90"),
    "budget_quarter_spread_max": Decimal("20"),
    "inspection_repeat_years": 2,
    "score_drop_min": Decimal("0"),
}

# Flag labels: Korean message ids, English in the catalogue; ``Flag.label`` follows the
# active language, ``label_ko``/``label_en`` name one for exports.
FLAG_LABELS = {
    "target_below_previous_actual": gettext_lazy("목표가 전년 실적보다 낮음"),
    "high_staff_turnover": gettext_lazy("이직률 높음"),
    "low_budget_execution": gettext_lazy("예산 집행률 낮음"),
    "uneven_budget_execution": gettext_lazy("분기별 집행 편차 큼"),
    "repeated_inspection_findings": gettext_lazy("지도점검 지적 반복"),
    "falling_score": gettext_lazy("평가 점수 하락"),
}

# What each evidence key means, translated (for pages and reports).
EVIDENCE_LABELS = {
    "indicator": gettext_lazy("지표"),
    "year": gettext_lazy("연도"),
    "target": gettext_lazy("목표"),
    "previous_year": gettext_lazy("전년"),
    "previous_actual": gettext_lazy("전년 실적"),
    "unit": gettext_lazy("단위"),
    "period": gettext_lazy("기간"),
    "turnover": gettext_lazy("이직률"),
    "line_max": gettext_lazy("기준(이하)"),
    "line_min": gettext_lazy("기준(이상)"),
    "execution": gettext_lazy("집행률"),
    "quarters": gettext_lazy("분기별"),
    "spread": gettext_lazy("편차"),
    "line_spread_max": gettext_lazy("허용 편차"),
    "years": gettext_lazy("지적 연도"),
    "counts": gettext_lazy("연도별 건수"),
    "line_years": gettext_lazy("기준 연도 수"),
    "previous_score": gettext_lazy("이전 점수"),
    "latest_year": gettext_lazy("최근 연도"),
    "latest_score": gettext_lazy("최근 점수"),
    "drop": gettext_lazy("하락 폭"),
    "line_drop": gettext_lazy("기준 하락 폭"),
}


def flag_lines() -> dict:
    lines = dict(DEFAULT_LINES)
    for k, v in (getattr(settings, "SEONGGWA_FLAG_LINES", {}) or {}).items():
        if k not in DEFAULT_LINES:
            raise KeyError(f"unknown flag line {k!r}; known: {sorted(DEFAULT_LINES)}")
        lines[k] = type(DEFAULT_LINES[k])(str(v)) if isinstance(v, (int, float)) else v
    return lines


@dataclass(frozen=True)
class Flag:
    code: str
    evidence: dict
    sources: tuple[tuple[str, int], ...] = field(default_factory=tuple)

    @property
    def label_ko(self) -> str:
        with translation.override("ko"):
            return str(FLAG_LABELS[self.code])

    @property
    def label_en(self) -> str:
        with translation.override("en"):
            return str(FLAG_LABELS[self.code])

    @property
    def label(self) -> str:
        """The label in the active language."""
        return str(FLAG_LABELS[self.code])

    def evidence_labels(self) -> list[tuple[str, object]]:
        """``(translated description, value)`` of each piece of evidence, in order."""
        return [(str(EVIDENCE_LABELS.get(k, k)), v) for k, v in self.evidence.items()]


def _src(obj) -> tuple[str, int]:
    return (obj._meta.label_lower, obj.pk)


def flags_for_services(service_ids: Iterable[int], *, lines: dict | None = None
                       ) -> dict[int, list[Flag]]:
    """Flags of many services at once (a fixed number of queries)."""
    ids = list(service_ids)
    lines = {**flag_lines(), **(lines or {})}
    out: dict[int, list[Flag]] = {sid: [] for sid in ids}

    figures: dict[int, list[OperatingFigure]] = defaultdict(list)
    for f in OperatingFigure.objects.filter(service_id__in=ids).order_by("year", "quarter"):
        figures[f.service_id].append(f)
    for sid, figs in figures.items():
        out[sid].extend(_figure_flags(figs, lines))

    findings: dict[int, list[InspectionFinding]] = defaultdict(list)
    for f in InspectionFinding.objects.filter(service_id__in=ids, count__gt=0).order_by("year"):
        findings[f.service_id].append(f)
    for sid, rows in findings.items():
        years = sorted({f.year for f in rows})
        if len(years) >= int(lines["inspection_repeat_years"]):
            out[sid].append(Flag("repeated_inspection_findings", {
                "years": years,
                "counts": {y: sum(f.count for f in rows if f.year == y) for y in years},
                "line_years": int(lines["inspection_repeat_years"]),
            }, tuple(_src(f) for f in rows)))

    results: dict[int, list] = defaultdict(list)
    for row in (latest_first(Result.objects.filter(service_id__in=ids))
                .values_list("service_id", "id", "round__year__year", "score")):
        results[row[0]].append(row)
    for sid, rows in results.items():
        if len(rows) < 2:
            continue
        (_, lid, ly, ls), (_, pid, py, ps) = rows[0], rows[1]
        drop = ps - ls
        if ly > py and drop > lines["score_drop_min"]:
            out[sid].append(Flag("falling_score", {
                "previous_year": py, "previous_score": ps, "latest_year": ly,
                "latest_score": ls, "drop": drop, "line_drop": lines["score_drop_min"],
            }, (("evaluations.result", pid), ("evaluations.result", lid))))
    return out


def _figure_flags(figs: list[OperatingFigure], lines: dict) -> list[Flag]:
    flags: list[Flag] = []
    yearly = [f for f in figs if f.quarter is None]
    # target below previous year's actual, per indicator
    actuals = {(f.indicator, f.year): f for f in yearly if f.kind == FigureKind.ACTUAL}
    for t in (f for f in yearly if f.kind == FigureKind.TARGET):
        prev = actuals.get((t.indicator, t.year - 1))
        if prev is not None and t.value < prev.value:
            flags.append(Flag("target_below_previous_actual", {
                "indicator": t.indicator, "year": t.year, "target": t.value,
                "previous_year": prev.year, "previous_actual": prev.value, "unit": t.unit,
            }, (_src(t), _src(prev))))
    for f in yearly:
        if f.kind == FigureKind.STAFF_TURNOVER and f.value > lines["turnover_max"]:
            flags.append(Flag("high_staff_turnover", {
                "year": f.year, "period": f.period_text, "turnover": f.value,
                "line_max": lines["turnover_max"], "unit": f.unit or "%",
            }, (_src(f),)))
        if f.kind == FigureKind.BUDGET_EXECUTION and f.value < lines["budget_execution_min"]:
            flags.append(Flag("low_budget_execution", {
                "year": f.year, "execution": f.value,
                "line_min": lines["budget_execution_min"], "unit": f.unit or "%",
            }, (_src(f),)))
    quarterly: dict[int, list[OperatingFigure]] = defaultdict(list)
    for f in figs:
        if f.quarter is not None and f.kind == FigureKind.BUDGET_EXECUTION:
            quarterly[f.year].append(f)
    for year, qs in sorted(quarterly.items()):
        values = [q.value for q in qs]
        if len(values) >= 2:
            spread = max(values) - min(values)
            if spread > lines["budget_quarter_spread_max"]:
                flags.append(Flag("uneven_budget_execution", {
                    "year": year, "quarters": {q.quarter: q.value for q in qs},
                    "spread": spread, "line_spread_max": lines["budget_quarter_spread_max"],
                }, tuple(_src(q) for q in qs)))
    return flags


def flags_for_service(service, *, lines: dict | None = None) -> list[Flag]:
    """Flags of one service (the batch call with one id)."""
    return flags_for_services([service.pk], lines=lines)[service.pk]
