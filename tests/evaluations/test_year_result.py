"""Each service's result of a year (``YearResult``) is kept by database triggers: it must
equal the latest outsourcing result of that (service, year) after any write, and the
officer's year-filtered service list built on it must list what the result rows say."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from evaluations.factories import draft_round, service
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.models import Result
from seonggwa.evaluations.models.results import YearResult
from seonggwa.office.queries import SERVICE_SORTER, service_list
from seonggwa.registry.models import Service

pytestmark = pytest.mark.django_db


def latest_from_rows() -> dict:
    """(service, year) -> (result id, score, decision) of the latest outsourcing row:
    the latest round number in the database's order of NULLs, then the latest row."""
    nulls_first = connection.vendor == "postgresql"  # DESC puts NULLs first there
    out: dict = {}
    for sid, year, number, pk, score, decision in (
            Result.objects.outsourcing().filter(service__isnull=False).values_list(
                "service_id", "year", "round_number", "id", "score", "decision_code")):
        rank = ((number is None) if nulls_first else (number is not None), number or 0, pk)
        if (sid, year) not in out or rank > out[(sid, year)][0]:
            out[(sid, year)] = (rank, pk, score, decision)
    return {k: v[1:] for k, v in out.items()}


def kept() -> dict:
    return {(y.service_id, y.year): (y.result_id, y.score, y.decision_code)
            for y in YearResult.objects.all()}


def test_the_seoul_data_have_their_year_results(seoul):
    assert kept() == latest_from_rows() and len(kept()) > 100


def test_every_write_keeps_the_year_results(db):
    a, b = service("svc-a"), service("svc-b")
    first, second = draft_round(2024, 1), draft_round(2024, 2)
    r1 = workflow.record_result(service=a, round=first, score="70")
    assert kept() == latest_from_rows()
    assert kept()[(a.pk, 2024)][:2] == (r1.pk, Decimal("70"))
    r2 = workflow.record_result(service=a, round=second, score="80")
    workflow.record_result(service=b, round=first, score="55.5")
    assert kept()[(a.pk, 2024)][0] == r2.pk  # the later round
    assert kept() == latest_from_rows()
    workflow.update_result(r2, score="81.25")
    assert kept()[(a.pk, 2024)][1] == Decimal("81.25")
    workflow.finalise_round(second)
    workflow.amend_result(Result.objects.get(pk=r2.pk), "90", "정정 사유")
    assert kept() == latest_from_rows()
    Result.objects.filter(pk=r2.pk).delete()  # the earlier round's result is shown again
    assert kept()[(a.pk, 2024)][0] == r1.pk
    assert kept() == latest_from_rows()
    Result.objects.filter(service=a).delete()
    assert (a.pk, 2024) not in kept()
    assert kept() == latest_from_rows()


@pytest.mark.parametrize("sort", ["name", "score", "-score", "decision", "contractor",
                                  "-year"])
def test_the_officer_year_list_matches_the_rows(seoul, sort):
    results = Result.objects.outsourcing()
    for year in (2019, 2020):
        officer = service_list(Service.objects.all(), results, year=year,
                               sort=SERVICE_SORTER.parse(sort), all_results=True)
        from_rows = service_list(Service.objects.all(), results, year=year,
                                 sort=SERVICE_SORTER.parse(sort), all_results=False)
        got = [(s.key, s.shown_result_id, s.shown_score) for s in officer]
        assert got == [(s.key, s.shown_result_id, s.shown_score) for s in from_rows]
        assert len(got) > 20
        low = service_list(Service.objects.all(), results, year=year, score_max=70,
                           decision="", sort=SERVICE_SORTER.parse(sort), all_results=True)
        assert all(s.shown_score <= 70 for s in low) and low.count() < len(got)
