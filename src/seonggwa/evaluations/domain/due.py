"""Which services are due for evaluation in a year (SPEC §3 "What is evaluated").

A service is due in ``year`` when, all three:

1. a contract period of the service ends in ``year`` (위탁기간 만료 도래);
2. its annual cost is at or above the line (default 5억원 = 500,000,000 won);
3. it has no separate statutory evaluation system.

A service whose annual cost is unknown is neither due nor silently dropped: it is listed
under ``needs_review`` (the documents do not allow a guess).

Due services are grouped into rounds by the month their contract ends. The windows are
configurable (the documents give the rounds' evaluation periods, not a rule): by default
contracts ending January–April go to round 1, May–August to round 2, September–December
to round 3.

Configuration (``settings.SEONGGWA_DUE``, all optional)::

    SEONGGWA_DUE = {"cost_line": 500_000_000,
                    "round_windows": [(1, 1, 4), (2, 5, 8), (3, 9, 12)]}  # (round, from, to month)

Officers adjust the list with :func:`seonggwa.evaluations.domain.workflow.adjust_due`
(include / exclude / move round / reset, reason required); the latest adjustment per
service applies and is shown on the entry.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate
from django.utils.translation import gettext as _

from seonggwa.evaluations.models import DueAdjustment
from seonggwa.registry.models import ContractPeriod, Service

DEFAULT_COST_LINE = 500_000_000
DEFAULT_ROUND_WINDOWS = ((1, 1, 4), (2, 5, 8), (3, 9, 12))


def due_settings() -> tuple[int, tuple[tuple[int, int, int], ...]]:
    conf = getattr(settings, "SEONGGWA_DUE", {}) or {}
    line = int(conf.get("cost_line", DEFAULT_COST_LINE))
    windows = tuple(tuple(w) for w in conf.get("round_windows", DEFAULT_ROUND_WINDOWS))
    return line, windows


def round_for_end(end: dt.date, windows=None) -> int | None:
    """The round a contract ending on ``end`` belongs to (None if no window covers it)."""
    for number, first, last in windows or due_settings()[1]:
        if first <= end.month <= last:
            return number
    return None


@dataclass
class DueEntry:
    service: Service
    contract: ContractPeriod | None
    round_number: int | None
    computed_due: bool  # what the rule says before adjustments
    included: bool  # after adjustments
    reasons: list[str] = field(default_factory=list)
    adjustment: DueAdjustment | None = None

    @property
    def contract_end(self) -> dt.date | None:
        return self.contract.end if self.contract else None


@dataclass
class DueList:
    year: int
    cost_line: int
    entries: list[DueEntry]  # included (due, or added by an officer)
    excluded: list[DueEntry]  # due by the rule but excluded by an officer
    needs_review: list[DueEntry]  # contract ends this year but the annual cost is unknown
    not_due: list[DueEntry]  # contract ends this year but below the line or statutory

    def by_round(self) -> dict[int | None, list[DueEntry]]:
        groups: dict[int | None, list[DueEntry]] = defaultdict(list)
        for e in self.entries:
            groups[e.round_number].append(e)
        return dict(sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))


def latest_adjustments(year: int) -> dict[int, DueAdjustment]:
    latest: dict[int, DueAdjustment] = {}
    for adj in DueAdjustment.objects.filter(year=year).order_by("at", "id"):
        latest[adj.service_id] = adj
    return {sid: a for sid, a in latest.items() if a.action != DueAdjustment.Action.RESET}


def _entry(svc: Service, period: ContractPeriod | None, adjustment: DueAdjustment | None,
           line: int, windows) -> tuple[int, DueEntry]:
    """One service's due entry and the table it belongs to (one of ``SECTIONS``' ranks).

    The single statement of the rule per service: the whole-year list and the paged list
    both build their rows here, so the two cannot disagree.
    """
    if period is None:  # an officer's inclusion of a service with no contract ending
        entry = DueEntry(svc, None, None, False, False, [_("위탁기간 만료 없음")], adjustment)
        _apply(entry, adjustment)
        return INCLUDED, entry
    reasons = [_("위탁기간 %(start)s~%(end)s 만료") % {"start": period.start,
                                                      "end": period.end}]
    due = True
    if svc.has_statutory_evaluation:
        due = False
        reasons.append(_("법령·조례상 별도 평가체계 있음"))
    if svc.annual_cost is None:
        entry = DueEntry(svc, period, round_for_end(period.end, windows), False, False,
                         reasons + [_("연 사업비 미등록: 확인 필요")], adjustment)
        if entry.adjustment and entry.adjustment.action == DueAdjustment.Action.INCLUDE:
            _apply(entry, entry.adjustment)
            return INCLUDED, entry
        return NEEDS_REVIEW, entry
    if svc.annual_cost < line:
        due = False
        reasons.append(_("연 사업비 %(cost)s원 < 기준 %(line)s원")
                       % {"cost": f"{svc.annual_cost:,}", "line": f"{line:,}"})
    else:
        reasons.append(_("연 사업비 %(cost)s원 ≥ 기준 %(line)s원")
                       % {"cost": f"{svc.annual_cost:,}", "line": f"{line:,}"})
    entry = DueEntry(svc, period, round_for_end(period.end, windows), due, due, reasons,
                     adjustment)
    if entry.adjustment:
        _apply(entry, entry.adjustment)
    return (INCLUDED if entry.included else EXCLUDED if due else NOT_DUE), entry


def _settings(cost_line, round_windows):
    line, windows = due_settings()
    line = line if cost_line is None else int(cost_line)
    windows = windows if round_windows is None else tuple(tuple(w) for w in round_windows)
    return line, windows


def due_list(year: int, *, cost_line: int | None = None, round_windows=None,
             services=None) -> DueList:
    """The due list of ``year`` with officers' adjustments applied, every row at once
    (the office page reads one page of it through :class:`DueRows` instead).

    ``services`` (optional queryset) restricts the registry, e.g. to a department.
    """
    line, windows = _settings(cost_line, round_windows)
    periods = (ContractPeriod.objects.filter(end__year=year).select_related(
        "service", "service__department").order_by("service_id", "end"))
    if services is not None:
        periods = periods.filter(service__in=services)
    last: dict[int, ContractPeriod] = {}
    for p in periods:
        last[p.service_id] = p  # the latest period ending in the year
    adjustments = latest_adjustments(year)
    tables: dict[int, list[DueEntry]] = {rank: [] for rank in SECTIONS}
    for sid, period in last.items():
        rank, entry = _entry(period.service, period, adjustments.get(sid), line, windows)
        tables[rank].append(entry)
    # officer inclusions of services with no contract ending this year
    extra = [a for sid, a in adjustments.items()
             if sid not in last and a.action in (DueAdjustment.Action.INCLUDE,
                                                 DueAdjustment.Action.MOVE)]
    if extra:
        svcs = Service.objects.in_bulk([a.service_id for a in extra])
        for a in extra:
            tables[INCLUDED].append(_entry(svcs[a.service_id], None, a, line, windows)[1])

    def key(e: DueEntry):
        return (e.round_number or 99, e.contract_end or dt.date.max, e.service.name)

    return DueList(year, line, *(sorted(tables[rank], key=key) for rank in SECTIONS))


# ---------------------------------------------------------------------------- paged
# The office page shows 100 rows at a time. Which table each service falls in, its round
# and its place in the order are computed by the database (the rule above written as SQL
# expressions), so a page costs one count query and one query for its 100 rows, and only
# those rows are built in Python by ``_entry`` — not the whole year's services.

INCLUDED, EXCLUDED, NEEDS_REVIEW, NOT_DUE = 0, 1, 2, 3
SECTIONS = (INCLUDED, EXCLUDED, NEEDS_REVIEW, NOT_DUE)  # page order of the tables
NO_ROUND = 99  # sorts rows with no round after every round, as ``due_list`` does


def _name_order():
    """Service names in code-point order, as Python's ``sorted`` orders them (SQLite's
    default collation is already that; PostgreSQL's depends on the database locale)."""
    return Collate("name", "C") if connection.vendor == "postgresql" else F("name")


