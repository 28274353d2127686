"""Querysets of the public pages: only published results of published rounds."""

from __future__ import annotations

from django.db.models import Q

from seonggwa.core.listing import Sorter
from seonggwa.evaluations.models import Narrative, Result, Status
from seonggwa.registry.models import Organisation

RESULT_SORTER = Sorter(
    {
        "year": ("round__year__year", "round__number", "seq"),
        "service": ("service_name",),
        "department": ("department__name", "service_name"),
        "contractor": ("contractor_name", "service_name"),
        "score": ("score",),
        "decision": ("decision_code", "score"),
    },
    default="year",
)


def published_results():
    """What the public may see (SPEC §3: results are published on the disclosure portal)."""
    return (Result.objects.outsourcing().published().filter(round__status=Status.PUBLISHED)
            .select_related("service", "department", "round", "round__year"))


def published_narratives():
    return (Narrative.objects.filter(round__status=Status.PUBLISHED)
            .select_related("service", "round", "round__year"))


def filter_results(queryset, *, year=None, department=None, q=""):
    if year:
        queryset = queryset.filter(round__year__year=year)
    if department is not None:
        queryset = queryset.filter(department=department)
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(
            Q(service_name__icontains=q) | Q(service__name__icontains=q)
            | Q(contractor_name__icontains=q) | Q(department__name__icontains=q)
        )
    return queryset


def public_years() -> list[int]:
    return list(published_results().order_by("round__year__year")
                .values_list("round__year__year", flat=True).distinct())


def public_departments():
    ids = published_results().values("department_id")
    return Organisation.objects.filter(id__in=ids).order_by("name")
