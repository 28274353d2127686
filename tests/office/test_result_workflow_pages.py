"""Officials in control of results: finalise (확정), publish (공개) and correct (정정)
from the service and round pages — officers only, POST only, a reason for every
correction, counts confirmed before a whole round changes, and the audit trail in words
on the page."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse
from evaluations.factories import draft_round, org, service

from seonggwa.accounts.models import Profile, Role
from seonggwa.core import concurrency
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.subjects import subject_for_service
from seonggwa.evaluations.models import Assignment, Result, Status
from seonggwa.registry.models import OrganisationKind


def make_user(username, role, organisation=None):
    user = User.objects.create_user(username, password="pw", first_name="")
    Profile.objects.create(user=user, role=role, organisation=organisation)
    return user


class ResultWorkflowBase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.firm = org("(사)가나다", OrganisationKind.CONTRACTOR)
        cls.svc = service("svc-7001", "청소년 수련관 운영", dept="평생교육과")
        cls.other = service("svc-7002", "노인 복지관 운영", dept="평생교육과")
        cls.round = draft_round(2024)
        cls.result = workflow.record_result(service=cls.svc, round=cls.round, score="80",
                                            contractors=[cls.firm], actor_label="test")
        cls.other_result = workflow.record_result(service=cls.other, round=cls.round,
                                                  score="58", actor_label="test")
        cls.officer = make_user("officer", Role.OFFICER)
        cls.officer.first_name = "김주무"
        cls.officer.save()
        cls.officer2 = make_user("officer2", Role.OFFICER)
        cls.officer2.first_name = "이담당"
        cls.officer2.save()
        cls.dept = make_user("dept", Role.DEPARTMENT, cls.svc.department)
        cls.contractor = make_user("firm", Role.CONTRACTOR, cls.firm)
        cls.evaluator = make_user("evaluator", Role.EVALUATOR)
        cls.committee = make_user("committee", Role.COMMITTEE)
        for u in (cls.evaluator, cls.committee):
            Assignment.objects.create(user=u, round=cls.round)

    def others(self):
        """Every role but the officer's — each may see the result and round here."""
        return {"department": self.dept, "contractor": self.contractor,
                "evaluator": self.evaluator, "committee": self.committee}

    def version(self, obj):
        return concurrency.version_of(obj)

    def result_url(self, result=None, name=None):
        result = result or self.result
        if name:
            return reverse("office:result_transition", args=[result.pk, name])
        return reverse("office:result", args=[result.pk])

    def fire(self, client, name, result=None):
        result = result or self.result
        return client.post(self.result_url(result, name),
                           {"version": self.version(result)})

    def correct(self, client, score, reason, result=None, version=None):
        result = result or self.result
        return client.post(self.result_url(result), {
            "form": "correct", "score": score, "reason": reason,
            "version": self.version(result) if version is None else version})

    def reload(self):
        self.result.refresh_from_db()
        return self.result


class ButtonsTests(ResultWorkflowBase):
    def test_officer_sees_available_transitions_and_why_others_are_not(self):
        self.client.force_login(self.officer)
        html = self.client.get(reverse("office:service", args=[self.svc.key])).content.decode()
        self.assertIn(f'action="{self.result_url(name="finalise")}"', html)
        # publishing a draft is not possible now: shown disabled, with the reason
        self.assertNotIn(f'action="{self.result_url(name="publish")}"', html)
        self.assertIn("작성 중 상태에서는 &#x27;공개&#x27;을(를) 할 수 없습니다", html)
        html = self.client.get(reverse("office:round", args=[self.round.pk])).content.decode()
        self.assertIn("작성 중 결과 2건 모두 확정", html)
        self.assertIn(reverse("office:round_transition", args=[self.round.pk, "finalise"]),
                      html)
        # the round cannot be published before it is finalised: disabled, with the reason
        self.assertIn("2024-1: 작성 중 상태에서는 &#x27;공개&#x27;", html.replace(
            str(self.round), "2024-1"))

    def test_other_roles_see_no_buttons(self):
        for who, user in self.others().items():
            self.client.force_login(user)
            for url in (reverse("office:round", args=[self.round.pk]),
                        self.result_url()):
                response = self.client.get(url)
                if response.status_code == 404:  # not theirs to see at all
                    continue
                html = response.content.decode()
                self.assertNotIn("/finalise/", html, (who, url))
                self.assertNotIn("/publish/", html, (who, url))
                self.assertNotIn('name="form" value="correct"', html, (who, url))
                self.assertNotIn('name="form" value="score"', html, (who, url))


