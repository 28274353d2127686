from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from seonggwa.core import concurrency
from seonggwa.core.listing import paginate
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain.due import (
    EXCLUDED,
    INCLUDED,
    NEEDS_REVIEW,
    NOT_DUE,
    DueRows,
)
from seonggwa.evaluations.domain.workflow import adjust_due
from seonggwa.evaluations.models import DueAdjustment, EvaluationYear
from seonggwa.registry.models import ContractPeriod, Service

from ..access import Perm, require
from ..actions import attempt
from ..forms.due import DueAdjustForm


@require(Perm.EVALUATIONS)
def due_index(request):
    return redirect("office:due", year=dt.date.today().year)


def _adjustments(year: int, service: Service | None = None):
    """The audit events of due-list adjustments in ``year`` (of ``service``, if given)."""
    events = AuditEvent.objects.filter(action="due.adjust", after__year=year)
    if service is not None:
        events = events.filter(object_type=service._meta.label_lower,
                               object_id=str(service.pk))
    return events


DUE_PAGE_SIZE = 100


def _contract_end_years() -> list[int]:
    """The years in which some contract ends: the first and last end, then one probe of
    the end index per year between (listing the distinct years of every contract's end
    read all of them: 0.4 s at 50,000 services)."""
    ends = ContractPeriod.objects.order_by("end").values_list("end", flat=True)
    first, last = ends.first(), ends.last()  # each one walk of the index from one side
    if first is None:
        return []
    return [y for y in range(first.year, last.year + 1)
            if ContractPeriod.objects.filter(end__year=y).exists()]


def _caption(section: int, round_number: int | None, counts) -> str:
    """A table's caption with its whole count (not the page's)."""
    if section == INCLUDED:
        count = counts.by_round[round_number]
        if round_number:
            return _("%(n)s차 (%(count)s개)") % {"n": round_number, "count": count}
        return _("차수 미정 (%(count)s개)") % {"count": count}
    caption = {EXCLUDED: _("담당관이 제외한 사무"),
               NEEDS_REVIEW: _("확인 필요: 연 사업비 미등록"),
               NOT_DUE: _("기간은 끝나지만 대상이 아닌 사무")}[section]
    return f"{caption} ({counts.others[section]})"


def _page_of_sections(request, rows: DueRows):
    """The requested page of the due list (``DUE_PAGE_SIZE`` rows; a page that does not
    exist is 404), grouped into the tables its rows belong to: (caption, default action,
    entries). Only the page's rows are read and built."""
    page = paginate(request, rows, per_page=DUE_PAGE_SIZE)
    tables: dict[tuple[int, int | None], list] = {}
    for section, entry in page.object_list:
        table = (section, entry.round_number if section == INCLUDED else None)
        tables.setdefault(table, []).append(entry)
    return page, [(_caption(section, number, rows.counts),
                   "exclude" if section == INCLUDED else "include", entries)
                  for (section, number), entries in tables.items()]


@require(Perm.EVALUATIONS)
def due_view(request, year: int):
    form = DueAdjustForm()
    version = concurrency.version(_adjustments(year))
    if request.method == "POST":
        form = DueAdjustForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            service = Service.objects.filter(key=data["service"]).first()
            if service is None:
                form.add_error("service", _("등록되지 않은 사무 키입니다."))
            else:
                # someone else's adjustment of the same service since this page was
                # loaded is a conflict; of other services, not
                done = attempt(request, lambda _service: adjust_due(
                    year=year, service=service, action=data["action"],
                    round_number=data["round_number"], reason=data["reason"],
                    actor=request.user), service, events=_adjustments(year, service),
                    form=form)
                if done.ok:
                    messages.success(request, _("평가대상 조정을 기록했습니다: %(name)s")
                                     % {"name": service.name})
                    return redirect(request.get_full_path())  # the same page
                version = done.version_or(version)
    rows = DueRows(year)
    page, sections = _page_of_sections(request, rows)
    years = sorted(set(EvaluationYear.objects.values_list("year", flat=True))
                   | set(_contract_end_years()) | {year})
    history = (DueAdjustment.objects.filter(year=year).select_related("service")
               .order_by("-at", "-id")[:100])
    return render(request, "office/due.html", {
        "nav": "due", "year": year, "due": rows.counts, "page": page, "sections": sections,
        "form": form,
        "years": years, "history": history, "actions": DueAdjustment.Action.choices,
        "version": version,
    }, status=400 if request.method == "POST" else 200)
