"""The office service list sorts and filters on each service's current result kept on
the service row: the same rows and order as computing the shown result from the result
rows, for officers (current columns) and for users who see only some results."""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from seonggwa.accounts.models import Role
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.models import Result
from seonggwa.examples.seoul import load_seoul
from seonggwa.office.queries import SERVICE_SORTER, service_list
from seonggwa.registry.models import Service

from .test_office_pages import make_user


def shown_in_python(year=None) -> dict[str, tuple]:
    """Each service's shown result from the rows: the latest (year, round, row) one."""
    shown: dict[str, tuple] = {}
    rows = Result.objects.outsourcing().filter(service__isnull=False).values_list(
        "service__key", "round__year__year", "round__number", "id", "score",
        "decision_code")
    for key, y, number, pk, score, decision in rows:
        if year is not None and y != year:
            continue
        rank = (y, number or 0, pk)
        if key not in shown or rank > shown[key][0]:
            shown[key] = (rank, score, decision)
    return {k: (v[1], v[2]) for k, v in shown.items()}


class CurrentResultListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_seoul()
        cls.officer = make_user("officer", Role.OFFICER)

    def listed(self, *, year=None, sort="score", **filters):
        qs = service_list(Service.objects.all(), Result.objects.outsourcing(), year=year,
                          sort=SERVICE_SORTER.parse(sort), all_results=True, **filters)
        return [(s.key, s.shown_score, s.shown_result_id) for s in qs]

    def test_sorted_by_score_matches_sorting_the_rows_in_python(self):
        expected = shown_in_python()
        for sort in ("score", "-score"):
            got = [r for r in self.listed(sort=sort) if r[1] is not None]
            assert {k: s for k, s, _ in got} == {k: v[0] for k, v in expected.items()}
            scores = [s for _, s, _ in got]
            assert scores == sorted(scores, reverse=sort.startswith("-"))
        # with a year the shown result is that year's
        year = 2019
        by_year = shown_in_python(year)
        got = self.listed(year=year)
        assert {k: s for k, s, _ in got} == {k: v[0] for k, v in by_year.items()}
        assert [s for _, s, _ in got] == sorted(v[0] for v in by_year.values())

    def test_filters_on_the_current_result_match_the_rows(self):
        expected = shown_in_python()
        got = {k for k, _, _ in self.listed(score_min=Decimal(80), score_max=Decimal(90))}
        assert got == {k for k, v in expected.items() if 80 <= v[0] <= 90}
        got = {k for k, _, _ in self.listed(decision="exclude")}
        assert got == {k for k, v in expected.items() if v[1] == "exclude"}
        without = {k for k, _, _ in self.listed(decision="none")}
        assert without == set(Service.objects.values_list("key", flat=True)) - set(expected)

    def test_a_correction_moves_the_service_in_the_sorted_page(self):
        key, (score, _) = min(shown_in_python().items(), key=lambda kv: (kv[1][0], kv[0]))
        result = Result.objects.get(service__key=key, score=score)
        workflow.amend_result(result, "99.99", "오기 정정")
        scored = [r for r in self.listed(sort="-score") if r[1] is not None]
        assert scored[0][:2] == (key, Decimal("99.99"))
        self.client.force_login(self.officer)
        page = self.client.get(reverse("office:services") + "?sort=-score").content.decode()
        assert page.index(Service.objects.get(key=key).name) < page.index("</tbody>")
        # the department options are all there, the chosen one selected
        dept = Service.objects.get(key=key).department
        page = self.client.get(reverse("office:services"),
                               {"department": dept.pk}).content.decode()
        assert f'<option value="{dept.pk}" selected>' in page
        assert page.count("<option value=") >= Service.objects.values(
            "department").distinct().count()
