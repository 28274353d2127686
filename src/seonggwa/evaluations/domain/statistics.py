"""Year and round statistics, recomputed from result rows and compared with the
published figures (SPEC §3 "Year statistics published").

Averages and shares are kept exact (``Decimal``); rounding half up happens once, at
display (``seonggwa.core.formatting.format_score``/``format_percent``), or through the
``*_display`` properties here. "Below the threshold" means strictly below (미만), under
the policy in force for the year (``policy.policy_for_year``).

Where a year has no result rows (2022, 2023: only summary figures and narratives were
published), the statistics are the published figures with ``source="published"``.

Multi-year average: ``multi_year=(first, last)`` with ``multi_year_method``:

- ``"pooled"`` (default): the mean of every result in those years (each service counts
  once per evaluation);
- ``"mean_of_years"``: the mean of the yearly averages.

The documents do not say which one "전체('15~'21년간 79.53점)" is; both are offered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db.models import QuerySet

from seonggwa.core.formatting import format_percent, format_score, round_half_up
from seonggwa.evaluations.domain import policy as policies
from seonggwa.evaluations.models import EvaluationYear, PublishedSummary, Result, Round

RECOMPUTED = "recomputed"
PUBLISHED = "published"


@dataclass(frozen=True)
class PeriodStatistics:
    """Statistics of a year (``round is None``) or a round."""

    year: int
    round: int | None
    source: str  # "recomputed" from rows, or "published" (summary only)
    evaluated: int | None
    subjects_total: int | None
    institutions: tuple[str, ...]
    average: Decimal | None  # exact when recomputed, as printed when published
    threshold: Decimal | None
    policy_id: str
    below_count: int | None
    below_share: Decimal | None  # percent (43 means 43%), exact when recomputed
    previous_year: int | None = None
    previous_average: Decimal | None = None
    change_vs_previous: Decimal | None = None
    multi_year_label: str = ""
    multi_year_average: Decimal | None = None
    change_vs_multi_year: Decimal | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def average_display(self) -> str:
        return format_score(self.average)

    @property
    def below_share_display(self) -> str:
        return format_percent(self.below_share)

    @property
    def change_vs_previous_display(self) -> str:
        return format_score(self.change_vs_previous)

    @property
    def change_vs_multi_year_display(self) -> str:
        return format_score(self.change_vs_multi_year)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _base(results: QuerySet | None) -> QuerySet:
    return Result.objects.all() if results is None else results


def _scores(results: QuerySet, year: int, round_number: int | None = None) -> list[Decimal]:
    qs = results.filter(round__year__year=year)
    if round_number is not None:
        qs = qs.filter(round__number=round_number)
    return list(qs.values_list("score", flat=True))


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return sum(values, Decimal(0)) / Decimal(len(values))


def _institutions(year: int, round_number: int | None) -> tuple[str, ...]:
    names: list[str] = []
    if round_number is not None:
        rnd = Round.objects.filter(year__year=year, number=round_number).first()
        if rnd is not None:
            names = [o.name for o in rnd.institutions.all()]
    if not names:
        ey = EvaluationYear.objects.filter(year=year).first()
        if ey is not None:
            names = [o.name for o in ey.institutions.all()]
    return tuple(names)


def _published(year: int, round_number: int | None) -> PublishedSummary | None:
    qs = PublishedSummary.objects.filter(year__year=year)
    if round_number is None:
        return qs.filter(round__isnull=True).first()
    return qs.filter(round__number=round_number).first()


def multi_year_average(first: int, last: int, *, method: str = "pooled",
                       results: QuerySet | None = None) -> Decimal | None:
    """Average over ``first``..``last`` (inclusive) from rows; see the module docstring."""
    qs = _base(results).filter(round__year__year__gte=first, round__year__year__lte=last)
    if method == "pooled":
        return _mean(list(qs.values_list("score", flat=True)))
    if method == "mean_of_years":
        by_year: dict[int, list[Decimal]] = {}
        for y, s in qs.values_list("round__year__year", "score"):
            by_year.setdefault(y, []).append(s)
        return _mean([_mean(v) for v in by_year.values()])
    raise ValueError(f"unknown multi-year method {method!r}")


def period_statistics(year: int, round_number: int | None = None, *,
                      results: QuerySet | None = None,
                      multi_year: tuple[int, int] | None = None,
                      multi_year_method: str = "pooled") -> PeriodStatistics | None:
    """Statistics of ``year`` (or one round of it).

    Recomputed from ``results`` (default: every result; pass
    ``Result.objects.published()`` for the public view) when rows exist, else the
    published summary (``source="published"``), else ``None``.
    """
    results = _base(results)
    scores = _scores(results, year, round_number)
    published = _published(year, round_number)
    policy = policies.policy_for_year(year)
    if round_number is not None:
        rnd = Round.objects.filter(year__year=year, number=round_number).first()
        if rnd is not None:
            policy = policies.policy_for_round(rnd)
    if scores:
        average = _mean(scores)
        below = sum(1 for s in scores if s < policy.threshold)
        prev_year, prev_avg = _previous(year, results)
        my_label, my_avg = "", None
        if multi_year:
            my_label = f"{multi_year[0]}–{multi_year[1]}"
            my_avg = multi_year_average(*multi_year, method=multi_year_method, results=results)
        ey = EvaluationYear.objects.filter(year=year).first()
        total = None
        if round_number is not None:
            total = Round.objects.filter(year__year=year, number=round_number).values_list(
                "subjects_total", flat=True).first()
        elif ey is not None:
            total = ey.subjects_total
        return PeriodStatistics(
            year=year, round=round_number, source=RECOMPUTED, evaluated=len(scores),
            subjects_total=total, institutions=_institutions(year, round_number),
            average=average, threshold=policy.threshold, policy_id=policy.id,
            below_count=below, below_share=Decimal(below * 100) / Decimal(len(scores)),
            previous_year=prev_year, previous_average=prev_avg,
            change_vs_previous=(average - prev_avg) if prev_avg is not None else None,
            multi_year_label=my_label, multi_year_average=my_avg,
            change_vs_multi_year=(average - my_avg) if my_avg is not None else None,
        )
    if published is not None:
        return PeriodStatistics(
            year=year, round=round_number, source=PUBLISHED,
            evaluated=published.evaluated_count, subjects_total=published.subjects_total,
            institutions=_institutions(year, round_number), average=published.average,
            threshold=published.threshold if published.threshold is not None
            else policy.threshold,
            policy_id=policy.id, below_count=published.below_count,
            below_share=published.below_share,
            previous_average=published.previous_average,
            change_vs_previous=published.change_vs_previous,
            multi_year_label=published.multi_year_label,
            multi_year_average=published.multi_year_average,
            change_vs_multi_year=published.change_vs_multi_year,
            notes=("공표 수치 (사무별 점수 미공개)",) if published.published_only else (),
        )
    return None


def _previous(year: int, results: QuerySet) -> tuple[int | None, Decimal | None]:
    """The latest earlier year with rows (recomputed) or a published average."""
    earlier_rows = (results.filter(round__year__year__lt=year)
                    .order_by("-round__year__year").values_list("round__year__year", flat=True)
                    .first())
    earlier_pub = (PublishedSummary.objects.filter(year__year__lt=year, round__isnull=True,
                                                   average__isnull=False)
                   .order_by("-year__year").first())
    candidates = []
    if earlier_rows is not None:
        candidates.append((earlier_rows, _mean(_scores(results, earlier_rows))))
    if earlier_pub is not None and earlier_pub.year.year != earlier_rows:
        candidates.append((earlier_pub.year.year, earlier_pub.average))
    if not candidates:
        return None, None
    return max(candidates, key=lambda c: c[0])


def year_statistics(year: int, **kwargs) -> PeriodStatistics | None:
    """Statistics of a whole year (all rounds)."""
    return period_statistics(year, None, **kwargs)


def round_statistics(year: int, round_number: int, **kwargs) -> PeriodStatistics | None:
    return period_statistics(year, round_number, **kwargs)


def all_statistics(*, results: QuerySet | None = None,
                   multi_year: tuple[int, int] | None = None,
                   multi_year_method: str = "pooled",
                   include_rounds: bool = True) -> list[PeriodStatistics]:
    """Every year, followed by its rounds, oldest first (for the dashboard and trend)."""
    out = []
    for ey in EvaluationYear.objects.order_by("year"):
        stats = year_statistics(ey.year, results=results, multi_year=multi_year,
                                multi_year_method=multi_year_method)
        if stats is None:
            # a year with only round-level publications (2022 r3, 2023 r2)
            pass
        else:
            out.append(stats)
        if include_rounds:
            for rnd in ey.rounds.exclude(number__isnull=True).order_by("number"):
                rs = round_statistics(ey.year, rnd.number, results=results)
                if rs is not None:
                    out.append(rs)
    return out


@dataclass(frozen=True)
class Agreement:
    year: int
    round: int | None
    figure: str  # "evaluated" | "average" | "below_count" | "below_share"
    published: Decimal | int | None
    recomputed: Decimal | int | None  # rounded as published (average 2, share 1 decimals)
    recomputed_exact: Decimal | int | None
    agrees: bool | None  # None: nothing to compare (published only)
    source: str = RECOMPUTED


def published_vs_recomputed(*, results: QuerySet | None = None) -> list[Agreement]:
    """For every published summary: the published figure, the figure recomputed from the
    rows (rounded half up the way it was printed) and whether they agree.

    Summaries without rows (2022, 2023) give ``agrees=None`` and ``source="published"``.
    """
    out: list[Agreement] = []
    summaries = PublishedSummary.objects.select_related("year", "round").order_by(
        "year__year", "round__number")
    for s in summaries:
        rnd = s.round.number if s.round_id else None
        stats = period_statistics(s.year.year, rnd, results=results)
        has_rows = stats is not None and stats.source == RECOMPUTED
        pairs = [
            ("evaluated", s.evaluated_count, stats.evaluated if has_rows else None,
             stats.evaluated if has_rows else None),
            ("average", s.average,
             round_half_up(stats.average, 2) if has_rows else None,
             stats.average if has_rows else None),
            ("below_count", s.below_count, stats.below_count if has_rows else None,
             stats.below_count if has_rows else None),
            ("below_share", s.below_share,
             round_half_up(stats.below_share, 1) if has_rows else None,
             stats.below_share if has_rows else None),
        ]
        for name, pub, rec, exact in pairs:
            if pub is None:
                continue
            agrees = None if not has_rows else (Decimal(str(pub)) == Decimal(str(rec)))
            out.append(Agreement(s.year.year, rnd, name, pub, rec, exact, agrees,
                                 RECOMPUTED if has_rows else PUBLISHED))
    return out


def score_distribution(year: int | None = None, *, results: QuerySet | None = None,
                       bin_width: int = 5) -> dict:
    """Histogram of scores (for the dashboard chart): ``edges``, ``counts``, and the
    threshold in force for the year. Bins are half-open ``[a, a + width)``, the last
    bin includes 100."""
    qs = _base(results)
    if year is not None:
        qs = qs.filter(round__year__year=year)
    scores = np.array([float(s) for s in qs.values_list("score", flat=True)], dtype=float)
    edges = np.arange(0, 100 + bin_width, bin_width, dtype=float)
    counts, _ = np.histogram(scores, bins=edges)
    threshold = policies.policy_for_year(year).threshold if year else None
    return {"edges": edges.tolist(), "counts": counts.tolist(), "threshold": threshold,
            "n": int(scores.size)}
