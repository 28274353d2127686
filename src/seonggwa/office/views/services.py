from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from seonggwa.core import concurrency
from seonggwa.core.converters import year_or_404
from seonggwa.core.listing import paginate
from seonggwa.core.models import AuditEvent
from seonggwa.core.options import option_tags
from seonggwa.evaluations.domain.flags import flags_for_service, flags_for_services
from seonggwa.evaluations.domain.recontract import decision_sheet
from seonggwa.evaluations.domain.workflow import set_follow_up
from seonggwa.evaluations.interfaces import presentation
from seonggwa.evaluations.models import ItemKind, Narrative, NarrativeItem, Round
from seonggwa.registry.domain.changes import audit_objects
from seonggwa.registry.models import Organisation

from ..access import Perm, can_see_everything, office_results, require, visible_services
from ..actions import attempt
from ..forms.services import FollowUpForm, ServiceFilter
from ..presentation import describe_flags
from ..queries import SERVICE_SORTER, attach_shown_results, service_list
from ..trail import entries as trail_entries
from .results import result_actions


@require_safe
@require(Perm.OFFICE)
def service_list_view(request):
    user = request.user
    services = visible_services(user)
    results = office_results(user)
    # years and departments by index probes (per round, per department), not by a scan
    # of every result and service
    years = sorted(set(Round.objects.filter(Exists(results.filter(round=OuterRef("pk"))))
                       .values_list("year__year", flat=True)))
    if year_or_404(request.GET.get("year")) not in (None, *years):
        raise Http404(_("결과가 없는 연도입니다."))
    departments = Organisation.objects.filter(
        Exists(services.filter(department=OuterRef("pk")))).order_by("name")
    form = ServiceFilter(request.GET or None, years=years, departments=departments)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = SERVICE_SORTER.parse(request.GET.get("sort"))
    qs = service_list(services, results, sort=sort, **{
        k: filters.get(k) for k in ("year", "department", "score_min", "score_max")
    }, contractor=filters.get("contractor", ""), q=filters.get("q", ""),
        decision=filters.get("decision", ""), all_results=can_see_everything(user))
    page = paginate(request, qs)
    rows = list(page.object_list)
    attach_shown_results(rows)
    flags = flags_for_services([r.pk for r in rows])
    presentation.label_decisions(r.shown for r in rows)
    for r in rows:
        r.flags = describe_flags(flags.get(r.pk, []))
    return render(request, "office/service_list.html", {
        "nav": "services", "form": form, "page": page, "rows": rows, "sort": sort,
        "count": page.paginator.count, "year": filters.get("year"),
        "department_options": option_tags(departments.values_list("pk", "name"),
                                       form["department"].value()),
    })


@require_safe
@require(Perm.OFFICE)
def service_detail(request, key: str):
    user = request.user
    service = (visible_services(user).select_related("department")
               .filter(key=key).first())
    if service is None or not user.has_perm("registry.view_service", service):
        raise Http404(_("볼 수 있는 사무가 아닙니다."))
    return _service_page(request, service)


