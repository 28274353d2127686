"""Admin: read-only. Registry data changes only through
``seonggwa.registry.domain.changes`` (audited): the office pages, the registry workbook
and the commands."""

from django.contrib import admin

from seonggwa.core.admin import ReadOnlyAdmin, ReadOnlyInline
from seonggwa.registry.models import (
    AuditResult,
    ContractPeriod,
    CouncilConsent,
    InspectionFinding,
    OperatingFigure,
    Organisation,
    Service,
    ServiceName,
)


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "corrected_name"]
    list_filter = ["kind"]
    search_fields = ["name", "corrected_name"]


class ServiceNameInline(ReadOnlyInline):
    model = ServiceName


class ContractPeriodInline(ReadOnlyInline):
    model = ContractPeriod
    fk_name = "service"


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "department", "annual_cost", "has_statutory_evaluation"]
    list_filter = ["has_statutory_evaluation"]
    search_fields = ["key", "name", "names__name"]
    inlines = [ServiceNameInline, ContractPeriodInline]


for model in (CouncilConsent, InspectionFinding, AuditResult, OperatingFigure):
    admin.site.register(model, ReadOnlyAdmin)