class RoleMatrixTests(ResultWorkflowBase):
    """Role × action: the officer may; every other role gets 403 and nothing changes."""

    def attempts(self, client):
        rnd = self.round
        return {
            "finalise result": lambda: self.fire(client, "finalise"),
            "publish result": lambda: self.fire(client, "publish"),
            "edit draft": lambda: client.post(self.result_url(), {
                "form": "score", "score": "81", "version": self.version(self.result)}),
            "correct": lambda: self.correct(client, "81", "이의신청 인용"),
            "confirm round finalise": lambda: client.get(
                reverse("office:round_transition", args=[rnd.pk, "finalise"])),
            "finalise round": lambda: client.post(
                reverse("office:round_transition", args=[rnd.pk, "finalise"]),
                {"version": self.version(rnd), "count": "2"}),
            "publish round": lambda: client.post(
                reverse("office:round_transition", args=[rnd.pk, "publish"]),
                {"version": self.version(rnd), "count": "2"}),
        }

    def test_others_get_403_and_nothing_changes(self):
        before = AuditEvent.objects.count()
        for who, user in self.others().items():
            self.client.force_login(user)
            for action, attempt in self.attempts(self.client).items():
                self.assertEqual(attempt().status_code, 403, (who, action))
        self.assertEqual(AuditEvent.objects.count(), before)
        self.assertEqual(self.reload().status, Status.DRAFT)
        self.assertEqual(self.result.score, Decimal("80.00"))

    def test_anonymous_is_sent_to_login(self):
        for action, attempt in self.attempts(self.client).items():
            response = attempt()
            self.assertEqual(response.status_code, 302, action)
            self.assertIn("login", response["Location"], action)

    def test_only_post_changes_state(self):
        self.client.force_login(self.officer)
        self.assertEqual(self.client.get(self.result_url(name="finalise")).status_code, 405)
        self.assertEqual(self.reload().status, Status.DRAFT)

    def test_csrf_is_checked(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.officer)
        self.assertEqual(self.fire(client, "finalise").status_code, 403)
        self.assertEqual(self.reload().status, Status.DRAFT)

    def test_officer_finalises_publishes_and_corrects(self):
        self.client.force_login(self.officer)
        self.assertEqual(self.fire(self.client, "finalise").status_code, 302)
        self.assertEqual(self.reload().status, Status.FINALISED)
        self.assertEqual(self.fire(self.client, "publish").status_code, 302)
        self.assertEqual(self.reload().status, Status.PUBLISHED)
        self.assertEqual(self.correct(self.client, "85", "이의신청 인용 (공문 2024-123)")
                         .status_code, 302)
        self.assertEqual((self.reload().score, self.result.status),
                         (Decimal("85.00"), Status.PUBLISHED))
        event = AuditEvent.objects.for_object(self.result).filter(action="result.amend").get()
        self.assertEqual((event.reason, event.actor, event.before["score"],
                          event.after["score"]),
                         ("이의신청 인용 (공문 2024-123)", self.officer, "80.00", "85.00"))


class CorrectionTests(ResultWorkflowBase):
    def setUp(self):
        workflow.finalise_result(self.result, actor_label="test")
        workflow.publish_result(self.result, actor_label="test")
        self.client.force_login(self.officer)

    def test_published_result_cannot_be_edited_only_corrected(self):
        html = self.client.get(self.result_url()).content.decode()
        self.assertNotIn('name="form" value="score"', html)
        self.assertIn('name="form" value="correct"', html)
        response = self.client.post(self.result_url(), {
            "form": "score", "score": "99", "version": self.version(self.result)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.reload().score, Decimal("80.00"))
        html = self.client.get(self.result_url()).content.decode()
        self.assertIn("공개 상태입니다: 화면을 다시 불러온 뒤 수정하세요", html)

    def test_correction_without_reason_is_refused_in_korean(self):
        for reason in ("", "   "):
            response = self.correct(self.client, "90", reason)
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, "정정 사유를 입력해야 합니다.", status_code=400)
            self.assertContains(response, 'value="90"', status_code=400)  # input kept
        self.assertEqual(self.reload().score, Decimal("80.00"))
        self.assertFalse(AuditEvent.objects.filter(action="result.amend").exists())

    def test_score_out_of_scale_is_refused(self):
        response = self.correct(self.client, "101", "오기 정정")
        self.assertContains(response, "점수는 0~100 사이여야 합니다", status_code=400)
        self.assertEqual(self.reload().score, Decimal("80.00"))

    def test_audit_trail_shown_in_words(self):
        self.correct(self.client, "57.5", "산식 오류 정정")
        html = self.client.get(self.result_url()).content.decode()
        trail = html[html.index('id="trail"'):]
        for text in ("결과 등록", "결과 확정", "결과 공개", "결과 정정", "산식 오류 정정",
                     "김주무", "<del>80.00</del> → <ins>57.50</ins>", "판정",
                     "<del>작성 중</del> → <ins>확정</ins>"):
            self.assertIn(text, trail, text)
        self.assertNotIn("result.amend", trail)  # no code names for officials
        # the service page's trail reads the same way
        html = self.client.get(reverse("office:service", args=[self.svc.key])).content.decode()
        self.assertIn("산식 오류 정정", html[html.index('id="trail"'):])


