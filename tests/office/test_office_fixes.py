"""Office pages: query budget of the dashboard, scope of department and contractor users,
"미기재" departments, translated domain text, the improvement-task follow-up form,
Seoul's operating facts as flags, and years before any threshold policy."""

from __future__ import annotations

import datetime as dt
import io

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from evaluations.factories import legacy_result

from seonggwa.access.policy import visible_services
from seonggwa.accounts.models import Role
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.models import (
    EvaluationYear,
    ItemKind,
    NarrativeItem,
    Result,
    Round,
    Status,
)
from seonggwa.registry.models import Organisation, Service

from .test_office_pages import SERVICE_A, SERVICE_B, SeoulOfficeTestCase, make_user

YOUTH_HUB = "svc-0104"  # 서울시 청년허브 운영: turnover ~60 %, 2023 improvement tasks
INNOVATION = "svc-0099"  # 서울혁신센터: inspection findings 2021 35, 2022 33
CITIZENS_HALL = "svc-0009"  # 시민청: budget execution 88.02 % in 2022


class DashboardQueryBudgetTests(SeoulOfficeTestCase):
    def test_dashboard_takes_a_fixed_small_number_of_queries(self):
        self.login(self.officer)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(reverse("office:dashboard"))
        self.assertEqual(response.status_code, 200)
        self.assertLess(len(ctx.captured_queries), 15)
        first = len(ctx.captured_queries)
        # another evaluated year (more rows, another year card and rounds): same count
        rnd = workflow.open_round(2024, 1, actor_label="test")
        for svc in Service.objects.order_by("key")[:20]:
            workflow.record_result(service=svc, round=rnd, score="77.5")
        with CaptureQueriesContext(connection) as ctx:
            html = self.client.get(reverse("office:dashboard")).content.decode()
        self.assertEqual(len(ctx.captured_queries), first)
        self.assertIn("80.51", html)
        self.assertIn("77.50", html)


class TransferPageTests(SeoulOfficeTestCase):
    def test_result_counts_per_year_take_a_fixed_number_of_queries(self):
        self.login(self.officer)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(reverse("office:transfer"))
        first = len(ctx.captured_queries)
        for year in (2030, 2031):  # more years: the same number of queries
            rnd = workflow.open_round(year, 1, actor_label="test")
            workflow.record_result(service=self.service_b, round=rnd, score="70")
        EvaluationYear.objects.create(year=2032)  # a year without results shows 0
        with CaptureQueriesContext(connection) as ctx:
            html = self.client.get(reverse("office:transfer")).content.decode()
        self.assertEqual(len(ctx.captured_queries), first)
        self.assertIn('<th scope="row">2018</th><td class="num">44</td>', html)
        self.assertIn('<th scope="row">2031</th><td class="num">1</td>', html)
        self.assertIn('<th scope="row">2032</th><td class="num">0</td>', html)

    @override_settings(SEONGGWA_MAX_UPLOAD_BYTES=100)
    def test_an_oversized_upload_is_refused_before_it_is_read(self):
        self.login(self.officer)
        before = Result.objects.count()
        for url, data in ((reverse("office:transfer"), {"year": 2024}),
                          (reverse("office:registry_transfer"), {})):
            upload = io.BytesIO(b"x" * 101)
            upload.name = "big.xlsx"
            response = self.client.post(url, {**data, "file": upload})
            self.assertEqual(response.status_code, 400)
            self.assertIn("파일이 너무 큽니다", response.content.decode())
        self.assertEqual(Result.objects.count(), before)


class ScopeTests(SeoulOfficeTestCase):
    def test_department_and_contractor_see_only_their_own_services(self):
        own_a = set(Service.objects.filter(department=self.service_a.department)
                    .values_list("key", flat=True))
        self.assertEqual(set(visible_services(self.dept_user).values_list("key", flat=True)),
                         own_a)
        held_b = set(Service.objects.for_contractor(self.contractor_b)
                     .values_list("key", flat=True))
        self.assertEqual(
            set(visible_services(self.contractor_user).values_list("key", flat=True)), held_b)
        # another department's published service is not theirs in the office
        other = (Service.objects.filter(results__status=Status.PUBLISHED)
                 .exclude(department=self.service_a.department).exclude(key__in=held_b)
                 .first())
        for user in (self.dept_user, self.contractor_user):
            self.login(user)
            self.assertEqual(self.client.get(
                reverse("office:service", args=[other.key])).status_code, 404)
            html = self.client.get(reverse("office:dashboard")).content.decode()
            self.assertNotIn(reverse("office:service", args=[other.key]), html)
        # ... while the public portal still shows it to anyone
        self.client.logout()
        self.assertEqual(self.client.get(
            reverse("portal:service", args=[other.key])).status_code, 200)


