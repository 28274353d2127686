"""Office pages on the Seoul data: content, filters, sorting, paging, changes through the
domain, downloads, English rendering and the permission matrix."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import re
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.interfaces import xlsx
from seonggwa.evaluations.models import DueAdjustment, Result
from seonggwa.examples.seoul import load_seoul
from seonggwa.registry.models import ContractPeriod, Organisation, OrganisationKind, Service

SERVICE_A = "svc-0049"  # 홍릉 바이오·의료 R&D 앵커시설 (department user's)
SERVICE_B = "svc-0001"  # 마을공동체 종합지원센터 운영 (contractor user's)


def make_user(username: str, role: str, organisation=None) -> User:
    user = User.objects.create_user(username, password="pw-" + username)
    Profile.objects.create(user=user, role=role, organisation=organisation)
    return user


def rows_of(html: str, table_class: str) -> list[str]:
    """The row headers (service names) of a table, in order."""
    body = html.split(f'class="{table_class}"', 1)[1].split("</table>", 1)[0]
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", m).strip())
            for m in re.findall(r'<th scope="row">(.*?)</th>', body, re.S)]


def count_shown(html: str) -> int:
    m = re.search(r'<p class="count" role="status">\D*([\d,]+)', html)
    return int(m.group(1).replace(",", ""))


class SeoulOfficeTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_seoul()
        cls.service_a = Service.objects.get(key=SERVICE_A)
        cls.service_b = Service.objects.get(key=SERVICE_B)
        cls.contractor_b = Result.objects.filter(service=cls.service_b).first().contractors.get()
        cls.officer = make_user("officer", Role.OFFICER)
        cls.dept_user = make_user("dept", Role.DEPARTMENT, cls.service_a.department)
        cls.contractor_user = make_user("contractor", Role.CONTRACTOR, cls.contractor_b)

    def login(self, user):
        self.client.force_login(user)


class DashboardTests(SeoulOfficeTestCase):
    def test_year_cards_trend_and_distribution(self):
        self.login(self.officer)
        response = self.client.get(reverse("office:dashboard"))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        for figure in ("80.51", "80.54", "80.34", "75.99", "75.67", "44개", "51개", "38개",
                       "61개 중 7개", "47개 중 29개", "(43%)", "(20.7%)", "-6.3점"):
            self.assertIn(figure, html)
        self.assertIn("✓", html)  # recomputed averages agree with the published ones
        self.assertIn("공표 수치", html)  # 2022/2023 shown as published-only
        self.assertIn("기준 60점", html)  # threshold line on the distribution
        self.assertEqual(html.count("<svg"), 2)
        self.assertIn(reverse("office:due_index"), html)
        self.assertIn(reverse("office:what_if"), html)

    def test_distribution_year_and_multi_year_window(self):
        self.login(self.officer)
        html = self.client.get(reverse("office:dashboard"),
                               {"year": 2018, "my_from": 2018, "my_to": 2019}).content.decode()
        self.assertIn("2018년 점수 분포", html)
        self.assertIn("2018–2019 평균 대비", html)
        self.assertIn("2018년 평가 사무 44개", html)


class ServiceListTests(SeoulOfficeTestCase):
    url = reverse("office:services")

    def get(self, **params):
        self.login(self.officer)
        response = self.client.get(self.url, params)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_all_services_counted_and_paginated(self):
        html = self.get()
        total = Service.objects.count()
        self.assertEqual(count_shown(html), total)
        self.assertEqual(len(rows_of(html, "services")), 50)
        last = self.get(page=(total + 49) // 50)
        self.assertEqual(len(rows_of(last, "services")), total - 50 * ((total - 1) // 50))

    def test_year_filter_shows_that_years_results(self):
        html = self.get(year=2020)
        self.assertEqual(count_shown(html), Result.objects.filter(round__year__year=2020).count())

    def test_department_contractor_and_text_filters(self):
        dept = self.service_a.department
        html = self.get(department=dept.pk)
        self.assertEqual(count_shown(html), Service.objects.filter(department=dept).count())
        html = self.get(contractor="(사)마을")
        self.assertIn(self.service_b.name, rows_of(html, "services"))
        html = self.get(q="홍릉")
        self.assertEqual(rows_of(html, "services"), [self.service_a.name])

    def test_text_and_contractor_search_ignore_spacing(self):
        """Officers find a service however its name is spaced, as citizens do."""
        name = self.service_b.name
        spaced = " ".join(name.replace(" ", ""))  # every character apart
        self.assertIn(name, rows_of(self.get(q=spaced), "services"))
        self.assertIn(name, rows_of(self.get(q=name.replace(" ", "")), "services"))
        contractor = Result.objects.filter(service=self.service_b).first().contractor_name
        self.assertIn(name, rows_of(self.get(contractor=" ".join(contractor)), "services"))

    def test_score_range_and_decision(self):
        html = self.get(year=2018, score_min="85", score_max="90")
        expected = Result.objects.filter(round__year__year=2018, score__gte=85,
                                         score__lte=90).count()
        self.assertEqual(count_shown(html), expected)
        html = self.get(decision="exclude")
        self.assertEqual(count_shown(html), 5)  # the five exclusions of 2018–2020
        html = self.get(decision="none")
        self.assertEqual(count_shown(html),
                         Service.objects.filter(results__isnull=True).count())

    def test_sort_by_score_descending(self):
        html = self.get(year=2019, sort="-score")
        names = rows_of(html, "services")
        top = Result.objects.filter(round__year__year=2019).order_by("-score", "service__name")
        self.assertEqual(names[0], top.first().service.name)
        self.assertIn('aria-sort="descending"', html)

    def test_invalid_range_is_reported(self):
        html = self.get(score_min="90", score_max="10")
        self.assertIn("최저 점수가 최고 점수보다 큽니다", html)

    def test_query_count_does_not_grow_with_rows(self):
        self.login(self.officer)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url, {"q": "홍릉"})
        with CaptureQueriesContext(connection) as many:
            self.client.get(self.url)
        self.assertEqual(len(few), len(many))
        self.assertLess(len(many), 20)


class ServicePageTests(SeoulOfficeTestCase):
    def test_history_names_narratives_sheet(self):
        self.login(self.officer)
        html = self.client.get(reverse("office:service", args=[SERVICE_A])).content.decode()
        self.assertIn("<svg", html)
        self.assertIn("87.36", html)
        self.assertIn("87.38", html)
        self.assertIn("검토 후 연결", html)  # a name linked by review
        self.assertIn("홍릉 바이오·의료 R&amp;D 앵커시설 관리운영", html)  # 2022 name as written
        self.assertIn("주요 성과", html)
        self.assertIn("개선 과제", html)
        self.assertIn("재계약 심의 자료", html)
        self.assertIn("의회 동의", html)
        self.assertIn("변경 이력", html)

    def test_results_name_their_rule_in_words_not_its_code(self):
        self.login(self.officer)
        html = self.client.get(reverse("office:service", args=[SERVICE_A])).content.decode()
        years = set(Result.objects.filter(service=self.service_a)
                    .values_list("round__year__year", flat=True))
        if any(y <= 2021 for y in years):
            self.assertIn("60점 미만 재계약 배제", html)
        if any(y >= 2022 for y in years):
            self.assertIn("75점 미만 재계약 배제", html)
        # Neither in the results table nor in the change history.
        self.assertNotIn("recontract-60", html)
        self.assertNotIn("recontract-75", html)
        self.assertNotIn("seoul-outsourcing@", html)
        self.assertIn("민간위탁 종합성과평가 (총점 공개분) (published-total)", html)

    def test_flags_with_evidence(self):
        self.login(self.officer)
        html = self.client.get(reverse("office:service", args=["svc-0039"])).content.decode()
        self.assertIn("평가 점수 하락", html)
        self.assertIn("하락 폭", html)

    def test_unknown_service_404(self):
        self.login(self.officer)
        response = self.client.get(reverse("office:service", args=["svc-9999"]))
        self.assertEqual(response.status_code, 404)


class WhatIfTests(SeoulOfficeTestCase):
    def test_75_point_line_over_2018_2020(self):
        self.login(self.officer)
        before = list(Result.objects.order_by("pk").values_list("pk", "decision_code",
                                                                "policy_id"))
        response = self.client.get(reverse("office:what_if"),
                                   {"threshold": "75", "years": [2018, 2019, 2020]})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        changed = Result.objects.filter(round__year__year__in=[2018, 2019, 2020],
                                        score__lt=75, score__gte=60).count()
        self.assertIn(f"판정이 바뀌는 결과 {changed}건", html)
        self.assertEqual(len(rows_of(html, "whatif")), changed)
        after = list(Result.objects.order_by("pk").values_list("pk", "decision_code",
                                                               "policy_id"))
        self.assertEqual(before, after)  # nothing stored changed

    def test_policy_choice_and_validation(self):
        self.login(self.officer)
        html = self.client.get(reverse("office:what_if"),
                               {"policy": "recontract-75"}).content.decode()
        self.assertIn("판정이 바뀌는 결과", html)
        html = self.client.get(reverse("office:what_if"),
                               {"policy": "recontract-75",
                                "threshold": "70"}).content.decode()
        self.assertIn("하나만 고르십시오", html)


class DueTests(SeoulOfficeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        dept = Organisation.objects.get_or_create(kind=OrganisationKind.DEPARTMENT,
                                                  name="테스트과")[0]
        cls.due_service = Service.objects.create(key="svc-t1", name="만료 도래 사무",
                                                 department=dept, annual_cost=600_000_000)
        ContractPeriod.objects.create(service=cls.due_service, start=dt.date(2021, 7, 1),
                                      end=dt.date(2024, 6, 30))

    def test_due_list_groups_by_round(self):
        self.login(self.officer)
        html = self.client.get(reverse("office:due", args=[2024])).content.decode()
        self.assertIn("만료 도래 사무", html)
        self.assertIn("2차 (1개)", html)  # ends in June → round 2

    def test_adjustment_goes_through_workflow(self):
        self.login(self.officer)
        url = reverse("office:due", args=[2024])
        version = self.client.get(url).context["version"]
        response = self.client.post(url, {"service": "svc-t1", "action": "exclude",
                                          "reason": "통합 예정", "version": version})
        self.assertRedirects(response, url)
        adj = DueAdjustment.objects.get(service=self.due_service)
        self.assertEqual((adj.action, adj.reason, adj.actor), ("exclude", "통합 예정",
                                                               self.officer))
        html = self.client.get(url).content.decode()
        self.assertIn("담당관이 제외한 사무", html)
        self.assertIn("통합 예정", html)

    def test_adjustment_without_reason_is_refused(self):
        self.login(self.officer)
        response = self.client.post(reverse("office:due", args=[2024]),
                                    {"service": "svc-t1", "action": "exclude", "reason": " "})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(DueAdjustment.objects.exists())
        response = self.client.post(reverse("office:due", args=[2024]),
                                    {"service": "svc-none", "action": "include",
                                     "reason": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("등록되지 않은 사무 키", response.content.decode())


def _workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "results"
    ws.append(list(xlsx.COLUMNS))
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class XlsxTests(SeoulOfficeTestCase):
    def test_template_and_export(self):
        self.login(self.officer)
        response = self.client.get(reverse("office:xlsx_template"))
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-"
                         "officedocument.spreadsheetml.sheet")
        self.assertIn('filename="seonggwa-results-template.xlsx"',
                      response["Content-Disposition"])
        header = [c.value for c in load_workbook(io.BytesIO(response.content))["results"][1]]
        self.assertEqual(header, list(xlsx.COLUMNS))
        response = self.client.get(reverse("office:xlsx_export", args=[2018]))
        self.assertTrue(response.streaming)  # sent from a file, not built in memory
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["results"]
        self.assertEqual(sheet.max_row - 1, 44)
        scores = sorted(Decimal(str(r[xlsx.COLUMNS.index("score")]))
                        for r in sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(scores, sorted(Result.objects.filter(round__year__year=2018)
                                        .values_list("score", flat=True)))

    def test_import_with_errors_saves_nothing(self):
        self.login(self.officer)
        before = Result.objects.count()
        data = _workbook([
            [2024, 1, 1, SERVICE_B, self.service_b.name, "지역공동체담당관", "(사)마을", 150],
            [2024, 1, 2, None, "없는 사무", "없는 부서", "없는 기관", 80],
        ])
        response = self.client.post(reverse("office:transfer"), {
            "year": 2024, "file": io.BytesIO(data)})
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn("아무것도 저장하지 않았습니다", html)
        self.assertIn('class="import-errors"', html)
        self.assertIn("150", html)
        self.assertEqual(Result.objects.count(), before)

    def test_import_valid_file(self):
        self.login(self.officer)
        data = _workbook([
            [2024, 1, 1, SERVICE_B, self.service_b.name, "지역공동체담당관", "(사)마을", 81.5],
        ])
        data_file = io.BytesIO(data)
        data_file.name = "results.xlsx"
        response = self.client.post(reverse("office:transfer"), {"year": 2024,
                                                                 "file": data_file})
        self.assertRedirects(response, reverse("office:transfer"))
        result = Result.objects.get(service=self.service_b, round__year__year=2024)
        self.assertEqual(result.score, Decimal("81.50"))
        self.assertEqual(result.status, "draft")


class EnglishTests(SeoulOfficeTestCase):
    def test_english_headings(self):
        self.login(self.officer)
        self.client.cookies["django_language"] = "en"
        html = self.client.get(reverse("office:services")).content.decode()
        self.assertIn('<html lang="en">', html)
        self.assertIn("<h1>Services</h1>", html)
        html = self.client.get(reverse("office:dashboard")).content.decode()
        self.assertIn("Score distribution", html)
        self.assertIn("Excluded from re-contract", self.client.get(
            reverse("office:services"), {"decision": "exclude"}).content.decode())


class PermissionMatrixTests(SeoulOfficeTestCase):
    """anonymous / officer / department of A / contractor of B × every office page."""

    def pages(self):
        return {
            "dashboard": reverse("office:dashboard"),
            "services": reverse("office:services"),
            "service_a": reverse("office:service", args=[SERVICE_A]),
            "service_b": reverse("office:service", args=[SERVICE_B]),
            "what_if": reverse("office:what_if"),
            "due": reverse("office:due", args=[2024]),
            "transfer": reverse("office:transfer"),
            "template": reverse("office:xlsx_template"),
            "export": reverse("office:xlsx_export", args=[2018]),
        }

    expected = {
        # page:        (anonymous, officer, department A, contractor B)
        "dashboard": (302, 200, 200, 200),
        "services": (302, 200, 200, 200),
        "service_a": (302, 200, 200, 404),
        "service_b": (302, 200, 404, 200),
        "what_if": (302, 200, 403, 403),
        "due": (302, 200, 403, 403),
        "transfer": (302, 200, 403, 403),
        "template": (302, 200, 403, 403),
        "export": (302, 200, 403, 403),
    }

    def test_matrix(self):
        users = [None, self.officer, self.dept_user, self.contractor_user]
        for page, url in self.pages().items():
            for user, status in zip(users, self.expected[page], strict=True):
                self.client.logout()
                if user is not None:
                    self.client.force_login(user)
                with self.subTest(page=page, user=getattr(user, "username", "anonymous")):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, status)
                    if status == 302:
                        self.assertTrue(response["Location"].startswith(
                            reverse("accounts:login")))

    def test_lists_are_narrowed_to_own_services(self):
        self.login(self.dept_user)
        html = self.client.get(reverse("office:services")).content.decode()
        own = Service.objects.filter(department=self.service_a.department)
        self.assertEqual(count_shown(html), own.count())
        self.assertNotIn(self.service_b.name, html)
        self.login(self.contractor_user)
        html = self.client.get(reverse("office:services")).content.decode()
        self.assertEqual(rows_of(html, "services"), [self.service_b.name])

    def test_contractor_does_not_see_decision_sheet(self):
        self.login(self.contractor_user)
        html = self.client.get(reverse("office:service", args=[SERVICE_B])).content.decode()
        self.assertNotIn("재계약 심의 자료", html)
        self.assertNotIn("변경 이력", html)
        self.login(self.dept_user)
        html = self.client.get(reverse("office:service", args=[SERVICE_A])).content.decode()
        self.assertIn("재계약 심의 자료", html)

    def test_posts_refused_for_non_officers(self):
        self.login(self.dept_user)
        response = self.client.post(reverse("office:due", args=[2024]),
                                    {"service": SERVICE_A, "action": "include", "reason": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(DueAdjustment.objects.exists())
