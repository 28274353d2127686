"""The conflict check that runs before anyone is seated: each kind, with its reason in
Korean; which kinds the officer may lift (with a reason, audited) and which never."""

from __future__ import annotations

import datetime as dt

import pytest

from panels.factories import framework_with_panel, organisation, round_under, user
from seonggwa.accounts.models import Role
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain.subjects import subject_for_service
from seonggwa.panels.domain.conflicts import check_conflicts, declare_conflict, lift_conflict
from seonggwa.panels.domain.errors import PanelRefused
from seonggwa.panels.domain.recusals import decide_challenge, file_challenge, recuse
from seonggwa.panels.domain.seats import seat
from seonggwa.panels.models import ConflictWaiver
from seonggwa.registry.models import ContractPeriod, OrganisationKind, Service


def kinds(civic, who, subject=None):
    return [c.kind for c in check_conflicts(civic.round, subject or civic.subject, civic[who])]


def test_members_with_no_tie_are_clear(civic):
    for who in ("city1", "city2", "district", "expert1", "peer1", "peer2"):
        assert kinds(civic, who) == [], who


def test_same_district_says_which_district_and_employer(civic):
    [conflict] = check_conflicts(civic.round, civic.subject, civic["same_district"])
    assert conflict.kind == "same_district" and conflict.label == "같은 자치구"
    assert "서대문구" in conflict.reason and "서대문구청 자치행정과" in conflict.reason
    assert conflict.liftable


def test_a_member_of_the_evaluated_organisation(civic):
    found = {c.kind: c for c in check_conflicts(civic.round, civic.subject, civic["insider"])}
    assert set(found) == {"same_district", "same_organisation"}
    assert found["same_organisation"].reason == "평가 대상 기관(서대문구 협치플랫폼) 소속입니다."
    assert not found["same_organisation"].liftable
    assert kinds(civic, "insider", civic.other_subject) == []  # 종로구: no tie


def test_same_employer_is_the_department_that_commissioned_a_service(civic):
    department = organisation("서울시 협치지원과", OrganisationKind.DEPARTMENT)
    firm = organisation("(사)함께", OrganisationKind.CONTRACTOR, "마포구")
    svc = Service.objects.create(key="svc-panel", name="협치 교육 운영", department=department)
    period = ContractPeriod.objects.create(service=svc, start=dt.date(2018, 1, 1),
                                           end=dt.date(2020, 12, 31))
    period.contractors.set([firm])
    subject = subject_for_service(svc)
    [conflict] = check_conflicts(civic.round, subject, civic["city1"])
    assert conflict.kind == "same_employer" and conflict.liftable
    assert "서울시 협치지원과" in conflict.reason
    staff = user("firm-staff", Role.EVALUATOR, firm, pool=True)
    assert [c.kind for c in check_conflicts(civic.round, subject, staff)] == [
        "same_district", "same_organisation"]  # the contractor's own district, 마포구


def test_a_declared_conflict_with_an_organisation_or_a_subject(civic):
    declare_conflict(civic["expert1"], organisation=civic.platforms["서대문구 협치플랫폼"],
                     reason="2017년 자문위원", actor=civic["expert1"])
    declare_conflict(civic["expert2"], subject=civic.subject, reason="사업계획 컨설팅",
                     actor=civic["expert2"])
    for who, why in (("expert1", "2017년 자문위원"), ("expert2", "사업계획 컨설팅")):
        [conflict] = check_conflicts(civic.round, civic.subject, civic[who])
        assert conflict.kind == "declared" and why in conflict.reason
        assert not conflict.liftable
        assert kinds(civic, who, civic.other_subject) == []


