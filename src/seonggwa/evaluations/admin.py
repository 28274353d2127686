"""Admin: read-only. Results, statuses, narratives and years change only through
``seonggwa.evaluations.domain`` (audited), so the admin only shows them."""

from django.contrib import admin

from seonggwa.core.admin import ReadOnlyAdmin, ReadOnlyInline
from seonggwa.evaluations.models import (
    Assignment,
    DueAdjustment,
    EvaluationYear,
    FrameworkVersion,
    Narrative,
    NarrativeItem,
    PublishedSummary,
    Rating,
    Result,
    Round,
    Subject,
)


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "round", "score", "scale_max", "band_code", "decision_code",
                    "status", "policy_id", "framework_version"]
    list_filter = ["status", "decision_code", "round__year"]
    search_fields = ["service_name", "contractor_name", "service__key"]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "scheme", "framework_version", "period_text", "status",
                    "published_only"]


class NarrativeItemInline(ReadOnlyInline):
    model = NarrativeItem


@admin.register(Narrative)
class NarrativeAdmin(ReadOnlyAdmin):
    list_display = ["service_name", "round"]
    inlines = [NarrativeItemInline]


admin.site.register(EvaluationYear, ReadOnlyAdmin)
admin.site.register(PublishedSummary, ReadOnlyAdmin)
admin.site.register(DueAdjustment, ReadOnlyAdmin)
admin.site.register(FrameworkVersion, ReadOnlyAdmin)
admin.site.register(Subject, ReadOnlyAdmin)
admin.site.register(Rating, ReadOnlyAdmin)
admin.site.register(Assignment, ReadOnlyAdmin)
