"""Year and round statistics, recomputed from result rows and compared with the
published figures (SPEC §3 "Year statistics published").

Averages and shares are kept exact (``Decimal``); rounding half up happens once, at
display (``seonggwa.core.formatting.format_score``/``format_percent``), or through the
``*_display`` properties here. "Below the threshold" means strictly below (미만), under
the policy in force for the year or round (``decisions.policy_for_year_or_none``,
``decisions.policy_for_round_or_none``: the one choice of a policy).

Where a year has no result rows (2022, 2023: only summary figures and narratives were
published), the statistics are the published figures with ``source="published"``,
shown at the precision they were printed (``precision``: 43 stays "43%", −6.3 stays
"−6.3"); recomputed figures are shown with two decimals (shares one).

Drafts: every figure says how many of its rows are not yet published
(``unpublished_count``; ``draft_count`` of them still 초안). Public pages pass
``Result.objects.published()`` so nothing unpublished is counted; office pages may count
them, labelled (``is_draft``, ``status_label``), and a comparison with such a year says
so (``previous_is_draft``, ``multi_year_includes_drafts``).

"전년 대비" compares with the latest EARLIER year that has results (2022 → 2020 when
2021 has none), named in ``previous_year``.

Multi-year average: ``multi_year=(first, last)`` with ``multi_year_method``; for a
year's card only the years of that window BEFORE the year count (the 2018 card never
averages 2019–2020), and the label names the years actually covered
(``multi_year_years``; ``multi_year_missing`` lists requested years without rows):

- ``"pooled"`` (default): the mean of every result in those years (each service counts
  once per evaluation);
- ``"mean_of_years"``: the mean of the yearly averages.

The documents do not say which one "전체('15~'21년간 79.53점)" is; both are offered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce, Floor
from django.db.models.lookups import Exact, In
from django.db.models.sql.where import AND, WhereNode
from django.utils.translation import gettext_lazy

from seonggwa.core.formatting import (
    decimals_of,
    format_percent,
    format_score,
    format_signed,
    round_half_up,
)
from seonggwa.evaluations.domain import decisions as policies
from seonggwa.evaluations.models import EvaluationYear, PublishedSummary, Result, Round, Status
from seonggwa.evaluations.models.results import ResultTally

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
    # rows not yet published among those counted (draft_count of them still drafts)
    unpublished_count: int = 0
    draft_count: int = 0
    previous_is_draft: bool = False
    multi_year_years: tuple[int, ...] = ()
    multi_year_missing: tuple[int, ...] = ()
    multi_year_includes_drafts: bool = False
    # decimals each published figure was printed with (``average``, ``below_share``, ...)
    precision: tuple[tuple[str, int], ...] = ()

    @property
    def is_draft(self) -> bool:
        """Some counted rows are not published yet (office pages only)."""
        return self.unpublished_count > 0

    @property
    def status_label(self) -> str:
        """"" when every row is published, else what the figure is (초안 / 공개 전)."""
        if self.draft_count:
            return str(DRAFT_LABEL)
        if self.unpublished_count:
            return str(UNPUBLISHED_LABEL)
        return ""

    def decimals(self, name: str, default: int = 2) -> int:
        """Decimals to show ``name`` with: as printed for a published figure, else the
        stated rounding (scores two decimals, shares one)."""
        return dict(self.precision).get(name, default)

    @property
    def average_display(self) -> str:
        return format_score(self.average, self.decimals("average"))

    @property
    def threshold_display(self) -> str:
        return format_score(self.threshold, 0)

    @property
    def below_share_display(self) -> str:
        return format_percent(self.below_share, self.decimals("below_share", 1))

    @property
    def previous_average_display(self) -> str:
        return format_score(self.previous_average, self.decimals("previous_average"))

    @property
    def change_vs_previous_display(self) -> str:
        return format_signed(self.change_vs_previous, self.decimals("change_vs_previous"))

    @property
    def multi_year_average_display(self) -> str:
        return format_score(self.multi_year_average, self.decimals("multi_year_average"))

    @property
    def change_vs_multi_year_display(self) -> str:
        return format_signed(self.change_vs_multi_year,
                             self.decimals("change_vs_multi_year"))

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _base(results: QuerySet | None) -> QuerySet:
    return Result.objects.outsourcing() if results is None else results


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return sum(values, Decimal(0)) / Decimal(len(values))


# The statistics read the per-round tallies (``ResultTally``, kept by database triggers)
# instead of the result rows when the results asked for are "every result of some
# rounds, statuses, schemes or years": a few rows per round instead of every result. Any
# other selection (a search, a department) is counted from the rows as before.

# (model, field) of a result filter -> the same filter on the tally
_TALLY_PATHS = {(Result, "status"): "status", (Result, "round"): "round",
                (Result, "year"): "round__year__year", (Round, "scheme"): "round__scheme",
                (Round, "status"): "round__status", (Round, "id"): "round",
                (EvaluationYear, "year"): "round__year__year"}


def _tally_condition(node) -> Q | None:
    """``node`` of a result query's WHERE as a filter on the tally, or None when it
    filters on anything the tally does not keep."""
    if isinstance(node, WhereNode):
        if node.negated or node.connector != AND:
            return None
        out = Q()
        for child in node.children:
            part = _tally_condition(child)
            if part is None:
                return None
            out &= part
        return out
    if not isinstance(node, Exact | In) or not isinstance(node.lhs, Col):
        return None
    field = node.lhs.target
    path = _TALLY_PATHS.get((field.model, field.name))
    if path is None or not isinstance(node.rhs, str | int | list | tuple | set | frozenset):
        return None
    return Q(**{f"{path}__{node.lookup_name}": node.rhs})


def tally_of(results: QuerySet | None) -> QuerySet | None:
    """The tally rows standing for ``results`` (every result when None), or None when
    ``results`` is a selection the tally cannot answer."""
    qs = Result.objects.all() if results is None else results
    query = qs.query
    if (query.model is not Result or query.is_sliced or query.combinator
            or query.is_empty() or query.distinct):
        return None
    condition = _tally_condition(query.where)
    return None if condition is None else ResultTally.objects.filter(condition)


def _whole(value) -> bool:
    return value is not None and Decimal(value) == Decimal(value).to_integral_value()


def result_count(results: QuerySet) -> int:
    """How many ``results`` there are (from the tally when it can answer)."""
    tally = tally_of(results)
    if tally is None:
        return results.count()
    return tally.aggregate(rows=Coalesce(Sum("n"), 0))["rows"]


def result_years(results: QuerySet) -> list[int]:
    """The years ``results`` has rows in, oldest first (from the tally when it can
    answer: a few rows per round instead of every result)."""
    tally = tally_of(results)
    source = results if tally is None else tally
    return list(source.order_by("round__year__year")
                .values_list("round__year__year", flat=True).distinct())


class _Figures:
    """Counts and the exact sum of the scores of a year or a round (from the database)."""

    __slots__ = ("n", "cents", "unpublished", "drafts", "below")

    def __init__(self):
        self.n = 0
        self.cents = 0  # the exact sum of the scores, in hundredths of a point
        self.unpublished = 0
        self.drafts = 0
        self.below: dict[Decimal, int] = {}

    def add(self, row: dict, thresholds: dict[Decimal, str]) -> None:
        self.n += row["n"]
        self.cents += _cents(row["cents"])
        self.unpublished += row["unpublished"]
        self.drafts += row["drafts"]
        for t, alias in thresholds.items():
            self.below[t] = self.below.get(t, 0) + row[alias]

    @property
    def total(self) -> Decimal:
        return Decimal(self.cents).scaleb(-2)


def _cents(total) -> int:
    """The database's sum of scores in hundredths of a point, exactly: PostgreSQL sums
    ``numeric`` exactly; SQLite sums the two-decimal scores as floating point, whose
    error (under 1e-4 for a million scores of at most 200 points) is far below the half
    hundredth that rounding to hundredths removes."""
    if total is None:
        return 0
    return int((Decimal(str(total)) * 100).to_integral_value(ROUND_HALF_EVEN))


class StatisticsData:
    """Everything the statistics of every year and round need, read once.

    Six queries whatever the registry size: one aggregate of ``results`` per year and
    round (count, exact sum, rows below each threshold in use, unpublished and draft
    counts, computed by the database), the years and the rounds with their institutions,
    and the published summaries. Averages are the exact sum over the count (``Decimal``),
    so a dashboard showing all years and rounds costs the same whatever the registry's
    size. Build one with :func:`statistics_data` and pass it as ``data=`` to the
    functions below; they build their own when none is given.
    """

    def __init__(self, results: QuerySet | None = None):
        self.years = {ey.year: ey for ey in
                      EvaluationYear.objects.prefetch_related("institutions")}
        self.rounds: dict[tuple[int, int | None], Round] = {}
        for rnd in (Round.objects.outsourcing().select_related("year", "framework_version")
                    .prefetch_related("institutions")
                    .order_by("year__year", "number", "pk")):
            self.rounds.setdefault((rnd.year.year, rnd.number), rnd)
        # the thresholds figures are counted against: every policy's, every round's
        wanted = {p.threshold for p in policies.policies()}
        wanted |= {p.threshold for p in map(policies.policy_for_round_or_none,
                                            self.rounds.values()) if p is not None}
        self.thresholds = {t: f"below_{i}" for i, t in
                           enumerate(sorted(t for t in wanted if t is not None))}
        rows = self._tallied(results) or self._counted(results)
        self.by_year: dict[int, _Figures] = {}
        self.by_round: dict[tuple[int, int | None], _Figures] = {}
        for row in rows:
            year, number = row["round__year__year"], row["round__number"]
            self.by_year.setdefault(year, _Figures()).add(row, self.thresholds)
            self.by_round.setdefault((year, number), _Figures()).add(row, self.thresholds)
        self.years_with_rows = sorted(self.by_year)
        # oldest first, a year's own summary (round null) before its rounds' (the same
        # order on every database: NULLs sort differently in SQLite and PostgreSQL)
        self.summary_list = sorted(
            PublishedSummary.objects.select_related("year", "round"),
            key=lambda s: (s.year.year, s.round_id is not None,
                           (s.round.number or 0) if s.round_id else 0, s.pk))
        self.summaries: dict[tuple[int, int | None], PublishedSummary] = {}
        for s in self.summary_list:
            if s.round_id is None:
                self.summaries.setdefault((s.year.year, None), s)
        for s in self.summary_list:
            if s.round_id is not None:
                self.summaries.setdefault((s.year.year, s.round.number), s)

    def _counted(self, results: QuerySet | None) -> QuerySet:
        """One aggregate of the result rows per year and round."""
        counts = {alias: Count("pk", filter=Q(score__lt=t))
                  for t, alias in self.thresholds.items()}
        return (_base(results).order_by().values("round__year__year", "round__number")
                .annotate(n=Count("pk"), cents=Sum("score"),
                          unpublished=Count("pk", filter=~Q(status=Status.PUBLISHED)),
                          drafts=Count("pk", filter=Q(status=Status.DRAFT)), **counts))

    def _tallied(self, results: QuerySet | None) -> list[dict] | None:
        """The same figures from the tallies (a score is below a whole threshold exactly
        when its whole point is), or None when the tally cannot answer."""
        tally = tally_of(_base(results))
        if tally is None or not all(_whole(t) for t in self.thresholds):
            return None
        counts = {alias: Coalesce(Sum("n", filter=Q(point__lt=t)), 0)
                  for t, alias in self.thresholds.items()}
        rows = list(tally.order_by().values("round__year__year", "round__number").annotate(
            rows=Sum("n"), hundredths=Sum("cents"),
            unpublished=Coalesce(Sum("n", filter=~Q(status=Status.PUBLISHED)), 0),
            drafts=Coalesce(Sum("n", filter=Q(status=Status.DRAFT)), 0), **counts))
        for row in rows:  # named as the row aggregate names them
            row["n"] = row.pop("rows")
            row["cents"] = Decimal(int(row.pop("hundredths") or 0)).scaleb(-2)
        return rows

    def figures(self, year: int, round_number: int | None = None) -> _Figures | None:
        """Counts and exact sum of a year or a round, ``None`` without rows."""
        if round_number is None:
            return self.by_year.get(year)
        return self.by_round.get((year, round_number))

    def below(self, figures: _Figures, threshold: Decimal) -> int:
        """Rows of ``figures`` strictly below ``threshold`` (counted for every policy's
        and every round's threshold)."""
        if threshold not in figures.below:
            raise KeyError(f"threshold {threshold} was not counted")
        return figures.below[threshold]

    def year_mean(self, year: int) -> Decimal | None:
        f = self.by_year.get(year)
        return f.total / Decimal(f.n) if f is not None and f.n else None

    def institutions(self, year: int, round_number: int | None) -> tuple[str, ...]:
        names: list[str] = []
        if round_number is not None:
            rnd = self.rounds.get((year, round_number))
            if rnd is not None:
                names = [o.name for o in rnd.institutions.all()]
        if not names:
            ey = self.years.get(year)
            if ey is not None:
                names = [o.name for o in ey.institutions.all()]
        return tuple(names)

    def unpublished_counts(self, year: int, round_number: int | None = None
                           ) -> tuple[int, int]:
        """(rows not yet published, of which drafts) of a year or a round."""
        found = self.figures(year, round_number)
        return (found.unpublished, found.drafts) if found is not None else (0, 0)

    def covered_years(self, first: int, last: int) -> list[int]:
        return [y for y in self.years_with_rows if first <= y <= last]

    def multi_year_average(self, first: int, last: int, method: str = "pooled"
                           ) -> Decimal | None:
        years = self.covered_years(first, last)
        if method == "pooled":
            n = sum(self.by_year[y].n for y in years)
            if not n:
                return None
            return sum((self.by_year[y].total for y in years), Decimal(0)) / Decimal(n)
        if method == "mean_of_years":
            return _mean([self.year_mean(y) for y in years])
        raise ValueError(f"unknown multi-year method {method!r}")

    def previous(self, year: int) -> tuple[int | None, Decimal | None]:
        """The latest earlier year with results: its average recomputed from the rows,
        or its published average when only that was published (2018 → none, 2022 →
        2020 when 2021 has no results)."""
        earlier_rows = max((y for y in self.years_with_rows if y < year), default=None)
        earlier_pub = None
        for s in self.summary_list:
            if (s.round_id is None and s.average is not None and s.year.year < year
                    and (earlier_pub is None or s.year.year > earlier_pub.year.year)):
                earlier_pub = s
        candidates = []
        if earlier_rows is not None:
            candidates.append((earlier_rows, self.year_mean(earlier_rows)))
        if earlier_pub is not None and earlier_pub.year.year != earlier_rows:
            candidates.append((earlier_pub.year.year, earlier_pub.average))
        if not candidates:
            return None, None
        return max(candidates, key=lambda c: c[0])


def statistics_data(results: QuerySet | None = None) -> StatisticsData:
    """Read once what :func:`period_statistics` and friends need (see
    :class:`StatisticsData`)."""
    return StatisticsData(results)


NO_POLICY_NOTE = gettext_lazy("이 시기에 시행 중인 재계약 기준 정책이 없습니다.")
PUBLISHED_ONLY_NOTE = gettext_lazy("공표 수치 (사무별 점수 미공개)")
DRAFT_LABEL = gettext_lazy("초안 포함 (작성 중)")
UNPUBLISHED_LABEL = gettext_lazy("공개 전 (확정)")


#: The summary figures printed with a number of decimals of their own (the threshold is
#: always whole, counts are counts).
PRINTED_FIGURES = ("average", "below_share", "previous_average", "change_vs_previous",
                   "multi_year_average", "change_vs_multi_year")


def published_precision(summary: PublishedSummary) -> tuple[tuple[str, int], ...]:
    """Decimals each figure of ``summary`` was printed with: as its loader read them from
    the source document (``printed_decimals``), else as stored."""
    if summary.printed_decimals is not None:
        return tuple(sorted(summary.printed_decimals.items()))
    out = []
    for name in PRINTED_FIGURES:
        value = getattr(summary, name)
        if value is not None:
            out.append((name, decimals_of(value.normalize()) if name != "average" else 2))
    return tuple(out)


def multi_year_average(first: int, last: int, *, method: str = "pooled",
                       results: QuerySet | None = None,
                       data: StatisticsData | None = None) -> Decimal | None:
    """Average over ``first``..``last`` (inclusive) from rows; see the module docstring."""
    if method not in ("pooled", "mean_of_years"):
        raise ValueError(f"unknown multi-year method {method!r}")
    data = data or StatisticsData(
        _base(results).filter(round__year__year__gte=first, round__year__year__lte=last))
    return data.multi_year_average(first, last, method)


def period_statistics(year: int, round_number: int | None = None, *,
                      results: QuerySet | None = None,
                      multi_year: tuple[int, int] | None = None,
                      multi_year_method: str = "pooled",
                      data: StatisticsData | None = None) -> PeriodStatistics | None:
    """Statistics of ``year`` (or one round of it).

    Recomputed from ``results`` (default: every result; pass
    ``Result.objects.published()`` for the public view) when rows exist, else the
    published summary (``source="published"``), else ``None``. ``data`` (from
    :func:`statistics_data`) reuses rows already read; ``results`` is then ignored.

    A year before the earliest threshold policy (e.g. 1999) has no threshold: the
    statistics come with ``threshold=None``, ``below_count=None`` and a note, never an
    error.
    """
    data = data or StatisticsData(results)
    figures = data.figures(year, round_number)
    published = data.summaries.get((year, round_number))
    rnd = data.rounds.get((year, round_number)) if round_number is not None else None
    policy = (policies.policy_for_round_or_none(rnd) if rnd is not None
              else policies.policy_for_year_or_none(year))
    notes: tuple[str, ...] = () if policy is not None else (str(NO_POLICY_NOTE),)
    threshold = policy.threshold if policy is not None else None
    policy_id = policy.id if policy is not None else ""
    if figures is not None and figures.n:
        n = figures.n
        average = figures.total / Decimal(n)
        below = data.below(figures, threshold) if threshold is not None else None
        prev_year, prev_avg = data.previous(year)
        unpublished, drafts = data.unpublished_counts(year, round_number)
        my_label, my_avg, my_years, my_missing = "", None, (), ()
        if multi_year:
            # only the window's years before this one: a year is never compared with
            # an average of later years (nor of itself)
            first, last = multi_year[0], min(multi_year[1], year - 1)
            my_years = tuple(data.covered_years(first, last)) if first <= last else ()
            if my_years:
                my_avg = data.multi_year_average(first, last, method=multi_year_method)
                my_label = (f"{my_years[0]}–{my_years[-1]}" if len(my_years) > 1
                            else str(my_years[0]))
                my_missing = tuple(y for y in range(first, last + 1) if y not in my_years)
        if round_number is not None:
            total = rnd.subjects_total if rnd is not None else None
        else:
            ey = data.years.get(year)
            total = ey.subjects_total if ey is not None else None
        return PeriodStatistics(
            year=year, round=round_number, source=RECOMPUTED, evaluated=n,
            subjects_total=total, institutions=data.institutions(year, round_number),
            average=average, threshold=threshold, policy_id=policy_id,
            below_count=below,
            below_share=(Decimal(below * 100) / Decimal(n) if below is not None
                         else None),
            previous_year=prev_year, previous_average=prev_avg,
            change_vs_previous=(average - prev_avg) if prev_avg is not None else None,
            multi_year_label=my_label, multi_year_average=my_avg,
            change_vs_multi_year=(average - my_avg) if my_avg is not None else None,
            notes=notes,
            unpublished_count=unpublished, draft_count=drafts,
            previous_is_draft=(prev_year is not None
                               and data.unpublished_counts(prev_year)[0] > 0
                               and prev_year in data.by_year),
            multi_year_years=my_years, multi_year_missing=my_missing,
            multi_year_includes_drafts=any(data.unpublished_counts(y)[0] for y in my_years),
        )
    if published is not None:
        if published.published_only:
            notes = notes + (str(PUBLISHED_ONLY_NOTE),)
        # "전년" as printed: the year before (the document compares with it)
        previous_year = year - 1 if published.previous_average is not None else None
        my_years: tuple[int, ...] = ()
        label = published.multi_year_label
        if label and "–" in label:
            try:
                a, b = (int(x) for x in label.split("–"))
                my_years = tuple(range(a, b + 1))
            except ValueError:
                my_years = ()
        return PeriodStatistics(
            year=year, round=round_number, source=PUBLISHED,
            evaluated=published.evaluated_count, subjects_total=published.subjects_total,
            institutions=data.institutions(year, round_number), average=published.average,
            threshold=published.threshold if published.threshold is not None
            else threshold,
            policy_id=policy_id, below_count=published.below_count,
            below_share=published.below_share,
            previous_year=previous_year,
            previous_average=published.previous_average,
            change_vs_previous=published.change_vs_previous,
            multi_year_label=published.multi_year_label,
            multi_year_average=published.multi_year_average,
            change_vs_multi_year=published.change_vs_multi_year,
            notes=notes,
            multi_year_years=my_years,
            precision=published_precision(published),
        )
    return None


def year_statistics(year: int, **kwargs) -> PeriodStatistics | None:
    """Statistics of a whole year (all rounds)."""
    return period_statistics(year, None, **kwargs)


def round_statistics(year: int, round_number: int, **kwargs) -> PeriodStatistics | None:
    return period_statistics(year, round_number, **kwargs)


def all_statistics(*, results: QuerySet | None = None,
                   multi_year: tuple[int, int] | None = None,
                   multi_year_method: str = "pooled",
                   include_rounds: bool = True,
                   data: StatisticsData | None = None) -> list[PeriodStatistics]:
    """Every year, followed by its rounds, oldest first (for the dashboard and trend).
    Six queries in all (see :class:`StatisticsData`)."""
    data = data or StatisticsData(results)
    out = []
    for year in sorted(data.years):
        stats = year_statistics(year, multi_year=multi_year,
                                multi_year_method=multi_year_method, data=data)
        if stats is not None:  # else a year with only round-level publications
            out.append(stats)
        if include_rounds:
            numbers = sorted(n for (y, n) in data.rounds if y == year and n is not None)
            for number in numbers:
                rs = round_statistics(year, number, data=data)
                if rs is not None:
                    out.append(rs)
    return out


@dataclass(frozen=True)
class Agreement:
    year: int
    round: int | None
    figure: str  # "evaluated" | "average" | "below_count" | "below_share"
    published: Decimal | int | None
    recomputed: Decimal | int | None  # rounded the way the figure was printed
    recomputed_exact: Decimal | int | None
    agrees: bool | None  # None: nothing to compare (published only)
    source: str = RECOMPUTED


def published_vs_recomputed(*, results: QuerySet | None = None,
                             data: StatisticsData | None = None) -> list[Agreement]:
    """For every published summary: the published figure, the figure recomputed from the
    rows (rounded half up the way it was printed) and whether they agree.

    Summaries without rows (2022, 2023) give ``agrees=None`` and ``source="published"``.
    """
    data = data or StatisticsData(results)
    out: list[Agreement] = []
    for s in data.summary_list:
        rnd = s.round.number if s.round_id else None
        stats = period_statistics(s.year.year, rnd, data=data)
        has_rows = stats is not None and stats.source == RECOMPUTED
        printed = dict(published_precision(s))  # rounded the way it was printed
        pairs = [
            ("evaluated", s.evaluated_count, stats.evaluated if has_rows else None,
             stats.evaluated if has_rows else None),
            ("average", s.average,
             round_half_up(stats.average, printed.get("average", 2)) if has_rows else None,
             stats.average if has_rows else None),
            ("below_count", s.below_count, stats.below_count if has_rows else None,
             stats.below_count if has_rows else None),
            ("below_share", s.below_share,
             round_half_up(stats.below_share, printed.get("below_share", 1))
             if has_rows else None,
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
    edges = np.arange(0, 100 + bin_width, bin_width, dtype=float)
    bins = len(edges) - 1
    # counted by the database, one group per bin: ``floor(score / width)``, the top edge
    # itself in the last bin (closed, as numpy's histogram)
    top = Decimal(repr(float(edges[-1])))
    tally = tally_of(qs) if _whole(bin_width) and _whole(top) else None
    if tally is not None:  # ⌊score / w⌋ = ⌊⌊score⌋ / w⌋ for a whole width
        index = Case(When(point=int(top), whole=True, then=Value(bins - 1)),
                     When(point__lt=0, then=Value(-1)),
                     default=Floor(F("point") / Value(int(bin_width))),
                     output_field=IntegerField())
        groups = tally.order_by().values_list(index).annotate(rows=Sum("n"))
    else:
        index = Case(When(score=top, then=Value(bins - 1)),
                     default=Floor(F("score") / Value(bin_width)),
                     output_field=IntegerField())
        groups = qs.order_by().values_list(index).annotate(n=Count("pk"))
    counts = [0] * bins
    n = 0
    for key, count in groups:
        n += count
        if key is not None and 0 <= int(key) < bins:
            counts[int(key)] += count
    policy = policies.policy_for_year_or_none(year) if year else None
    threshold = policy.threshold if policy is not None else None
    return {"edges": edges.tolist(), "counts": counts, "threshold": threshold, "n": n}