def test_recusal_and_challenge_are_conflicts_with_their_reasons(civic):
    officer = civic["officer"]
    recuse(civic.round, civic.subject, civic["city2"], reason="배우자가 플랫폼 직원",
           actor=civic["city2"])
    assert [str(c) for c in check_conflicts(civic.round, civic.subject, civic["city2"])] == [
        "회피: 본인이 회피를 신청했습니다: 배우자가 플랫폼 직원"]
    seat(civic.round, civic.subject, civic["expert1"], "expert", actor=officer)
    challenge = file_challenge(civic.round, civic.subject, civic["expert1"],
                               reason="공개적으로 사업을 비판", actor=civic["contractor"])
    [pending] = check_conflicts(civic.round, civic.subject, civic["expert1"])
    assert pending.kind == "challenge" and "결정을 기다리고" in pending.reason
    decide_challenge(challenge, accept=True, reason="공정성 우려 인정", actor=officer)
    [accepted] = check_conflicts(civic.round, civic.subject, civic["expert1"])
    assert "인용" in accepted.reason and "공정성 우려 인정" in accepted.reason


def test_the_checks_are_those_the_framework_lists(civic):
    only_declared = framework_with_panel({
        "seats": [{"code": "expert", "label": "외부 전문가", "group": "external", "count": 2}],
        "conflicts": ["declared"]})
    rnd = round_under(only_declared, civic)
    assert [c.kind for c in check_conflicts(rnd, civic.subject, civic["insider"])] == []
    with pytest.raises(PanelRefused, match="'회피'을\\(를\\) 받지 않습니다"):
        recuse(rnd, civic.subject, civic["city1"], reason="사유", actor=civic["city1"])


def test_the_officer_lifts_a_district_conflict_with_a_reason_audited(civic):
    officer = civic["officer"]
    member = civic["same_district"]
    waiver = lift_conflict(civic.round, civic.subject, member, "same_district",
                           reason="구청 협치 담당으로 구 몫 위원 위촉", actor=officer)
    assert check_conflicts(civic.round, civic.subject, member) == []
    event = AuditEvent.objects.get(action="panels.conflict_lift")
    assert event.actor == officer and event.reason == "구청 협치 담당으로 구 몫 위원 위촉"
    assert event.after["kind"] == "same_district" and event.object_id == str(waiver.pk)
    assert seat(civic.round, civic.subject, member, "district", actor=officer).member == member


@pytest.mark.parametrize(("who", "kind", "message"), [
    ("insider", "same_organisation", "담당자가 해제할 수 없습니다"),
    ("city1", "same_district", "이해충돌이 없습니다"),
    ("same_district", "bribery", "알 수 없는 이해충돌 종류"),
])
def test_what_may_not_be_lifted(civic, who, kind, message):
    with pytest.raises(PanelRefused, match=message):
        lift_conflict(civic.round, civic.subject, civic[who], kind, reason="사유",
                      actor=civic["officer"])
    assert not ConflictWaiver.objects.exists()
    assert not AuditEvent.objects.filter(action="panels.conflict_lift").exists()


def test_declared_recusal_and_challenge_are_never_lifted(civic):
    declare_conflict(civic["expert1"], subject=civic.subject, reason="자문",
                     actor=civic["expert1"])
    recuse(civic.round, civic.subject, civic["city1"], reason="개인 사정", actor=civic["city1"])
    for who, kind in (("expert1", "declared"), ("city1", "recusal")):
        with pytest.raises(PanelRefused, match="해제할 수 없습니다"):
            lift_conflict(civic.round, civic.subject, civic[who], kind, reason="사유",
                          actor=civic["officer"])


def test_lifting_needs_a_reason_and_happens_once(civic):
    member, officer = civic["same_district"], civic["officer"]
    for blank in ("", "   ", None):
        with pytest.raises(PanelRefused, match="해제 사유을\\(를\\) 적어 주십시오"):
            lift_conflict(civic.round, civic.subject, member, "same_district", reason=blank,
                          actor=officer)
    lift_conflict(civic.round, civic.subject, member, "same_district", reason="위촉",
                  actor=officer)
    with pytest.raises(PanelRefused, match="이미 해제한"):
        lift_conflict(civic.round, civic.subject, member, "same_district", reason="위촉",
                      actor=officer)
    assert ConflictWaiver.objects.count() == 1
