"""Admin: read-mostly. Results and statuses change only through
``seonggwa.evaluations.domain.workflow`` (audited), so they are read-only here."""

from django.contrib import admin

from seonggwa.core.admin import ReadOnlyAdmin
from seonggwa.evaluations.models import (
    DueAdjustment,
    EvaluationYear,
    Narrative,
    NarrativeItem,
    PublishedSummary,
    Result,
    Round,
)


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["service_name", "round", "score", "decision_label", "status", "policy_id"]
    list_filter = ["status", "decision_code", "round__year"]
    search_fields = ["service_name", "contractor_name", "service__key"]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "period_text", "status", "published_only"]


class NarrativeItemInline(admin.TabularInline):
    model = NarrativeItem
    extra = 0


@admin.register(Narrative)
class NarrativeAdmin(admin.ModelAdmin):
    list_display = ["service_name", "round"]
    inlines = [NarrativeItemInline]


admin.site.register(EvaluationYear)
admin.site.register(PublishedSummary, ReadOnlyAdmin)
admin.site.register(DueAdjustment, ReadOnlyAdmin)