class NotStatedDepartmentTests(SeoulOfficeTestCase):
    def test_narrative_only_services_have_no_department_and_pages_say_not_stated(self):
        self.assertFalse(Organisation.objects.filter(name__regex=r"^\s*$").exists())
        blank = Service.objects.filter(department__isnull=True)
        self.assertTrue(blank.exists())
        svc = blank.order_by("key").first()
        self.login(self.officer)
        html = self.client.get(reverse("office:service", args=[svc.key])).content.decode()
        self.assertIn("<dd>미기재</dd>", html)
        html = self.client.get(reverse("office:services"), {"q": svc.name}).content.decode()
        self.assertIn("<td>미기재</td>", html)
        self.client.cookies["django_language"] = "en"
        html = self.client.get(reverse("office:service", args=[svc.key])).content.decode()
        self.assertIn("<dd>Not stated</dd>", html)


class SeoulFactsAsFlagsTests(SeoulOfficeTestCase):
    def test_flags_from_seouls_own_texts_appear_on_the_service_pages(self):
        self.login(self.officer)
        expected = {
            INNOVATION: ("지도점검 지적 반복", "2021: 35, 2022: 33"),
            CITIZENS_HALL: ("예산 집행률 낮음", "88.02%"),
            YOUTH_HUB: ("이직률 높음", "60.00%"),
        }
        for key, (label, evidence) in expected.items():
            with self.subTest(key=key):
                html = self.client.get(reverse("office:service", args=[key])).content.decode()
                flags = html.split('class="flag-list"', 1)[1].split("</ul>", 1)[0]
                self.assertIn(label, flags)
                self.assertIn(evidence, flags)


class EnglishDomainTextTests(SeoulOfficeTestCase):
    def test_flag_and_decision_sheet_note_in_english(self):
        self.login(self.officer)
        response = self.client.get(reverse("office:service", args=[YOUTH_HUB]),
                                   HTTP_ACCEPT_LANGUAGE="en")
        html = response.content.decode()
        self.assertIn('<html lang="en">', html)
        flags = html.split('class="flag-list"', 1)[1].split("</ul>", 1)[0]
        self.assertIn("High staff turnover", flags)
        self.assertIn("Staff turnover: 60.00%", flags)
        self.assertNotIn("이직률", flags)
        # decision-sheet notes, generated by the domain, in English
        self.assertIn("The policy at the evaluation (below 60 excluded from re-contract) "
                      "differs from the policy on the re-contract date", html)
        self.assertIn("No contract period registered", html)
        self.assertNotIn("이 다릅니다", html)
        self.assertNotIn("2020 2차", html)
        self.assertIn("2020 round 2", html)

    def test_due_reasons_and_workflow_refusals_in_english(self):
        from seonggwa.evaluations.domain.due import due_list
        from seonggwa.registry.models import ContractPeriod

        ContractPeriod.objects.create(service=self.service_a, start=dt.date(2021, 1, 1),
                                      end=dt.date(2024, 3, 31))
        Service.objects.filter(pk=self.service_a.pk).update(annual_cost=700_000_000)
        with translation.override("en"):
            entry = due_list(2024).entries[0]
            self.assertIn("Contract period 2021-01-01–2024-03-31 ends", entry.reasons)
            self.assertIn("Annual cost 700,000,000 won ≥ line 500,000,000 won", entry.reasons)
            with self.assertRaisesMessage(workflow.WorkflowError, "A reason for the "
                                          "correction is required."):
                workflow.amend_result(Result.objects.first(), "80", "")
        with self.assertRaisesMessage(workflow.WorkflowError, "정정 사유를 입력해야 합니다."):
            workflow.amend_result(Result.objects.first(), "80", "")


