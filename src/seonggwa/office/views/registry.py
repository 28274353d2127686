"""The officer's registry pages: create a service, edit its registry record, add or
correct contract periods, council consents, inspection findings, audit results and
operating figures, end a contract period early, and the registry workbook.

Every POST goes to a function of :mod:`seonggwa.registry.domain.changes` (which audits);
a refusal is shown next to the field it names and nothing is saved. Only officers
(``registry.change_service``) may use these pages: others get 403, anonymous users the
login page.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seonggwa.core import concurrency
from seonggwa.core.downloads import XLSX, attachment
from seonggwa.registry.domain import changes
from seonggwa.registry.interfaces import xlsx
from seonggwa.registry.models import (
    AuditResult,
    ContractPeriod,
    CouncilConsent,
    InspectionFinding,
    OperatingFigure,
    Service,
)

from ..access import Perm, require
from ..actions import attempt
from ..forms import registry as forms
from ..forms.imports import RegistryImportForm


def _reason(data: dict) -> str:
    return (data.pop("reason", "") or "").strip()


# ----------------------------------------------------------------------------- service

@require(Perm.REGISTRY)
def service_create(request):
    form = forms.ServiceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = _reason(data)
        done = attempt(request, lambda _none: changes.create_service(
            **data, actor=request.user, reason=reason), form=form)
        if done.ok:
            messages.success(request, _("사무 '%(name)s'을(를) 등록했습니다.")
                             % {"name": done.value.name})
            return redirect("office:service", done.value.key)
    return render(request, "office/registry_form.html", {
        "nav": "services", "form": form, "title": _("새 위탁사무 등록"),
        "submit": _("등록"), "back": reverse("office:services"),
    }, status=400 if form.is_bound else 200)


@require(Perm.REGISTRY)
def service_record(request, key: str):
    service = get_object_or_404(Service.objects.select_related("department"), key=key)
    initial = {"name": service.name, "department": service.department,
               "annual_cost": service.annual_cost, "notes": service.notes,
               "has_statutory_evaluation": service.has_statutory_evaluation}
    form = forms.ServiceRecordForm(request.POST or None, initial=initial)
    version = concurrency.version_of(service)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = _reason(data)
        done = attempt(request, lambda fresh: changes.update_service(
            fresh, **data, actor=request.user, reason=reason), service, form=form)
        if done.ok:
            messages.success(request, _("사무 등록 정보를 고쳤습니다.") if done.value
                             else _("바뀐 내용이 없습니다."))
            return redirect(reverse("office:service", args=[key]) + "#registry")
        version = done.version_or(version)
    return render(request, "office/registry_form.html", {
        "nav": "services", "form": form, "service": service,
        "title": _("사무 등록 정보 수정"), "submit": _("저장"), "version": version,
        "back": reverse("office:service", args=[key]) + "#registry",
    }, status=400 if form.is_bound else 200)


# ----------------------------------------------------------------------------- rows

@dataclass(frozen=True)
class Kind:
    model: type
    form: type
    create: object
    update: object
    title: object
    fields: tuple[str, ...]


KINDS = {
    "contract": Kind(ContractPeriod, forms.ContractPeriodForm,
                     lambda service, **kw: changes.add_contract_period(service, **kw),
                     changes.update_contract_period, gettext_lazy("위탁기간"),
                     ("start", "end", "kind", "contractors", "previous", "note")),
    "consent": Kind(CouncilConsent, forms.CouncilConsentForm,
                    lambda service, **kw: changes.record_council_consent(service, **kw),
                    changes.update_council_consent, gettext_lazy("의회 동의"),
                    ("date", "note")),
    "inspection": Kind(InspectionFinding, forms.InspectionFindingForm,
                       lambda service, **kw: changes.record_inspection_finding(service,
                                                                               **kw),
                       changes.update_inspection_finding, gettext_lazy("지도점검 지적사항"),
                       ("year", "date", "count", "corrective_demand", "text")),
    "audit": Kind(AuditResult, forms.AuditResultForm,
                  lambda service, **kw: changes.record_audit_result(service, **kw),
                  changes.update_audit_result, gettext_lazy("감사 결과"),
                  ("year", "date", "auditor", "finding_count", "summary")),
    "figure": Kind(OperatingFigure, forms.OperatingFigureForm,
                   lambda service, **kw: changes.record_operating_figure(service, **kw),
                   changes.update_operating_figure, gettext_lazy("운영 지표"),
                   ("kind", "indicator", "year", "quarter", "value", "unit",
                    "period_text", "source")),
}


@require(Perm.REGISTRY)
def registry_row(request, key: str, kind: str, pk: int | None = None):
    """Add (``pk`` empty) or correct one registry row of a service."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    service = get_object_or_404(Service, key=key)
    instance = None
    initial = {}
    if pk is not None:
        instance = get_object_or_404(spec.model, pk=pk, service=service)
        initial = {f: getattr(instance, f) for f in spec.fields}
        if kind == "contract":
            initial["contractors"] = list(instance.contractors.all())
    extra = {"service": service, "instance": instance} if kind == "contract" else {}
    form = spec.form(request.POST or None, initial=initial, **extra)
    version = concurrency.version_of(instance) if instance is not None else None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = _reason(data)
        if instance is None:
            done = attempt(request, lambda _none: spec.create(
                service, **data, actor=request.user, reason=reason), form=form)
            message = _("%(what)s을(를) 등록했습니다.") % {"what": spec.title}
        else:
            done = attempt(request, lambda fresh: spec.update(
                fresh, **data, actor=request.user, reason=reason), instance, form=form)
            message = (_("%(what)s을(를) 고쳤습니다.") % {"what": spec.title}
                       if done.value else _("바뀐 내용이 없습니다."))
        if done.ok:
            messages.success(request, message)
            return redirect(reverse("office:service", args=[key]) + "#registry")
        version = done.version_or(version)
    title = (format_lazy("{} — {}", spec.title, _("추가")) if instance is None
             else format_lazy("{} — {}", spec.title, _("수정")))
    return render(request, "office/registry_form.html", {
        "nav": "services", "form": form, "service": service, "title": title,
        "submit": _("등록") if instance is None else _("저장"), "version": version,
        "back": reverse("office:service", args=[key]) + "#registry",
    }, status=400 if form.is_bound else 200)


