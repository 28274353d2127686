"""Shaping domain figures for the pages: summary cards, chart points, translated labels.

No business rules here: statistics come from
:mod:`seonggwa.evaluations.domain.statistics`, decisions from the stored results. This
module only arranges them for display (and for the charts in :mod:`seonggwa.core.charts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from seonggwa import engine
from seonggwa.core import charts
from seonggwa.core.language import is_english
from seonggwa.evaluations.domain import decisions as policies
from seonggwa.evaluations.domain import frameworks, statistics
from seonggwa.evaluations.models import Result, Status


def label_decisions(results) -> None:
    """Set, on each result, what its row shows, from the document of the framework
    version it was computed under (one read of the frameworks for the whole list):
    ``decision_display``, its decision's label in the active language;
    ``decision_adverse``, whether that decision is adverse (pages mark 재계약 배제 and
    지원 중단); ``score_decimals``, the decimals its total is shown with (the framework's
    ``rounding.decimals``: ``{{ r.score|score:r.score_decimals }}``); ``policy_display``,
    the rule it was decided under in words ("60점 미만 재계약 배제"), never the policy's
    code; and ``band_display``: the grade's name (양호), empty when the framework has no
    grades."""
    results = [r for r in results if r is not None]
    found = frameworks.frameworks_by_id(r.framework_version_id for r in results)
    for r in results:
        framework = found.get(r.framework_version_id)
        r.decision_display = policies.decision_label(r.decision_code, framework)
        r.decision_adverse = policies.is_adverse(r.decision_code, framework)
        if framework is not None:
            r.score_decimals = framework.decimals
        r.band_display = band_label(r.band_code, framework)
        # a policy of a framework version no longer shipped: say nothing
        r.policy_display = policies.policy_label(r.policy_id, framework) or ""


def band_label(code: str, framework=None) -> str:
    """A grade code's name in the active language, from the framework document ("" when
    there is no grade, the code itself only for a framework no longer known)."""
    if not code:
        return ""
    english = is_english()
    for band in framework.bands if framework is not None else ():
        if band.code == code:
            return (band.label_en if english else None) or band.label
    return code


def framework_version_label(framework: engine.Framework, version: str) -> str:
    """A stored framework version as officials read it: its title in the active language
    and its version ("민간위탁 종합성과평가 (총점 공개분) (published-total)")."""
    english = is_english()
    title = (framework.title_en if english else None) or framework.title
    return f"{title} ({version})"


@dataclass
class YearCard:
    """One year (or, when only a round was published, that round) on a summary card."""

    stats: statistics.PeriodStatistics
    agreement: dict = field(default_factory=dict)  # figure → Agreement (office only)

    @property
    def year(self) -> int:
        return self.stats.year

    @property
    def round(self) -> int | None:
        return self.stats.round

    @property
    def recomputed(self) -> bool:
        return self.stats.source == statistics.RECOMPUTED

    @property
    def is_draft(self) -> bool:
        """Counts rows not yet published (office pages only; labelled there)."""
        return self.stats.is_draft

    @property
    def published_average(self):
        a = self.agreement.get("average")
        return a.published if a is not None else None

    @property
    def average_agrees(self) -> bool | None:
        a = self.agreement.get("average")
        return a.agrees if a is not None else None

    @property
    def evaluated_agrees(self) -> bool | None:
        a = self.agreement.get("evaluated")
        return a.agrees if a is not None else None


def year_cards(*, results: QuerySet | None = None, multi_year: tuple[int, int] | None = None,
               multi_year_method: str = "pooled", public: bool = False,
               with_agreement: bool = False) -> list[YearCard]:
    """A card per year, oldest first.

    A year with rows gives its recomputed statistics; a year known only from a published
    round summary (2022 3rd round, 2023 2nd round) gives that round's figures as
    published. ``public=True`` keeps only rounds whose status is published (pass
    published ``results`` too: public figures never count unpublished rows); otherwise
    a card counting unpublished rows says so (``is_draft``, ``stats.status_label``).
    """
    if public:  # public figures never count an unpublished row
        results = (Result.objects.outsourcing() if results is None
                   else results).filter(status=Status.PUBLISHED)
    data = statistics.statistics_data(results)  # every figure below from one read
    rounds = list(data.rounds.values())
    if public:
        rounds = [r for r in rounds if r.status == Status.PUBLISHED]
    years = sorted({r.year.year for r in rounds})
    agreements: dict = {}
    if with_agreement:
        for a in statistics.published_vs_recomputed(data=data):
            agreements.setdefault((a.year, a.round), {})[a.figure] = a
    cards = []
    for year in years:
        stats = statistics.year_statistics(year, multi_year=multi_year,
                                           multi_year_method=multi_year_method, data=data)
        if stats is not None:
            cards.append(YearCard(stats, agreements.get((year, None), {})))
            continue
        for rnd in rounds:
            if rnd.year.year != year or rnd.number is None:
                continue
            rstats = statistics.round_statistics(year, rnd.number, data=data)
            if rstats is not None:
                cards.append(YearCard(rstats, agreements.get((year, rnd.number), {})))
    return cards


def trend_points(cards: list[YearCard], first: int | None = None,
                 last: int | None = None) -> list[charts.Point]:
    """One point per calendar year from ``first`` to ``last``; years without figures
    stay as empty slots so the gap (2021) is visible."""
    by_year: dict[int, YearCard] = {}
    for c in cards:
        by_year.setdefault(c.year, c)
    if not by_year:
        return []
    first = first or min(by_year)
    last = last or max(by_year)
    points = []
    for year in range(first, last + 1):
        card = by_year.get(year)
        if card is None:
            points.append(charts.Point(str(year), None))
            continue
        label = str(year) if card.round is None else f"{year}·{card.round}"
        if card.is_draft:  # a draft year's point says so on the axis
            draft = _("초안")
            label = f"{label} ({draft})"
        points.append(charts.Point(label, card.stats.average, not card.recomputed,
                                   card.stats.threshold))
    return points


def trend_chart(cards: list[YearCard]):
    points = trend_points(cards)
    return charts.line_chart(
        points,
        title=_("연도별 평균 점수 추이"),
        desc=_("연도별 평균 점수. 채운 원은 사무별 점수에서 다시 계산한 평균, "
               "빈 마름모는 공표된 요약 수치만 있는 해입니다. 점선은 재계약 배제 기준입니다."),
        y_label=_("점"),
        legend_recomputed=_("행에서 재계산"),
        legend_published=_("공표 수치만"),
        threshold_label=_("기준 {value}점"),
    )


def distribution_chart(year: int, *, results: QuerySet | None = None):
    """Histogram of the year's scores with the threshold in force; ``None`` if the year
    has no per-service scores."""
    dist = statistics.score_distribution(year, results=results)
    if not dist["n"]:
        return None, []
    edges, counts = dist["edges"], dist["counts"]
    bins = [charts.Bin(edges[i], edges[i + 1], counts[i]) for i in range(len(counts))]
    # Drop empty bands far below anything observed (keep 10 points below the threshold).
    threshold = float(dist["threshold"]) if dist["threshold"] is not None else 100.0
    floor = min([b.low for b in bins if b.count] + [threshold - 10])
    bins = [b for b in bins if b.low >= floor]
    chart = charts.histogram(
        bins,
        title=_("%(year)s년 점수 분포") % {"year": year},
        desc=_("%(year)s년 평가 사무 %(n)s개의 점수를 5점 구간별로 센 막대그래프. "
               "붉은 막대와 점선은 재계약 배제 기준(%(t)s점) 미만입니다.")
        % {"year": year, "n": dist["n"], "t": charts._fmt_tick(threshold)},
        threshold=dist["threshold"],
        threshold_label=_("기준 %(t)s점") % {"t": charts._fmt_tick(threshold)},
        x_label=_("점수"),
        y_label=_("사무 수"),
    )
    return chart, bins


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def policy_threshold(policy_id: str):
    """The threshold of a stored result's policy, or ``None`` if the id is unknown."""
    if not policy_id:
        return None
    try:
        return policies.get_policy(policy_id).threshold
    except KeyError:
        return None


def score_history_chart(results, title: str):
    """Scores of one service across evaluations, with each one's threshold (dashed)."""
    many = len({r.round.year.year for r in results}) < len(results)
    points = [charts.Point(r.round.label if many else str(r.round.year.year), r.score,
                           threshold=policy_threshold(r.policy_id)) for r in results]
    return charts.line_chart(
        points, title=title,
        desc=_("평가별 종합성과평가 점수와 그때의 재계약 배제 기준(점선)."),
        y_label=_("점"), threshold_label=_("기준 {value}점"), y_floor=40,
    )