class FollowUpTests(SeoulOfficeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hub = Service.objects.get(key=YOUTH_HUB)
        cls.hub_dept_user = make_user("hub-dept", Role.DEPARTMENT, cls.hub.department)
        cls.task = (NarrativeItem.objects.filter(narrative__service=cls.hub,
                                                 kind=ItemKind.IMPROVEMENT)
                    .order_by("order").first())

    def url(self, item=None, key=YOUTH_HUB):
        return reverse("office:follow_up", args=[key, (item or self.task).pk])

    def post(self, **data):
        from seonggwa.core.concurrency import version_of

        prefix = f"item{self.task.pk}-"
        return self.client.post(self.url(), {**{prefix + k: v for k, v in data.items()},
                                             "version": version_of(self.task)})

    def test_officer_sets_the_status_with_a_note_through_the_workflow(self):
        self.login(self.officer)
        html = self.client.get(reverse("office:service", args=[YOUTH_HUB])).content.decode()
        self.assertIn("개선 과제 이행 관리", html)
        self.assertIn(f'action="{self.url()}"', html)
        rnd = Round.objects.get(year__year=2023, number=2)
        response = self.post(status="in_progress", note="이직률 관리 계획 수립", round=rnd.pk)
        self.assertRedirects(response, reverse("office:service", args=[YOUTH_HUB])
                             + f"#task-{self.task.pk}", fetch_redirect_response=False)
        self.task.refresh_from_db()
        self.assertEqual((self.task.follow_up_status, self.task.follow_up_note,
                          self.task.follow_up_round), ("in_progress", "이직률 관리 계획 수립", rnd))
        event = AuditEvent.objects.get(action="improvement.follow_up",
                                       object_id=str(self.task.pk))
        self.assertEqual(event.actor, self.officer)
        self.assertEqual(event.before["follow_up_status"], "open")
        self.assertEqual(event.after["follow_up_status"], "in_progress")
        html = self.client.get(reverse("office:service", args=[YOUTH_HUB])).content.decode()
        self.assertIn("개선 과제 이행 상태를 기록했습니다: 추진중", html)
        self.assertIn("이직률 관리 계획 수립", html)

    def test_owning_department_may_set_it(self):
        self.login(self.hub_dept_user)
        self.post(status="done", note="완료 보고")
        self.task.refresh_from_db()
        self.assertEqual(self.task.follow_up_status, "done")

    def test_others_are_refused_and_nothing_changes(self):
        # department of another service: not its service (404); contractor: 403 or 404
        for user, status in ((self.dept_user, 404), (self.contractor_user, 404)):
            self.login(user)
            self.assertEqual(self.post(status="done", note="x").status_code, status)
        contractor = self.hub.results.first().contractors.first()
        hub_contractor = make_user("hub-contractor", Role.CONTRACTOR, contractor)
        self.login(hub_contractor)
        html = self.client.get(reverse("office:service", args=[YOUTH_HUB])).content.decode()
        self.assertNotIn("개선 과제 이행 관리", html)  # no form for a contractor
        self.assertEqual(self.post(status="done", note="x").status_code, 403)
        self.client.logout()
        self.assertEqual(self.post(status="done", note="x").status_code, 302)  # login
        self.task.refresh_from_db()
        self.assertEqual(self.task.follow_up_status, "open")
        self.assertFalse(AuditEvent.objects.filter(action="improvement.follow_up").exists())

    def test_post_only_and_validated(self):
        self.login(self.officer)
        self.assertEqual(self.client.get(self.url()).status_code, 405)
        response = self.post(status="done", note="")  # the note is required
        self.assertEqual(response.status_code, 400)  # shown again on the service page
        self.assertContains(response, "확인 내용: 필수 항목입니다.", status_code=400)
        response = self.post(status="bogus", note="x")
        self.task.refresh_from_db()
        self.assertEqual(self.task.follow_up_status, "open")
        achievement = NarrativeItem.objects.filter(narrative__service=self.hub,
                                                   kind=ItemKind.ACHIEVEMENT).first()
        self.assertEqual(self.client.post(self.url(achievement), {}).status_code, 404)


class NoPolicyYearTests(SeoulOfficeTestCase):
    def test_a_1999_result_does_not_crash_the_pages(self):
        # A result from before any threshold policy (e.g. migrated from an old system,
        # written directly: the workflow refuses to decide it).
        ey = EvaluationYear.objects.create(year=1999)
        rnd = Round.objects.create(year=ey, number=1, status=Status.PUBLISHED)
        with self.assertRaisesMessage(workflow.WorkflowError, "1999-01-01에 시행 중인 재계약 "
                                      "기준 정책이 없습니다"):
            workflow.record_result(service=self.service_a,
                                   round=Round.objects.create(year=ey, number=2), score="70")
        legacy_result(self.service_a, rnd, "55")
        self.login(self.officer)
        response = self.client.get(reverse("office:dashboard"), {"year": 1999})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("시행 중인 기준 정책 없음", html)
        self.assertIn("80.51", html)
        response = self.client.get(reverse("office:service", args=[SERVICE_A]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.get(reverse("portal:home")).status_code, 200)
        self.assertEqual(self.client.get(reverse("portal:year", args=[1999])).status_code, 200)
        self.assertEqual(self.client.get(reverse("office:service", args=[SERVICE_B])
                                         ).status_code, 200)