@require(Perm.REGISTRY)
def contract_end(request, key: str, pk: int):
    service = get_object_or_404(Service, key=key)
    period = get_object_or_404(ContractPeriod, pk=pk, service=service)
    form = forms.ContractEndForm(request.POST or None, initial={"end": period.end})
    version = concurrency.version_of(period)
    if request.method == "POST" and form.is_valid():
        done = attempt(request, lambda fresh: changes.end_contract_period(
            fresh, form.cleaned_data["end"], reason=form.cleaned_data["reason"],
            actor=request.user), period, form=form)
        if done.ok:
            messages.success(request, _("위탁기간을 %(end)s에 종료했습니다.")
                             % {"end": done.fresh.end})
            return redirect(reverse("office:service", args=[key]) + "#registry")
        version = done.version_or(version)
    return render(request, "office/registry_form.html", {
        "nav": "services", "form": form, "service": service,
        "title": _("위탁기간 종료 (%(start)s ~ %(end)s)")
        % {"start": period.start, "end": period.end},
        "submit": _("종료"), "version": version,
        "back": reverse("office:service", args=[key]) + "#registry",
    }, status=400 if form.is_bound else 200)


# ----------------------------------------------------------------------------- workbook

@require(Perm.REGISTRY)
def registry_transfer(request):
    form = RegistryImportForm()
    refusal = None
    status = 200
    if request.method == "POST":
        form = RegistryImportForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = xlsx.import_registry(
                    upload.read(), create_missing=form.cleaned_data["create_missing"],
                    actor=request.user, filename=upload.name)
            except xlsx.ImportRefused as exc:
                refusal = exc
            else:
                messages.success(request, _(
                    "대장을 가져왔습니다: 새로 %(created)s건, 수정 %(updated)s건, 그대로 "
                    "%(unchanged)s건.") % {"created": report.total_created,
                                         "updated": report.total_updated,
                                         "unchanged": sum(report.unchanged.values())})
                if report.organisations_created:
                    messages.info(request, _("새로 등록한 기관: %(names)s")
                                  % {"names": ", ".join(report.organisations_created)})
                return redirect("office:registry_transfer")
    return render(request, "office/registry_transfer.html", {
        "nav": "registry", "form": form, "refusal": refusal,
        "sheets": [(name, xlsx.SHEET_GUIDE[name], spec) for name, spec in xlsx.SHEETS.items()],
        "counts": {"services": Service.objects.count(),
                   "contracts": ContractPeriod.objects.count()},
    }, status=status)


@require(Perm.REGISTRY)
def registry_template(request):
    return attachment(xlsx.blank_template(), "seonggwa-registry-template.xlsx")


@require(Perm.REGISTRY)
def registry_export(request):
    """The whole registry, written row by row (write-only workbook, rows read from the
    database in chunks) into a temporary file that is sent from disk and deleted when the
    response closes: memory stays flat at any registry size."""
    tmp = tempfile.TemporaryFile()
    try:
        xlsx.export_registry(target=tmp)
        tmp.seek(0)
    except BaseException:
        tmp.close()
        raise
    return FileResponse(tmp, as_attachment=True, filename="seonggwa-registry.xlsx",
                        content_type=XLSX)
