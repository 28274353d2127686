"""No lost updates on any office edit form: two officials load the same form, both save;
the first save stands, the second is refused with who changed it and when, and the
second official's input is shown again (never a silent overwrite)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse
from evaluations.factories import draft_round, org, service

from seonggwa.accounts.models import Profile, Role
from seonggwa.core import concurrency
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.models import (
    Assignment,
    DueAdjustment,
    ItemKind,
    Narrative,
    NarrativeItem,
)
from seonggwa.registry.domain import changes
from seonggwa.registry.models import OrganisationKind

REFUSED = "에 변경했습니다. 다시 불러온 뒤 수정하세요."


def make_user(username, role, first_name=""):
    user = User.objects.create_user(username, password="pw", first_name=first_name)
    Profile.objects.create(user=user, role=role)
    return user


class TwoOfficersTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.firm = org("(사)가나다", OrganisationKind.CONTRACTOR)
        cls.svc = changes.create_service(key="svc-8001", name="청소년 수련관 운영",
                                         department=org("평생교육과"),
                                         annual_cost=700_000_000)
        cls.period = changes.add_contract_period(cls.svc, start=dt.date(2021, 1, 1),
                                                 end=dt.date(2024, 12, 31),
                                                 contractors=[cls.firm])
        cls.finding = changes.record_inspection_finding(cls.svc, year=2022, count=3)
        cls.first_user = make_user("kim", Role.OFFICER, "김주무")
        cls.second_user = make_user("lee", Role.OFFICER, "이담당")

    def setUp(self):
        self.first = self.client
        self.first.force_login(self.first_user)
        self.second = self.client_class()
        self.second.force_login(self.second_user)

    def both_load(self, url):
        """Both officials open the form; the version each page carries."""
        versions = [c.get(url).context["version"] for c in (self.first, self.second)]
        self.assertEqual(versions[0], versions[1])
        return versions[0]

    def assert_refused(self, response, *kept):
        self.assertIn(response.status_code, (400, 409))
        html = response.content.decode()
        self.assertIn("김주무님이", html)
        self.assertIn(REFUSED, html)
        for text in kept:
            self.assertIn(text, html)  # the second official's input, shown again

    # ---------------------------------------------------------------- registry

    def test_service_record(self):
        url = reverse("office:service_record", args=[self.svc.key])
        version = self.both_load(url)
        data = {"name": "청소년 수련관 운영", "department": self.svc.department.pk,
                "version": version}
        first = self.first.post(url, {**data, "annual_cost": "800000000",
                                      "reason": "예산 증액"})
        self.assertEqual(first.status_code, 302)
        second = self.second.post(url, {**data, "annual_cost": "650000000",
                                        "notes": "이담당 메모", "reason": "예산 감액"})
        self.assert_refused(second, "650000000", "이담당 메모")
        self.svc.refresh_from_db()
        self.assertEqual((self.svc.annual_cost, self.svc.notes), (800_000_000, ""))
        # the re-shown form carries the version now: saving again is a conscious choice
        self.assertIn(f'name="version" value="{concurrency.version_of(self.svc)}"',
                      second.content.decode())

    def test_registry_row(self):
        url = reverse("office:registry_edit", args=[self.svc.key, "inspection",
                                                    self.finding.pk])
        version = self.both_load(url)
        data = {"year": "2022", "corrective_demand": "on", "version": version}
        self.assertEqual(self.first.post(url, {**data, "count": "4"}).status_code, 302)
        self.assert_refused(self.second.post(url, {**data, "count": "9"}), 'value="9"')
        self.finding.refresh_from_db()
        self.assertEqual(self.finding.count, 4)

    def test_contract_period_row_and_contract_end(self):
        edit = reverse("office:registry_edit", args=[self.svc.key, "contract",
                                                     self.period.pk])
        end = reverse("office:contract_end", args=[self.svc.key, self.period.pk])
        edit_version = self.both_load(edit)
        end_version = self.both_load(end)
        self.assertEqual(self.first.post(end, {"end": "2023-06-30", "reason": "협약 해지",
                                               "version": end_version}).status_code, 302)
        # the second official, editing the period loaded before the end was recorded
        response = self.second.post(edit, {
            "start": "2021-01-01", "end": "2025-12-31", "kind": "new",
            "contractors": [self.firm.pk], "note": "연장", "version": edit_version})
        self.assert_refused(response, "연장")
        response = self.second.post(end, {"end": "2024-03-31", "reason": "다른 사유",
                                          "version": end_version})
        self.assert_refused(response, "다른 사유")
        self.period.refresh_from_db()
        self.assertEqual(self.period.end, dt.date(2023, 6, 30))

    # ---------------------------------------------------------------- follow-up

    def test_follow_up_item(self):
        rnd = draft_round(2024)
        narrative = Narrative.objects.create(service=self.svc, round=rnd,
                                             service_name=self.svc.name)
        item = NarrativeItem.objects.create(narrative=narrative, kind=ItemKind.IMPROVEMENT,
                                            order=1, text="이직률 관리")
        page = reverse("office:service", args=[self.svc.key])
        for client in (self.first, self.second):
            self.assertContains(client.get(page),
                                f'name="version" value="{concurrency.version_of(item)}"')
        version = concurrency.version_of(item)
        url = reverse("office:follow_up", args=[self.svc.key, item.pk])
        prefix = f"item{item.pk}-"
        self.assertEqual(self.first.post(url, {
            prefix + "status": "done", prefix + "note": "완료 확인",
            "version": version}).status_code, 302)
        response = self.second.post(url, {prefix + "status": "not_done",
                                          prefix + "note": "미이행 확인", "version": version})
        self.assertEqual(response.status_code, 409)
        self.assert_refused(response, "미이행 확인")
        item.refresh_from_db()
        self.assertEqual((item.follow_up_status, item.follow_up_note), ("done", "완료 확인"))

    # ---------------------------------------------------------------- due list

    def test_due_adjustment_of_the_same_service(self):
        url = reverse("office:due", args=[2024])
        version = self.both_load(url)
        self.assertEqual(self.first.post(url, {
            "service": self.svc.key, "action": "exclude", "reason": "통합 예정",
            "version": version}).status_code, 302)
        response = self.second.post(url, {"service": self.svc.key, "action": "include",
                                          "reason": "대상 유지 필요", "version": version})
        self.assert_refused(response, "대상 유지 필요")
        self.assertEqual(list(DueAdjustment.objects.values_list("action", flat=True)),
                         ["exclude"])

    def test_due_adjustment_of_another_service_is_not_a_conflict(self):
        other = service("svc-8002")
        url = reverse("office:due", args=[2024])
        version = self.both_load(url)
        self.first.post(url, {"service": self.svc.key, "action": "exclude",
                              "reason": "통합 예정", "version": version})
        response = self.second.post(url, {"service": other.key, "action": "include",
                                          "reason": "신규 대상", "version": version})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(DueAdjustment.objects.count(), 2)

    # ---------------------------------------------------------------- assignments

    def test_assignments_of_a_round(self):
        rnd = draft_round(2024)
        workflow.record_result(service=self.svc, round=rnd, score="80", actor_label="test")
        evaluator = make_user("ev", Role.EVALUATOR)
        committee = make_user("cm", Role.COMMITTEE)
        url = reverse("office:assignment_round", args=[rnd.pk])
        version = self.both_load(url)
        self.assertEqual(self.first.post(url, {"user": evaluator.pk, "version": version})
                         .status_code, 302)
        response = self.second.post(url, {"user": committee.pk, "version": version})
        self.assert_refused(response, f'value="{committee.pk}" selected')
        self.assertEqual(list(Assignment.objects.values_list("user", flat=True)),
                         [evaluator.pk])
        # removing from a list that changed since it was loaded is refused too
        assignment = Assignment.objects.get()
        response = self.second.post(url, {"action": "remove", "assignment": assignment.pk,
                                          "version": version}, follow=True)
        self.assertContains(response, "김주무님이")
        self.assertTrue(Assignment.objects.exists())

    # ---------------------------------------------------------------- the helper

    def test_a_save_without_a_version_is_refused(self):
        url = reverse("office:service_record", args=[self.svc.key])
        response = self.first.post(url, {"name": "다른 이름",
                                         "department": self.svc.department.pk})
        self.assertContains(response, "다시 불러온 뒤 수정하세요", status_code=400)
        self.svc.refresh_from_db()
        self.assertEqual(self.svc.name, "청소년 수련관 운영")

    def test_the_refusal_names_a_system_job_and_the_time(self):
        before = concurrency.version_of(self.svc)
        changes.update_service(self.svc, notes="야간 적재", actor_label="load_registry")
        with self.assertRaises(concurrency.StaleEdit) as caught:
            concurrency.check(concurrency.events_for(self.svc), before)
        event = AuditEvent.objects.for_object(self.svc).order_by("-id").first()
        self.assertEqual(caught.exception.event, event)
        self.assertIn("load_registry님이", caught.exception.message)
        self.assertIn(concurrency.when(event), caught.exception.message)