def _service_page(request, service, *, bound=None, status: int = 200):
    """The service page; ``bound`` maps an improvement task's id to a submitted follow-up
    form to show again (with its errors and the user's input)."""
    user = request.user
    results = list(office_results(user).filter(service=service)
                   .select_related("round", "round__year", "department")
                   .prefetch_related("contractors")
                   .order_by("round__year__year", "round__number"))
    presentation.label_decisions(results)
    for r in results:
        r.threshold = presentation.policy_threshold(r.policy_id)
    narratives = list(Narrative.objects.filter(service=service)
                      .select_related("round", "round__year")
                      .prefetch_related("items", "items__follow_up_round")
                      .order_by("round__year__year", "round__number"))
    chart = (presentation.score_history_chart(
        results, _("%(name)s 점수 이력") % {"name": service.name}) if results else None)
    sheet = None
    trail = []
    may_see_sheet = user.has_perm("registry.view_decision_sheet", service)
    if may_see_sheet:
        sheet = decision_sheet(service)
        presentation.label_decisions([sheet.latest_result])
        result_ids = [str(r.pk) for r in results]
        item_ids = [str(i.pk) for n in narratives for i in n.items.all()]
        registry_rows = Q()
        for object_type, ids in audit_objects(service):
            registry_rows |= Q(object_type=object_type, object_id__in=ids)
        trail = trail_entries(AuditEvent.objects.filter(
            registry_rows
            | Q(object_type="evaluations.result", object_id__in=result_ids)
            | Q(object_type="evaluations.narrativeitem", object_id__in=item_ids)
        ).select_related("actor").order_by("-at", "-id")[:200])
    if user.has_perm("evaluations.change_result"):
        versions = concurrency.versions_of(results)
        for r in results:
            r.actions = result_actions(user, r)
            r.version = versions[r.pk]
    follow_up = _follow_up_rows(user, service, narratives, bound or {})
    return render(request, "office/service_detail.html", {
        "follow_up": follow_up,
        "nav": "services",
        "service": service,
        "names": list(service.names.all()),
        "results": results,
        "narratives": narratives,
        "chart": chart,
        "flags": describe_flags(flags_for_service(service)),
        "sheet": sheet,
        "trail": trail,
        "officer_view": user.has_perm("evaluations.change_result"),
        "next": request.get_full_path(),
        "may_see_sheet": may_see_sheet,
        "contracts": list(service.contract_periods.prefetch_related("contractors")
                          .order_by("start")),
        "consents": list(service.council_consents.order_by("date")),
        "may_edit_registry": user.has_perm("registry.change_service", service),
        "inspections": list(service.inspection_findings.order_by("year", "date")),
        "audits": list(service.audit_results.order_by("year", "date")),
        "figures": list(service.operating_figures.order_by("kind", "indicator", "year",
                                                           "quarter")),
    }, status=status)


def _follow_up_rounds(service):
    """Rounds that can have checked a service's improvement tasks: those of its
    evaluations (results or narratives), newest first."""
    return list(Round.objects.filter(Q(results__service=service) | Q(narratives__service=service))
                .select_related("year").distinct().order_by("-year__year", "-number"))


def _follow_up_rows(user, service, narratives, bound):
    """Each improvement task with its form and version, when ``user`` may set its
    follow-up status; a form in ``bound`` (by task id) is shown as submitted."""
    items = [i for n in narratives for i in n.improvement_tasks]
    if not items or not user.has_perm("evaluations.set_follow_up", items[0]):
        return []
    rounds = _follow_up_rounds(service)
    versions = concurrency.versions_of(items)
    rows = []
    for i in items:
        form, version = bound.get(i.pk, (None, versions[i.pk]))
        if form is None:
            form = FollowUpForm(rounds=rounds, prefix=f"item{i.pk}", initial={
                "status": i.follow_up_status or None, "note": i.follow_up_note,
                "round": i.follow_up_round_id})
        rows.append((i, form, version))
    return rows


@require_POST
@require(Perm.OFFICE)
def follow_up(request, key: str, item_id: int):
    """Set the follow-up status of an improvement task (개선 과제 이행 상태): officers and
    the owning department, through ``workflow.set_follow_up`` (audited)."""
    user = request.user
    service = visible_services(user).filter(key=key).first()
    if service is None:
        raise Http404(_("볼 수 있는 사무가 아닙니다."))
    item = (NarrativeItem.objects.select_related("narrative__service")
            .filter(pk=item_id, narrative__service=service, kind=ItemKind.IMPROVEMENT).first())
    if item is None:
        raise Http404(_("이 사무의 개선 과제가 아닙니다."))
    if not user.has_perm("evaluations.set_follow_up", item):
        raise PermissionDenied
    form = FollowUpForm(request.POST, rounds=_follow_up_rounds(service), prefix=f"item{item.pk}")
    target = reverse("office:service", args=[service.key]) + f"#task-{item.pk}"
    loaded = concurrency.posted(request.POST)
    if not form.is_valid():
        return _service_page(request, service, bound={item.pk: (form, loaded)}, status=400)
    data = form.cleaned_data
    done = attempt(request, lambda fresh: set_follow_up(
        fresh, data["status"], note=data["note"].strip(), round=data["round"],
        actor=request.user), item, form=form)
    if not done.ok:
        return _service_page(request, service, bound={item.pk: (form, done.version_or(loaded))},
                             status=done.status)
    messages.success(request, _("개선 과제 이행 상태를 기록했습니다: %(status)s")
                     % {"status": done.fresh.get_follow_up_status_display()})
    return redirect(target)
