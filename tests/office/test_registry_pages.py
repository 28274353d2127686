"""The officer's registry route in the office: create a service, edit its record, add
contract periods, consents, findings, audits and figures, end a contract, and the
registry workbook — officers only, refusals shown at the field, nothing saved on error,
every change in the service page's audit trail."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse
from evaluations.factories import workbook
from openpyxl import load_workbook

from seonggwa.accounts.models import Profile, Role
from seonggwa.core.concurrency import version_of
from seonggwa.core.models import AuditEvent
from seonggwa.registry.domain import changes
from seonggwa.registry.interfaces import xlsx
from seonggwa.registry.models import (
    AuditResult,
    ContractPeriod,
    CouncilConsent,
    InspectionFinding,
    OperatingFigure,
    Organisation,
    OrganisationKind,
    Service,
)


def make_user(username, role, organisation=None):
    user = User.objects.create_user(username, password="pw")
    Profile.objects.create(user=user, role=role, organisation=organisation)
    return user


class RegistryPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dept = Organisation.objects.create(kind=OrganisationKind.DEPARTMENT,
                                               name="평생교육과")
        cls.firm = Organisation.objects.create(kind=OrganisationKind.CONTRACTOR,
                                               name="(사)가나다")
        cls.service = changes.create_service(key="svc-6001", name="청소년 수련관 운영",
                                             department=cls.dept, annual_cost=700_000_000)
        cls.period = changes.add_contract_period(cls.service, start=dt.date(2019, 1, 1),
                                                 end=dt.date(2021, 12, 31),
                                                 contractors=[cls.firm])
        cls.officer = make_user("officer", Role.OFFICER)
        cls.dept_user = make_user("dept", Role.DEPARTMENT, cls.dept)
        cls.contractor_user = make_user("contractor", Role.CONTRACTOR, cls.firm)
        cls.committee = make_user("committee", Role.COMMITTEE)

    def url(self, name, *args):
        return reverse(name, args=args)

    def edit_urls(self):
        key = self.service.key
        return [
            self.url("office:service_new"),
            self.url("office:service_record", key),
            *(self.url("office:registry_add", key, k)
              for k in ("contract", "consent", "inspection", "audit", "figure")),
            self.url("office:registry_edit", key, "contract", self.period.pk),
            self.url("office:contract_end", key, self.period.pk),
            self.url("office:registry_transfer"),
            self.url("office:registry_template"),
            self.url("office:registry_export"),
        ]

    # ------------------------------------------------------------------- permissions

    def test_officer_opens_every_registry_page(self):
        self.client.force_login(self.officer)
        for url in self.edit_urls():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_others_are_refused_and_anonymous_sent_to_login(self):
        for user in (self.dept_user, self.contractor_user, self.committee):
            self.client.force_login(user)
            for url in self.edit_urls():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            response = self.client.post(self.url("office:registry_add", self.service.key,
                                                 "consent"), {"date": "2016-01-05"})
            self.assertEqual(response.status_code, 403)
        self.assertFalse(CouncilConsent.objects.exists())
        self.client.logout()
        for url in self.edit_urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("accounts:login"), response["Location"])

    def test_department_sees_its_registry_rows_but_no_edit_links(self):
        changes.record_inspection_finding(self.service, year=2021, count=4,
                                          text="보조금 정산 지연")
        self.client.force_login(self.dept_user)
        page = self.client.get(self.url("office:service", self.service.key)).content.decode()
        self.assertIn("보조금 정산 지연", page)
        self.assertIn("(사)가나다", page)
        self.assertNotIn(self.url("office:service_record", self.service.key), page)
        self.assertNotIn(self.url("office:registry_add", self.service.key, "contract"), page)

    def test_officer_sees_edit_links_on_the_service_page(self):
        self.client.force_login(self.officer)
        page = self.client.get(self.url("office:service", self.service.key)).content.decode()
        for kind in ("contract", "consent", "inspection", "audit", "figure"):
            self.assertIn(self.url("office:registry_add", self.service.key, kind), page)
        self.assertIn(self.url("office:contract_end", self.service.key, self.period.pk), page)

    # ------------------------------------------------------------------- service record

    def test_create_service(self):
        self.client.force_login(self.officer)
        response = self.client.post(self.url("office:service_new"), {
            "key": "svc-6002", "name": "노인복지관 운영", "department": self.dept.pk,
            "annual_cost": "520,000,000", "reason": "신규 위탁"}, follow=True)
        self.assertRedirects(response, self.url("office:service", "svc-6002"))
        svc = Service.objects.get(key="svc-6002")
        self.assertEqual(svc.annual_cost, 520_000_000)
        self.assertContains(response, "노인복지관 운영")
        self.assertContains(response, "사무 등록")  # the trail in words
        self.assertContains(response, "신규 위탁")

    def test_create_service_with_taken_key_shows_the_error_at_the_field(self):
        self.client.force_login(self.officer)
        response = self.client.post(self.url("office:service_new"), {
            "key": "svc-6001", "name": "다른 사무"})
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn('id="id_key_error"', html)
        self.assertIn("svc-6001", html.split('id="id_key_error"', 1)[1][:200])
        self.assertEqual(Service.objects.count(), 1)

    def test_edit_record_with_bad_cost_saves_nothing(self):
        self.client.force_login(self.officer)
        url = self.url("office:service_record", self.service.key)
        response = self.client.post(url, {"name": "청소년 수련관 운영",
                                          "department": self.dept.pk,
                                          "annual_cost": "칠억", "notes": "바뀌면 안 됨",
                                          "version": version_of(self.service)})
        self.assertEqual(response.status_code, 400)
        self.assertIn("id_annual_cost_error", response.content.decode())
        self.service.refresh_from_db()
        self.assertEqual((self.service.annual_cost, self.service.notes), (700_000_000, ""))

    def test_edit_record_is_audited_and_shown_in_the_trail(self):
        self.client.force_login(self.officer)
        url = self.url("office:service_record", self.service.key)
        response = self.client.post(url, {"name": "청소년 수련관 운영",
                                          "department": self.dept.pk,
                                          "annual_cost": "450000000",
                                          "has_statutory_evaluation": "on",
                                          "reason": "2024 예산 반영",
                                          "version": version_of(self.service)}, follow=True)
        self.assertContains(response, "사무 등록 정보를 고쳤습니다.")
        self.service.refresh_from_db()
        self.assertTrue(self.service.has_statutory_evaluation)
        self.assertEqual(self.service.annual_cost, 450_000_000)
        self.assertContains(response, "사무 등록 정보 수정</td>")
        self.assertContains(response, "<del>700000000</del> → <ins>450000000</ins>")
        self.assertContains(response, "2024 예산 반영")

    # ------------------------------------------------------------------- rows

    def test_add_contract_period_and_trail(self):
        self.client.force_login(self.officer)
        response = self.client.post(
            self.url("office:registry_add", self.service.key, "contract"),
            {"start": "2022-01-01", "end": "2024-12-31", "kind": "recontract",
             "contractors": [self.firm.pk], "previous": self.period.pk,
             "reason": "재계약 협약"}, follow=True)
        self.assertContains(response, "위탁기간을 등록했습니다.")
        latest = ContractPeriod.objects.get(service=self.service, start=dt.date(2022, 1, 1))
        self.assertEqual(latest.previous, self.period)
        self.assertContains(response, "위탁기간 등록</td>")
        self.assertContains(response, "재계약 협약")

    def test_contract_end_before_start_is_shown_and_nothing_saved(self):
        self.client.force_login(self.officer)
        response = self.client.post(
            self.url("office:registry_add", self.service.key, "contract"),
            {"start": "2023-01-01", "end": "2022-12-31", "kind": "new"})
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn("id_end_error", html)
        self.assertIn("종료일(2022-12-31)이 시작일(2023-01-01)보다 빠릅니다",
                      html.split('id="id_end_error"', 1)[1][:300])
        self.assertEqual(ContractPeriod.objects.count(), 1)

    def test_overlapping_contract_is_refused_at_the_start_field(self):
        self.client.force_login(self.officer)
        response = self.client.post(
            self.url("office:registry_add", self.service.key, "contract"),
            {"start": "2021-06-01", "end": "2023-05-31", "kind": "new"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("2019-01-01 ~ 2021-12-31",
                      response.content.decode().split('id="id_start_error"', 1)[1][:300])
        self.assertEqual(ContractPeriod.objects.count(), 1)

    def test_end_contract_early(self):
        self.client.force_login(self.officer)
        url = self.url("office:contract_end", self.service.key, self.period.pk)
        version = version_of(self.period)
        response = self.client.post(url, {"end": "2020-06-30", "reason": "",
                                          "version": version})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(url, {"end": "2020-06-30", "reason": "협약 해지",
                                          "version": version}, follow=True)
        self.assertContains(response, "위탁기간 종료</td>")
        self.period.refresh_from_db()
        self.assertEqual(self.period.end, dt.date(2020, 6, 30))

    def test_add_consent_finding_audit_and_figure(self):
        self.client.force_login(self.officer)
        key = self.service.key
        posts = {
            "consent": {"date": "2016-03-02", "note": "제270회"},
            "inspection": {"year": "2021", "count": "3", "corrective_demand": "on",
                           "text": "회계 처리 부적정"},
            "audit": {"year": "2022", "auditor": "감사위원회", "finding_count": "1",
                      "summary": "주의"},
            "figure": {"kind": "staff_turnover", "year": "2022", "value": "35.5",
                       "unit": "%"},
        }
        for kind, data in posts.items():
            with self.subTest(kind=kind):
                response = self.client.post(self.url("office:registry_add", key, kind), data)
                self.assertRedirects(response,
                                     self.url("office:service", key) + "#registry",
                                     fetch_redirect_response=False)
        page = self.client.get(self.url("office:service", key)).content.decode()
        for action in ("의회 동의 등록", "지도점검 지적사항 등록", "감사 결과 등록",
                       "운영 지표 등록"):
            self.assertIn(f"<td>{action}</td>", page)
        self.assertIn("회계 처리 부적정", page)
        self.assertEqual(OperatingFigure.objects.get().value, 35.5)
        self.assertEqual(AuditResult.objects.get().auditor, "감사위원회")

    def test_duplicate_finding_and_bad_figure_show_errors(self):
        changes.record_inspection_finding(self.service, year=2021, count=3)
        self.client.force_login(self.officer)
        key = self.service.key
        response = self.client.post(self.url("office:registry_add", key, "inspection"),
                                    {"year": "2021", "count": "2"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("id_year_error", response.content.decode())
        response = self.client.post(self.url("office:registry_add", key, "figure"),
                                    {"kind": "staff_turnover", "year": "2022",
                                     "value": "많음"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("id_value_error", response.content.decode())
        self.assertEqual(InspectionFinding.objects.count(), 1)
        self.assertFalse(OperatingFigure.objects.exists())

    def test_edit_finding(self):
        finding = changes.record_inspection_finding(self.service, year=2021, count=3)
        self.client.force_login(self.officer)
        url = self.url("office:registry_edit", self.service.key, "inspection", finding.pk)
        self.assertContains(self.client.get(url), 'value="3"')
        self.client.post(url, {"year": "2021", "count": "5", "corrective_demand": "on",
                               "reason": "재점검", "version": version_of(finding)})
        finding.refresh_from_db()
        self.assertEqual(finding.count, 5)
        event = AuditEvent.objects.for_object(finding).first()
        self.assertEqual((event.before, event.after), ({"count": 3}, {"count": 5}))

    def test_row_of_another_service_is_not_found(self):
        other = changes.create_service(key="svc-6009", name="다른 사무")
        self.client.force_login(self.officer)
        url = self.url("office:registry_edit", other.key, "contract", self.period.pk)
        self.assertEqual(self.client.get(url).status_code, 404)
        url = self.url("office:registry_add", self.service.key, "nonsense")
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_english_labels(self):
        self.client.force_login(self.officer)
        self.client.cookies["django_language"] = "en"
        response = self.client.get(self.url("office:registry_add", self.service.key,
                                            "contract"))
        self.assertContains(response, "<h1>Contract period — new</h1>", html=False)
        self.assertContains(response, "Previous contract")
        self.assertContains(response, "Contract period")

    # ------------------------------------------------------------------- workbook

    def upload(self, data: bytes, follow=False, **extra):
        return self.client.post(self.url("office:registry_transfer"), {
            "file": _file(data), **extra}, follow=follow)

    def test_workbook_downloads(self):
        self.client.force_login(self.officer)
        response = self.client.get(self.url("office:registry_export"))
        self.assertEqual(response["Content-Type"], xlsx_type())
        self.assertTrue(response.streaming)  # sent from a file, not built in memory
        services = _sheet(b"".join(response.streaming_content), "services")
        self.assertEqual(services[1][:2], ("svc-6001", "청소년 수련관 운영"))
        template = self.client.get(self.url("office:registry_template"))
        self.assertEqual(_sheet(template.content, "contracts"),
                         [tuple(xlsx.columns("contracts"))])

    def test_upload_refused_lists_unknown_names_and_saves_nothing(self):
        self.client.force_login(self.officer)
        data = workbook(services=[xlsx.columns("services"),
                                  ["svc-6100", "새 사무", "없는과", "600000000", "N"]])
        response = self.upload(data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "없는과", status_code=400)
        self.assertContains(response, "<td>department</td>", status_code=400)
        self.assertFalse(Service.objects.filter(key="svc-6100").exists())
        response = self.upload(data, create_missing="on")
        self.assertRedirects(response, self.url("office:registry_transfer"))
        self.assertEqual(Service.objects.get(key="svc-6100").department.name, "없는과")

    def test_export_upload_round_trip_changes_nothing(self):
        self.client.force_login(self.officer)
        exported = b"".join(self.client.get(self.url("office:registry_export"))
                            .streaming_content)
        events = AuditEvent.objects.count()
        response = self.upload(exported, follow=True)
        self.assertContains(response, "수정 0건")
        self.assertEqual(AuditEvent.objects.count(), events)


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("대장.xlsx", data, content_type=xlsx_type())


def _sheet(data: bytes, name: str):
    return [tuple(c.value for c in row)
            for row in load_workbook(io.BytesIO(data))[name].iter_rows()]


def xlsx_type():
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