def _month_after(year: int, month: int) -> dt.date:
    """The first day after ``month`` of ``year`` (plain date comparisons let the
    database compare windows without a date function per row)."""
    return dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)


def _adjusted(adjustments: dict[int, DueAdjustment], *actions: str) -> Q:
    """Services whose latest adjustment is one of ``actions`` (the year's adjustments are
    few and read once: a literal list keeps them out of every row's plan)."""
    ids = [sid for sid, a in adjustments.items() if a.action in actions]
    return Q(pk__in=ids) if ids else Q(pk__in=[])


def _adjusted_round(adjustments: dict[int, DueAdjustment], *actions: str):
    """The round named by the latest adjustment when it is one of ``actions``."""
    by_round: dict[int, list[int]] = defaultdict(list)
    for sid, a in adjustments.items():
        if a.action in actions and a.round_number:
            by_round[a.round_number].append(sid)
    return [When(pk__in=ids, then=Value(n)) for n, ids in sorted(by_round.items())]


def due_queryset(year: int, line: int, windows, adjustments: dict[int, DueAdjustment]):
    """The services on the due list of ``year``, each annotated with ``due_section`` (one
    of ``SECTIONS``), ``due_round`` (the round it is shown under, or None), ``due_period``
    (the id of its latest contract period ending in the year) and ``due_end``, ordered
    as the page shows them. ``adjustments``: :func:`latest_adjustments` of the year."""
    action = DueAdjustment.Action
    later = ContractPeriod.objects.filter(service=OuterRef("pk"), end__year=year).filter(
        Q(end__gt=OuterRef("period__end"))
        | Q(end=OuterRef("period__end"), pk__gt=OuterRef("period__pk")))
    include, move = _adjusted(adjustments, action.INCLUDE), _adjusted(adjustments, action.MOVE)
    ends = ContractPeriod.objects.filter(end__year=year).values("service_id")
    services = (Service.objects
                .annotate(period=FilteredRelation(
                    "contract_periods", condition=Q(contract_periods__end__year=year)))
                .filter(Q(pk__in=ends) | include | move)
                .exclude(Exists(later))
                .annotate(due_period=F("period__pk"), due_end=F("period__end")))
    rule_round = Case(*(When(period__end__gte=dt.date(year, first, 1),
                             period__end__lt=_month_after(year, last), then=Value(number))
                        for number, first, last in windows),
                      default=None, output_field=IntegerField())
    rule_due = Q(annual_cost__gte=line, has_statutory_evaluation=False)
    excluded_by_officer = _adjusted(adjustments, action.EXCLUDE)
    included = (Q(period__isnull=True)  # only officers' inclusions come without a period
                | include
                | Q(annual_cost__isnull=False) & (move | rule_due & ~excluded_by_officer))
    section = Case(When(included, then=Value(INCLUDED)),
                   When(annual_cost__isnull=True, then=Value(NEEDS_REVIEW)),
                   When(rule_due, then=Value(EXCLUDED)),
                   default=Value(NOT_DUE), output_field=IntegerField())
    adjusted_round = _adjusted_round(adjustments, action.INCLUDE, action.MOVE)
    shown_round = (Case(*adjusted_round, default=rule_round, output_field=IntegerField())
                   if adjusted_round else rule_round)
    return (services.annotate(due_section=section)
            .annotate(due_round=Case(When(due_section=INCLUDED, then=shown_round),
                                     default=rule_round, output_field=IntegerField()))
            .order_by("due_section", Coalesce("due_round", Value(NO_ROUND)),
                      Coalesce("due_end", Value(dt.date.max)), _name_order(), "pk"))


