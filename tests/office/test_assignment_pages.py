"""The officer's assignment page (list, add, remove; others refused) and the what-if page
for committee members, over the results they may see."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse
from evaluations.factories import draft_round, org, service

from seonggwa.accounts.models import Profile, Role
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.subjects import subject_for_service
from seonggwa.evaluations.models import Assignment
from seonggwa.registry.models import OrganisationKind


def make_user(username, role, organisation=None):
    user = User.objects.create_user(username, password="pw")
    Profile.objects.create(user=user, role=role, organisation=organisation)
    return user


class AssignmentPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        dept = org("우리과")
        firm = org("우리기관", OrganisationKind.CONTRACTOR)
        cls.svc = service("svc-a", dept="우리과")
        cls.other = service("svc-b", dept="남의과")
        cls.old_round = draft_round(2023)
        cls.published = workflow.record_result(service=cls.svc, round=cls.old_round,
                                               score="90", contractors=[firm],
                                               actor_label="test")
        workflow.finalise_round(cls.old_round, actor_label="test")
        workflow.publish_round(cls.old_round, actor_label="test")
        cls.round = draft_round(2024)
        cls.draft = workflow.record_result(service=cls.svc, round=cls.round, score="70",
                                           contractors=[firm], actor_label="test")
        cls.other_draft = workflow.record_result(service=cls.other, round=cls.round,
                                                 score="60", actor_label="test")
        cls.officer = make_user("officer", Role.OFFICER)
        cls.dept_user = make_user("dept", Role.DEPARTMENT, dept)
        cls.contractor_user = make_user("firm", Role.CONTRACTOR, firm)
        cls.evaluator = make_user("eval", Role.EVALUATOR)
        cls.committee = make_user("comm", Role.COMMITTEE)

    def version(self, url):
        """The version the page's forms carry (as a browser would submit it)."""
        return self.client.get(url).context["version"]

    def test_only_officers_open_the_pages(self):
        urls = [reverse("office:assignments"),
                reverse("office:assignment_round", args=[self.round.pk])]
        for url in urls:
            self.client.logout()
            self.assertEqual(self.client.get(url).status_code, 302)
            for user in (self.dept_user, self.contractor_user, self.evaluator, self.committee):
                self.client.force_login(user)
                with self.subTest(url=url, user=user.username):
                    self.assertEqual(self.client.get(url).status_code, 403)
                    self.assertEqual(self.client.post(url, {"user": self.evaluator.pk})
                                     .status_code, 403)
            self.client.force_login(self.officer)
            self.assertEqual(self.client.get(url).status_code, 200)
        self.assertFalse(Assignment.objects.exists())

    def test_officer_adds_and_removes(self):
        self.client.force_login(self.officer)
        url = reverse("office:assignment_round", args=[self.round.pk])
        page = self.client.get(url).content.decode()
        self.assertIn("평가 배정", page)
        self.assertIn(reverse("office:assignments"), self.client.get(
            reverse("office:dashboard")).content.decode())
        form = self.client.get(url).context["form"]
        self.assertEqual(set(form.fields["user"].queryset), {self.evaluator, self.committee})
        self.assertEqual(set(form.fields["subject"].queryset),
                         {self.draft.subject, self.other_draft.subject})

        response = self.client.post(url, {"version": self.version(url), "user": self.evaluator.pk,
                                          "subject": self.draft.subject.pk})
        self.assertRedirects(response, url)
        a = Assignment.objects.get()
        self.assertEqual((a.user, a.round, a.subject, a.assigned_by),
                         (self.evaluator, self.round, self.draft.subject, self.officer))
        self.assertTrue(AuditEvent.objects.filter(action="assignment.add").exists())

        again = self.client.post(url, {"version": self.version(url), "user": self.evaluator.pk,
                                       "subject": self.draft.subject.pk})
        self.assertEqual(again.status_code, 400)
        self.assertIn("이미 같은 배정이 있습니다.", again.content.decode())

        refused = self.client.post(url, {"version": self.version(url), "user": self.dept_user.pk})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(Assignment.objects.count(), 1)

        self.assertRedirects(self.client.post(url, {"version": self.version(url), "action": "remove", "assignment": a.pk}),
                             url)
        self.assertFalse(Assignment.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(action="assignment.remove").exists())

    def test_assigned_evaluator_sees_only_assigned_service_pages(self):
        Assignment.objects.create(user=self.evaluator, round=self.round,
                                  subject=subject_for_service(self.other))
        self.client.force_login(self.evaluator)
        self.assertEqual(self.client.get(reverse("office:service", args=["svc-b"]))
                         .status_code, 200)
        self.evaluator.evaluation_assignments.all().delete()
        self.assertEqual(self.client.get(reverse("office:service", args=["svc-b"]))
                         .status_code, 404)

    def test_what_if_for_committee(self):
        url = reverse("office:what_if")
        for user, status in ((self.evaluator, 403), (self.dept_user, 403),
                             (self.contractor_user, 403), (self.committee, 200),
                             (self.officer, 200)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(url).status_code, status)
                nav = self.client.get(reverse("office:dashboard")).content.decode()
                self.assertIs(url in nav, status == 200)

        # not assigned: the published results only; assigned to the round: those too
        self.client.force_login(self.committee)
        response = self.client.get(url, {"threshold": "75"})
        self.assertEqual(response.context["summary"]["total"], 1)
        Assignment.objects.create(user=self.committee, round=self.round)
        response = self.client.get(url, {"threshold": "75"})
        self.assertEqual(response.context["summary"]["total"], 3)
        self.client.force_login(self.officer)
        self.assertEqual(self.client.get(url, {"threshold": "75"})
                         .context["summary"]["total"], 3)
