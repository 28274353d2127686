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


def due_list(year: int, *, cost_line: int | None = None, round_windows=None,
             services=None) -> DueList:
    """The due list of ``year`` with officers' adjustments applied.

    ``services`` (optional queryset) restricts the registry, e.g. to a department.
    """
    line, windows = due_settings()
    line = line if cost_line is None else int(cost_line)
    windows = windows if round_windows is None else tuple(tuple(w) for w in round_windows)
    periods = (ContractPeriod.objects.filter(end__year=year).select_related(
        "service", "service__department").order_by("service_id", "end"))
    if services is not None:
        periods = periods.filter(service__in=services)
    last: dict[int, ContractPeriod] = {}
    for p in periods:
        last[p.service_id] = p  # the latest period ending in the year
    adjustments = latest_adjustments(year)
    entries, excluded, review, not_due = [], [], [], []
    for sid, period in last.items():
        svc = period.service
        reasons = [_("위탁기간 %(start)s~%(end)s 만료") % {"start": period.start,
                                                          "end": period.end}]
        due = True
        if svc.has_statutory_evaluation:
            due = False
            reasons.append(_("법령·조례상 별도 평가체계 있음"))
        if svc.annual_cost is None:
            entry = DueEntry(svc, period, round_for_end(period.end, windows), False, False,
                             reasons + [_("연 사업비 미등록: 확인 필요")], adjustments.get(sid))
            if entry.adjustment and entry.adjustment.action == DueAdjustment.Action.INCLUDE:
                _apply(entry, entry.adjustment)
                entries.append(entry)
            else:
                review.append(entry)
            continue
        if svc.annual_cost < line:
            due = False
            reasons.append(_("연 사업비 %(cost)s원 < 기준 %(line)s원")
                           % {"cost": f"{svc.annual_cost:,}", "line": f"{line:,}"})
        else:
            reasons.append(_("연 사업비 %(cost)s원 ≥ 기준 %(line)s원")
                           % {"cost": f"{svc.annual_cost:,}", "line": f"{line:,}"})
        entry = DueEntry(svc, period, round_for_end(period.end, windows), due, due, reasons,
                         adjustments.get(sid))
        if entry.adjustment:
            _apply(entry, entry.adjustment)
        (entries if entry.included else excluded if due else not_due).append(entry)
    # officer inclusions of services with no contract ending this year
    extra = [a for sid, a in adjustments.items()
             if sid not in last and a.action in (DueAdjustment.Action.INCLUDE,
                                                 DueAdjustment.Action.MOVE)]
    if extra:
        svcs = Service.objects.in_bulk([a.service_id for a in extra])
        for a in extra:
            entry = DueEntry(svcs[a.service_id], None, None, False, False,
                             [_("위탁기간 만료 없음")], a)
            _apply(entry, a)
            entries.append(entry)

    def key(e: DueEntry):
        return (e.round_number or 99, e.contract_end or dt.date.max, e.service.name)

    return DueList(year, line, sorted(entries, key=key), sorted(excluded, key=key),
                   sorted(review, key=key), sorted(not_due, key=key))


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
