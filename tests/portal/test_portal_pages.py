"""Public pages on the Seoul data: published results only, filters, sorting, open data."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re

from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from seonggwa.evaluations.interfaces import opendata
from seonggwa.evaluations.interfaces.opendata_published import NARRATIVE_COLUMNS, SUMMARY_COLUMNS
from seonggwa.evaluations.models import Result, Status
from seonggwa.examples.seoul import load_seoul
from seonggwa.portal.opendata_docs import documented


def table_rows(html: str, table_class: str = "results") -> list[list[str]]:
    body = html.split(f'<table class="{table_class}">', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([html_lib.unescape(re.sub(r"<[^>]+>|\s+", " ", c)).strip()
                     .replace("  ", " ") for c in cells])
    return rows


def body_of(response) -> bytes:
    """The bytes of a (possibly streamed) response."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def published_rows(**filters):
    return (Result.objects.published().filter(**filters)
            .order_by("round__year__year", "round__number", "seq"))


class PortalTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_seoul()
        # One result that is not published: it must never appear publicly.
        cls.hidden = Result.objects.get(service__key="svc-0001", round__year__year=2018)
        Result.objects.filter(pk=cls.hidden.pk).update(status=Status.FINALISED)


class HomeAndYearTests(PortalTestCase):
    def test_home_without_login(self):
        response = self.client.get(reverse("portal:home"))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("민간위탁 종합성과평가 결과 공개", html)
        for figure in ("80.54", "80.34", "75.99", "75.67", "(43%)", "-6.3점", "61개 중 7개"):
            self.assertIn(figure, html)
        self.assertIn("<svg", html)
        self.assertIn("<caption>", html)

    def test_year_page_has_distribution_and_rows(self):
        html = self.client.get(reverse("portal:year", args=[2020])).content.decode()
        self.assertIn("2020년 점수 분포", html)
        self.assertEqual(len(table_rows(html)), published_rows(round__year__year=2020).count())

    def test_published_only_year_lists_narratives(self):
        html = self.client.get(reverse("portal:year", args=[2023])).content.decode()
        self.assertIn("75.67", html)
        self.assertIn("사무별 주요 성과 및 개선과제", html)
        self.assertNotIn('<table class="results">', html)

    def test_unknown_year_404(self):
        self.assertEqual(self.client.get(reverse("portal:year", args=[1999])).status_code, 404)


class HeadRequestTests(PortalTestCase):
    def test_pages_answer_head_as_they_answer_get(self):
        """Link checkers and uptime monitors ask with HEAD; pages must not answer 405."""
        for url in (reverse("portal:home"), reverse("portal:results"),
                    reverse("portal:year", args=[2020]),
                    reverse("portal:service", args=["svc-0049"]), reverse("portal:open_data")):
            with self.subTest(url=url):
                self.assertEqual(self.client.head(url).status_code, 200)
        self.assertEqual(self.client.post(reverse("portal:results")).status_code, 405)


class ResultsListTests(PortalTestCase):
    url = reverse("portal:results")

    def test_only_published_rows(self):
        html = self.client.get(self.url, {"year": 2018}).content.decode()
        rows = table_rows(html)
        self.assertEqual(len(rows), 43)  # 44 published in 2018, one made non-public here
        self.assertNotIn(self.hidden.service_name, html)

    def test_year_department_and_search(self):
        expected = published_rows(round__year__year=2020, department__name="자원순환과")
        dept = expected.first().department
        html = self.client.get(self.url, {"year": 2020, "department": dept.pk}).content.decode()
        names = [r[1] for r in table_rows(html)]
        self.assertEqual(sorted(names), sorted(r.service_name for r in expected))
        html = self.client.get(self.url, {"q": "홍릉"}).content.decode()
        self.assertEqual(len(table_rows(html)), 2)

    def test_department_menu_lists_departments_with_published_results(self):
        expected = published_rows(round__year__year=2020, department__name="자원순환과")
        dept = expected.first().department
        html = self.client.get(self.url, {"department": dept.pk}).content.decode()
        self.assertIn(f'<option value="{dept.pk}" selected>{dept.name}</option>', html)
        menu = re.search(r'<select name="department".*?</select>', html, re.S).group(0)
        offered = set(re.findall(r'<option value="(\d+)"', menu))
        with_published = {str(pk) for pk in published_rows().values_list(
            "department_id", flat=True).distinct() if pk is not None}
        self.assertEqual(offered, with_published)

    def test_sort_by_score(self):
        html = self.client.get(self.url, {"year": 2019, "sort": "-score"}).content.decode()
        scores = [float(r[4]) for r in table_rows(html)]
        self.assertEqual(scores, sorted(scores, reverse=True))
        html = self.client.get(self.url, {"year": 2019, "sort": "score"}).content.decode()
        scores = [float(r[4]) for r in table_rows(html)]
        self.assertEqual(scores, sorted(scores))

    def test_paginated_by_50(self):
        html = self.client.get(self.url).content.decode()
        self.assertEqual(len(table_rows(html)), 50)
        self.assertIn("1 / 3 페이지", html)
        self.assertIn(f"{published_rows().count()}건", html)

    def test_decision_and_exclusions_shown(self):
        html = self.client.get(self.url, {"sort": "score"}).content.decode()
        first = table_rows(html)[:5]
        self.assertTrue(all(r[5] == "재계약 배제" for r in first))