class RoundBulkTests(ResultWorkflowBase):
    def url(self, name):
        return reverse("office:round_transition", args=[self.round.pk, name])

    def test_finalise_confirms_the_count_then_finalises_every_draft(self):
        self.client.force_login(self.officer)
        response = self.client.get(self.url("finalise"))
        self.assertContains(response, "2건</span>이 확정됩니다")
        self.assertEqual(Result.objects.filter(status=Status.DRAFT).count(), 2)  # GET: none
        response = self.client.post(self.url("finalise"), {
            "version": self.version(self.round), "count": "2"})
        self.assertRedirects(response, reverse("office:round", args=[self.round.pk]),
                             fetch_redirect_response=False)
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, Status.FINALISED)
        self.assertEqual(set(self.round.results.values_list("status", flat=True)),
                         {Status.FINALISED})
        html = self.client.get(reverse("office:round", args=[self.round.pk])).content.decode()
        self.assertIn("평가를 확정했습니다: 결과 2건", html)
        self.assertIn("평가 공개 (확정 결과 2건)", html)

    def test_publish_confirms_the_count_then_publishes(self):
        workflow.finalise_round(self.round, actor_label="test")
        self.client.force_login(self.officer)
        response = self.client.get(self.url("publish"))
        self.assertContains(response, "2건</span>이 공개됩니다")
        self.client.post(self.url("publish"), {"version": self.version(self.round),
                                               "count": "2"})
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, Status.PUBLISHED)
        self.assertEqual(Result.objects.filter(round=self.round,
                                               status=Status.PUBLISHED).count(), 2)

    def test_publishing_a_draft_round_is_refused_with_the_reason(self):
        self.client.force_login(self.officer)
        response = self.client.get(self.url("publish"))
        self.assertContains(response, "작성 중 상태에서는")
        self.assertNotContains(response, 'name="count"')

    def test_count_changed_since_confirmation_is_confirmed_again(self):
        self.client.force_login(self.officer)
        version = self.version(self.round)
        workflow.record_result(service=service("svc-7004"), round=self.round, score="90",
                               actor_label="test")
        response = self.client.post(self.url("finalise"), {"version": version, "count": "2"})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "2건에서 3건으로 바뀌었습니다", status_code=409)
        self.assertContains(response, "3건</span>이 확정됩니다", status_code=409)
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, Status.DRAFT)

    def test_round_finalised_by_someone_else_meanwhile(self):
        first, second = self.client, self.client_class()
        first.force_login(self.officer)
        second.force_login(self.officer2)
        version = self.version(self.round)
        self.assertEqual(first.post(self.url("finalise"), {"version": version, "count": "2"})
                         .status_code, 302)
        response = second.post(self.url("finalise"), {"version": version, "count": "2"})
        self.assertContains(response, "김주무님이", status_code=409)
        self.assertEqual(AuditEvent.objects.filter(action="round.finalise").count(), 1)


class TwoOfficersOneResultTests(ResultWorkflowBase):
    """Lost updates: both load the form, both save; the second is refused, named."""

    def two(self):
        first, second = self.client, self.client_class()
        first.force_login(self.officer)
        second.force_login(self.officer2)
        return first, second

    def test_draft_score_form(self):
        first, second = self.two()
        loaded = self.version(self.result)
        for client in (first, second):
            self.assertContains(client.get(self.result_url()), f'value="{loaded}"')
        self.assertEqual(first.post(self.result_url(), {
            "form": "score", "score": "82", "version": loaded}).status_code, 302)
        response = second.post(self.result_url(), {
            "form": "score", "score": "77", "remark": "내 입력", "version": loaded})
        self.assertEqual(response.status_code, 409)
        html = response.content.decode()
        self.assertIn("김주무님이", html)
        self.assertIn("에 변경했습니다. 다시 불러온 뒤 수정하세요.", html)
        self.assertIn('value="77"', html)  # the second official's input is kept
        self.assertIn('value="내 입력"', html)
        self.assertEqual(self.reload().score, Decimal("82.00"))

    def test_correction_form(self):
        workflow.finalise_result(self.result, actor_label="test")
        first, second = self.two()
        loaded = self.version(self.result)
        self.assertEqual(self.correct(first, "85", "이의신청 인용", version=loaded)
                         .status_code, 302)
        response = self.correct(second, "60", "다른 사유", version=loaded)
        self.assertContains(response, "김주무님이", status_code=409)
        self.assertContains(response, "다른 사유", status_code=409)
        self.assertEqual(self.reload().score, Decimal("85.00"))
        self.assertEqual(AuditEvent.objects.filter(action="result.amend").count(), 1)

    def test_transition_after_someone_elses_correction(self):
        workflow.finalise_result(self.result, actor_label="test")
        first, second = self.two()
        loaded = self.version(self.result)
        self.correct(first, "85", "이의신청 인용", version=loaded)
        response = second.post(self.result_url(name="publish"),
                               {"version": loaded, "next": self.result_url()}, follow=True)
        self.assertContains(response, "김주무님이")
        self.assertEqual(self.reload().status, Status.FINALISED)

    def test_missing_version_is_refused(self):
        first, _second = self.two()
        response = first.post(self.result_url(), {"form": "score", "score": "82"})
        self.assertContains(response, "다시 불러온 뒤 수정하세요", status_code=409)
        self.assertEqual(self.reload().score, Decimal("80.00"))


