"""Querysets of the public pages: only published results of published rounds."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from seonggwa.access import policy
from seonggwa.core.listing import Sorter
from seonggwa.core.search import search
from seonggwa.evaluations.domain import statistics
from seonggwa.evaluations.models import Narrative, Result
from seonggwa.registry.models import Organisation

RESULT_SORTER = Sorter(
    {
        "year": ("year", "round_number", "seq"),
        "service": ("service_name",),
        "department": ("department__name", "service_name"),
        "contractor": ("contractor_name", "service_name"),
        "score": ("score",),
        "decision": ("decision_code", "score"),
    },
    default="year",
)


def published_results():
    """What the public may see (SPEC §3: results are published on the disclosure portal),
    by the access policy's one public rule; these pages cover outsourcing."""
    return (policy.public_results(Result.objects.outsourcing())
            .select_related("service", "department", "round", "round__year"))


def published_narratives():
    return (policy.public_narratives(Narrative.objects.all())
            .select_related("service", "round", "round__year"))


RESULT_SEARCH_FIELDS = ("service_name", "service__name", "contractor_name",
                        "department__name")
NARRATIVE_SEARCH_FIELDS = ("service_name", "service__name", "scope")


def filter_results(queryset, *, year=None, department=None, q=""):
    if year:  # the result's own indexed year: a range of the order index, not a scan
        queryset = queryset.filter(year=year)
    if department is not None:
        queryset = queryset.filter(department=department)
    return search(queryset, q, RESULT_SEARCH_FIELDS)


def filter_narratives(queryset, *, year=None, department=None, q=""):
    """Published narratives (the 2022/2023 services known only from them) matching the
    same filters as the results."""
    if year:
        queryset = queryset.filter(round__year__year=year)
    if department is not None:
        queryset = queryset.filter(service__department=department)
    return search(queryset, q, NARRATIVE_SEARCH_FIELDS)


def narrative_only(queryset):
    """Narratives of evaluations that published no per-service score."""
    return queryset.filter(round__published_only=True)


def public_years() -> list[int]:
    return statistics.result_years(published_results())  # from the per-round tallies


def public_evaluation_years() -> list[int]:
    """Years with published results or published narratives (2022, 2023 have only
    narratives and summary figures)."""
    narrated = published_narratives().order_by().values_list("round__year__year", flat=True)
    return sorted(set(public_years()) | set(narrated.distinct()))


def public_departments():
    """Departments with a published result: one indexed EXISTS per department (a few
    hundred), not a scan of every published result."""
    has_published = published_results().filter(department=OuterRef("pk")).order_by()
    return Organisation.objects.filter(Exists(has_published)).order_by("name")