@dataclass
class DueCounts:
    """How many rows each table of the due list has, from one grouped query."""

    cost_line: int
    by_round: dict[int | None, int]  # included rows per shown round, page order
    others: dict[int, int]  # EXCLUDED / NEEDS_REVIEW / NOT_DUE -> rows

    @property
    def total(self) -> int:
        return sum(self.by_round.values()) + sum(self.others.values())


class DueRows:
    """The due list of a year as a sequence a ``Paginator`` can page: ``count()`` from
    the grouped counts, a slice from the database with only its rows built as entries.
    Each item is ``(section, entry)``."""

    def __init__(self, year: int, *, cost_line: int | None = None, round_windows=None):
        self.year = year
        self.line, self.windows = _settings(cost_line, round_windows)
        self.adjustments = latest_adjustments(year)
        self.queryset = due_queryset(year, self.line, self.windows, self.adjustments)
        self.counts = self._count()

    def _count(self) -> DueCounts:
        groups = (self.queryset.order_by().values("due_section", "due_round")
                  .annotate(n=Count("pk")))
        by_round: dict[int | None, int] = {}
        others: dict[int, int] = {}
        for g in groups:
            if g["due_section"] == INCLUDED:
                by_round[g["due_round"]] = by_round.get(g["due_round"], 0) + g["n"]
            else:
                others[g["due_section"]] = others.get(g["due_section"], 0) + g["n"]
        ordered = dict(sorted(by_round.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))
        return DueCounts(self.line, ordered, others)

    def count(self) -> int:
        return self.counts.total

    def __len__(self) -> int:
        return self.counts.total

    def __getitem__(self, window: slice) -> list[tuple[int, DueEntry]]:
        rows = list(self.queryset.select_related("department")[window])
        periods = ContractPeriod.objects.in_bulk([r.due_period for r in rows if r.due_period])
        return [_entry(svc, periods.get(svc.due_period), self.adjustments.get(svc.pk),
                       self.line, self.windows) for svc in rows]


def _apply(entry: DueEntry, adj: DueAdjustment) -> None:
    note = _("담당관 조정: %(action)s — %(reason)s (%(actor)s)") % {
        "action": adj.get_action_display(), "reason": adj.reason, "actor": adj.actor_label}
    if adj.action == DueAdjustment.Action.EXCLUDE:
        entry.included = False
    elif adj.action == DueAdjustment.Action.INCLUDE:
        entry.included = True
        if adj.round_number:
            entry.round_number = adj.round_number
    elif adj.action == DueAdjustment.Action.MOVE:
        entry.included = True
        entry.round_number = adj.round_number
    entry.reasons.append(note)
