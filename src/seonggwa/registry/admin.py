from django.contrib import admin

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
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "corrected_name"]
    list_filter = ["kind"]
    search_fields = ["name", "corrected_name"]


class ServiceNameInline(admin.TabularInline):
    model = ServiceName
    extra = 0


class ContractPeriodInline(admin.TabularInline):
    model = ContractPeriod
    fk_name = "service"
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "department", "annual_cost", "has_statutory_evaluation"]
    list_filter = ["has_statutory_evaluation"]
    search_fields = ["key", "name", "names__name"]
    inlines = [ServiceNameInline, ContractPeriodInline]


for model in (CouncilConsent, InspectionFinding, AuditResult, OperatingFigure):
    admin.site.register(model)