class AssignedSubjectOnlyTests(ResultWorkflowBase):
    def test_evaluator_of_another_subject_gets_404_for_the_result(self):
        ev = make_user("ev-other", Role.EVALUATOR)
        Assignment.objects.create(user=ev, round=self.round,
                                  subject=subject_for_service(self.other))
        self.client.force_login(ev)
        self.assertEqual(self.client.get(self.result_url()).status_code, 404)
        self.assertEqual(self.fire(self.client, "finalise").status_code, 404)


class PanelScoredResultTests(ResultWorkflowBase):
    """A civic-platform result is scored indicator by indicator: no total to type in; it
    is finalised and published like any other result."""

    def test_no_score_form_but_the_transitions(self):
        import datetime as dt

        from seonggwa.evaluations.domain import frameworks, inputs
        from seonggwa.evaluations.domain.subjects import subject_for
        from seonggwa.evaluations.models import Scheme, SubjectKind
        from seonggwa.registry.models import Organisation

        rnd = workflow.open_round(
            2018, None, scheme=Scheme.CIVIC_PLATFORM, start=dt.date(2018, 11, 1),
            framework_version=frameworks.preset_version("seoul-civic-platform-2018"))
        platform = subject_for(SubjectKind.PLATFORM, Organisation.objects.create(
            kind=OrganisationKind.PLATFORM, name="가구 시민협력플랫폼"))
        inputs.record_ratings(rnd, [inputs.RatingEntry(platform, "Q", 85, "서면평가"),
                                    *(inputs.RatingEntry(platform, code, 4, f"위원{i}")
                                      for code in ("G1", "G2") for i in range(5))],
                              actor_label="test")
        (result,) = workflow.rescore(rnd, actor_label="test")
        self.client.force_login(self.officer)
        html = self.client.get(self.result_url(result)).content.decode()
        self.assertIn("지표별로 채점합니다", html)
        self.assertNotIn('name="form"', html)
        response = self.client.post(self.result_url(result), {
            "form": "score", "score": "150", "version": self.version(result)}, follow=True)
        self.assertContains(response, "지표별로 채점합니다")
        self.assertEqual(self.fire(self.client, "finalise", result).status_code, 302)
        result.refresh_from_db()
        self.assertEqual((result.status, result.scale_max), (Status.FINALISED, 200))


class RoundPagesTests(TestCase):
    """A national round has thousands of results: its page shows every one of them, a page
    at a time, and never silently drops the rest."""

    @classmethod
    def setUpTestData(cls):
        from seonggwa.office.views.rounds import ROUND_PAGE_SIZE
        from seonggwa.registry.models import Service

        cls.size = ROUND_PAGE_SIZE
        cls.round = draft_round(2024)
        dept = org("평생교육과")
        services = Service.objects.bulk_create(
            Service(key=f"svc-8{i:03d}", name=f"사무 {i:03d}", department=dept,
                    annual_cost=600_000_000) for i in range(ROUND_PAGE_SIZE + 30))
        workflow.record_results(cls.round, [
            workflow.PublishedTotal(service=s, score=str(50 + (i % 50)))
            for i, s in enumerate(services)], actor_label="test")
        cls.officer = make_user("officer", Role.OFFICER)

    def test_every_result_is_on_one_of_the_pages(self):
        self.client.force_login(self.officer)
        url = reverse("office:round", args=[self.round.pk])
        first = self.client.get(url).content.decode()
        second = self.client.get(url, {"page": 2}).content.decode()
        total = self.size + 30
        self.assertIn(f"결과 {total}건", first)  # the caption counts all, not the page
        shown = [f"사무 {i:03d}" for i in range(total)]
        on_first = [name for name in shown if f">{name}<" in first]
        on_second = [name for name in shown if f">{name}<" in second]
        self.assertEqual(len(on_first), self.size)
        self.assertEqual(len(on_second), 30)
        self.assertEqual(sorted(on_first + on_second), shown)
        self.assertIn('rel="next"', first)
        self.assertEqual(self.client.get(url, {"page": 3}).status_code, 404)