class ServicePageTests(PortalTestCase):
    def test_public_service_page(self):
        html = self.client.get(reverse("portal:service", args=["svc-0049"])).content.decode()
        self.assertIn("87.36", html)
        self.assertIn("주요 성과", html)
        self.assertIn("<svg", html)
        self.assertNotIn("재계약 심의 자료", html)  # the decision sheet is office-only

    def test_service_without_published_result_404(self):
        Result.objects.filter(service__key="svc-0001").update(status=Status.FINALISED)
        response = self.client.get(reverse("portal:service", args=["svc-0001"]))
        self.assertEqual(response.status_code, 404)


class OpenDataTests(PortalTestCase):
    def test_page_documents_every_column(self):
        html = self.client.get(reverse("portal:open_data")).content.decode()
        for column in opendata.COLUMNS:
            self.assertIn(f"<code>{column}</code>", html)
        self.assertEqual(documented(), set(opendata.COLUMNS) | set(SUMMARY_COLUMNS)
                         | set(NARRATIVE_COLUMNS))

    def test_csv(self):
        response = self.client.get(reverse("portal:open_data_file", args=["csv"]),
                                   {"year": 2020})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(response["Content-Disposition"],
                         'attachment; filename="seonggwa-results-2020.csv"')
        self.assertTrue(response.streaming)  # streamed, not built in memory first
        data = body_of(response)
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertEqual(list(rows[0].keys()), list(opendata.COLUMNS))
        expected = published_rows(round__year__year=2020).select_related("service")
        self.assertEqual([(r["service_key"], r["service_name"], r["score"]) for r in rows],
                         [(e.service.key, e.service_name, f"{e.score:.2f}") for e in expected])

    def test_csv_all_years_excludes_unpublished(self):
        response = self.client.get(reverse("portal:open_data_file", args=["csv"]))
        self.assertEqual(response["Content-Disposition"],
                         'attachment; filename="seonggwa-results.csv"')
        rows = list(csv.DictReader(io.StringIO(body_of(response).decode("utf-8-sig"))))
        self.assertEqual(len(rows), published_rows().count())
        self.assertEqual(len(rows), Result.objects.count() - 1)

    def test_xlsx(self):
        response = self.client.get(reverse("portal:open_data_file", args=["xlsx"]),
                                   {"year": 2019})
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-"
                         "officedocument.spreadsheetml.sheet")
        self.assertIn('filename="seonggwa-results-2019.xlsx"', response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(values[0]), list(opendata.COLUMNS))
        self.assertEqual(len(values) - 1, published_rows(round__year__year=2019).count())

    def test_json(self):
        response = self.client.get(reverse("portal:open_data_file", args=["json"]))
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        doc = json.loads(response.content)
        self.assertEqual(doc["columns"], list(opendata.COLUMNS))
        self.assertEqual(doc["count"], published_rows().count())
        scores = sorted(r["score"] for r in doc["rows"])
        self.assertEqual(scores, sorted(f"{s:.2f}" for s in
                                        published_rows().values_list("score", flat=True)))

    def test_unknown_format_and_bad_year(self):
        self.assertEqual(self.client.get("/open-data/results.pdf").status_code, 404)
        response = self.client.get(reverse("portal:open_data_file", args=["csv"]),
                                   {"year": "abc"})
        self.assertEqual(response.status_code, 404)


class LanguageTests(PortalTestCase):
    def test_english_rendering(self):
        self.client.cookies["django_language"] = "en"
        html = self.client.get(reverse("portal:home")).content.decode()
        self.assertIn('<html lang="en">', html)
        self.assertIn("Results of the comprehensive evaluation of outsourced services", html)
        html = self.client.get(reverse("portal:results")).content.decode()
        self.assertIn("<h1>Results per service</h1>", html)
        self.assertIn("Eligible for re-contract review", html)

    def test_korean_is_default(self):
        html = self.client.get(reverse("portal:results")).content.decode()
        self.assertIn('<html lang="ko">', html)
        self.assertIn("<h1>사무별 평가 결과</h1>", html)

    def test_set_language_view_switches(self):
        response = self.client.post(reverse("set_language"),
                                    {"language": "en", "next": reverse("portal:results")})
        self.assertEqual(response.status_code, 302)
        html = self.client.get(reverse("portal:results")).content.decode()
        self.assertIn("Results per service", html)
