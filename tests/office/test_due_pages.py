"""The due list comes in pages of 100 rows (it had every service of the year on one page),
each row still with its adjustment form and the page's lost-update version."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse

from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.models import DueAdjustment
from seonggwa.office.views.due import DUE_PAGE_SIZE
from seonggwa.registry.models import ContractPeriod, Organisation, OrganisationKind, Service

DUE = 230  # round 1 (ends in March)
NOT_DUE = 20  # below the cost line


def service_rows(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="service" value="([^"]+)">', html)


class DuePagingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        dept = Organisation.objects.create(kind=OrganisationKind.DEPARTMENT, name="테스트과")
        services = Service.objects.bulk_create(
            [Service(key=f"svc-d{i:04d}", name=f"도래 사무 {i:04d}", department=dept,
                     annual_cost=600_000_000) for i in range(DUE)]
            + [Service(key=f"svc-n{i:04d}", name=f"소액 사무 {i:04d}", department=dept,
                       annual_cost=1_000) for i in range(NOT_DUE)])
        ContractPeriod.objects.bulk_create(
            [ContractPeriod(service=s, start=dt.date(2021, 4, 1), end=dt.date(2024, 3, 31))
             for s in services])
        cls.officer = User.objects.create_user("officer")
        Profile.objects.create(user=cls.officer, role=Role.OFFICER)

    def setUp(self):
        self.client.force_login(self.officer)
        self.url = reverse("office:due", args=[2024])

    def test_rows_are_split_into_pages_with_the_tables_they_belong_to(self):
        seen = []
        for number in (1, 2, 3):
            response = self.client.get(self.url, {"page": number})
            self.assertEqual(response.status_code, 200)
            html = response.content.decode()
            seen += service_rows(html)
            self.assertIn(f"{number} / 3 페이지", html)
        self.assertEqual(len(seen), DUE + NOT_DUE)
        self.assertEqual(len(set(seen)), DUE + NOT_DUE)  # every row once
        first = self.client.get(self.url).content.decode()
        self.assertEqual(len(service_rows(first)), DUE_PAGE_SIZE)
        self.assertIn(f"1차 ({DUE}개)", first)  # the table's whole count, not the page's
        last = self.client.get(self.url, {"page": 3}).content.decode()
        self.assertIn(f"1차 ({DUE}개)", last)  # its rest continues on the last page
        self.assertIn(f"기간은 끝나지만 대상이 아닌 사무 ({NOT_DUE})", last)
        self.assertNotIn("기간은 끝나지만 대상이 아닌 사무", first)

    def test_pages_that_do_not_exist_are_404(self):
        for page in ("4", "0", "-1", "abc", "1.5"):
            with self.subTest(page=page):
                self.assertEqual(self.client.get(self.url, {"page": page}).status_code, 404)

    def test_every_row_form_carries_the_version_and_an_adjustment_returns_to_its_page(self):
        page2 = self.client.get(self.url, {"page": 2})
        version = page2.context["version"]
        html = page2.content.decode()
        self.assertEqual(html.count(f'name="version" value="{version}"'),
                         DUE_PAGE_SIZE + 1)  # each row's form and the add form
        key = service_rows(html)[0]
        response = self.client.post(f"{self.url}?page=2",
                                    {"service": key, "action": "exclude",
                                     "reason": "통합 예정", "version": version})
        self.assertRedirects(response, f"{self.url}?page=2")
        self.assertTrue(DueAdjustment.objects.filter(service__key=key,
                                                     action="exclude").exists())
        # the page loaded before that adjustment is now stale for the same service
        stale = self.client.post(f"{self.url}?page=2",
                                 {"service": key, "action": "include",
                                  "reason": "다시 포함", "version": version})
        self.assertEqual(stale.status_code, 400)
        self.assertEqual(DueAdjustment.objects.filter(service__key=key).count(), 1)


class DueYearLinksTests(TestCase):
    def test_year_links_name_the_years_in_which_contracts_end(self):
        officer = User.objects.create_user("officer")
        Profile.objects.create(user=officer, role=Role.OFFICER)
        for key, end in (("svc-y1", dt.date(2019, 6, 30)), ("svc-y2", dt.date(2022, 1, 31))):
            s = Service.objects.create(key=key, name=key, annual_cost=600_000_000)
            ContractPeriod.objects.create(service=s, start=dt.date(2017, 1, 1), end=end)
        self.client.force_login(officer)
        html = self.client.get(reverse("office:due", args=[2024])).content.decode()
        links = re.findall(r'href="/office/due/(\d{4})/"', html)
        self.assertEqual(links, ["2019", "2022"])  # 2020, 2021: no contract ends
        self.assertIn('aria-current="page">2024<', html)
