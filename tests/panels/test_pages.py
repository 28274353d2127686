"""The panel pages as their users meet them: the officer sees each candidate's conflict
check before seating anyone; refusals say why (400) and change nothing; two officers on
the same panel never overwrite each other; members, the evaluated organisation and the
officer each act only where they may."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from test_no_developer_text import developer_text

from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.models import Assignment
from seonggwa.panels.domain.recusals import file_challenge
from seonggwa.panels.domain.seats import add_to_template, seat
from seonggwa.panels.models import (
    Challenge,
    ChallengeState,
    ConflictWaiver,
    DeclaredConflict,
    MemberProfile,
    Recusal,
    Seat,
    TemplateEntry,
)


def client_for(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def subject_url(civic, subject=None):
    return reverse("office:panels_subject", args=[civic.round.pk, (subject or civic.subject).pk])


def html(response) -> str:
    return response.content.decode()


def state(civic):
    return (Seat.objects.count(), Assignment.objects.count(), AuditEvent.objects.count(),
            ConflictWaiver.objects.count())


@pytest.fixture
def officer(civic):
    return client_for(civic["officer"])


def version(client, url) -> int:
    return client.get(url).context["version"]


# --- the officer's panel screen --------------------------------------------------------

def test_candidates_show_their_check_before_anyone_is_seated(civic, officer):
    page = html(officer.get(subject_url(civic)))
    assert "후보와 이해충돌 확인 결과" in page
    assert "배정 불가" in page
    assert "평가 대상과 같은 자치구(서대문구) 소속입니다(소속: 서대문구청 자치행정과)." in page
    assert "평가 대상 기관(서대문구 협치플랫폼) 소속입니다." in page
    assert "이해충돌 없음" in page
    # the peer seats say who fits them and why not
    assert "2년차 플랫폼 몫인데, 소속 플랫폼(종로구 협치플랫폼)은 1년차입니다." in page
    assert "타 자치구 플랫폼 단체장(1년차): 적합" in page  # 종로구, year 1
    assert "해당 없음(플랫폼 소속 아님)" in page  # the city's members
    assert not Seat.objects.exists()


def test_seat_through_the_page(civic, officer):
    url = subject_url(civic)
    response = officer.post(url, {"action": "seat", "member": civic["peer1"].pk,
                                  "seat_code": "peer_year1", "version": version(officer, url)})
    assert response.status_code == 302
    assert Seat.objects.get().member == civic["peer1"]
    page = html(officer.get(url))
    assert "종로단체장 위원을 배정했습니다." in page
    assert "평가단 배정" in page  # the trail, in words


def test_a_conflicted_member_is_refused_on_the_page_with_the_reasons(civic, officer):
    url = subject_url(civic)
    before = state(civic)
    response = officer.post(url, {"action": "seat", "member": civic["insider"].pk,
                                  "seat_code": "expert", "version": version(officer, url)})
    assert response.status_code == 400
    assert "내부자 위원은 이해충돌로 배정할 수 없습니다" in html(response)
    assert state(civic) == before


def test_two_officers_on_the_same_panel_the_second_is_told_who_changed_it(civic, officer):
    url = subject_url(civic)
    second = client_for(civic["officer2"])
    loaded = version(officer, url)
    assert version(second, url) == loaded
    assert officer.post(url, {"action": "seat", "member": civic["district"].pk,
                              "seat_code": "district", "version": loaded}).status_code == 302
    before = state(civic)
    response = second.post(url, {"action": "seat", "member": civic["expert1"].pk,
                                 "seat_code": "district", "version": loaded})
    assert response.status_code == 400
    assert "김주무님이" in html(response) and "변경했습니다. 다시 불러온 뒤 수정하세요." in html(response)
    assert state(civic) == before


def test_unseat_and_lift_through_the_page(civic, officer):
    url = subject_url(civic)
    placed = seat(civic.round, civic.subject, civic["city1"], "city", actor=civic["officer"])
    response = officer.post(url, {"action": "unseat", "seat": placed.pk, "reason": " ",
                                  "version": version(officer, url)})
    assert response.status_code == 400 and "제외 사유" in html(response)
    assert officer.post(url, {"action": "unseat", "seat": placed.pk, "reason": "일정 충돌",
                              "version": version(officer, url)}).status_code == 302
    assert Seat.objects.get().ended_reason == "일정 충돌"
    response = officer.post(url, {"action": "lift", "member": civic["same_district"].pk,
                                  "kind": "same_district", "reason": "구 몫 위원",
                                  "version": version(officer, url)})
    assert response.status_code == 302
    assert ConflictWaiver.objects.get().reason == "구 몫 위원"
    assert "해제됨 — 같은 자치구: 구 몫 위원" in html(officer.get(url))


@pytest.mark.parametrize("data", [
    {"action": "seat", "member": "abc", "seat_code": "city"},
    {"action": "seat", "member": "99999999999999999999", "seat_code": "city"},
    {"action": "seat", "member": "1e30", "seat_code": "city"},
    {"action": "seat", "seat_code": "../city"},
    {"action": "unseat", "seat": "1/2", "reason": "사유"},
    {"action": "unseat", "seat": "999999", "reason": "사유"},
    {"action": "lift", "member": "x", "kind": "same_district", "reason": "사유"},
    {"action": "lift", "kind": "same_organisation", "reason": "사유"},
    {"action": "drop_table"},
    {"action": "seat", "member": "\x00", "seat_code": "\x00"},
])
def test_hostile_posts_are_refused_with_a_message(civic, officer, data):
    url = subject_url(civic)
    before = state(civic)
    response = officer.post(url, {**data, "version": version(officer, url)})
    assert response.status_code == 400
    assert 'role="alert"' in html(response)
    assert state(civic) == before


def test_hostile_reason_text(civic, officer):
    url = subject_url(civic)
    placed = seat(civic.round, civic.subject, civic["city1"], "city", actor=civic["officer"])
    for reason in ("가" * 2001, "a\x00b"):
        response = officer.post(url, {"action": "unseat", "seat": placed.pk, "reason": reason,
                                      "version": version(officer, url)})
        assert response.status_code == 400
    assert Seat.objects.get().ended_at is None


def test_a_stale_or_missing_version_is_refused(civic, officer):
    url = subject_url(civic)
    response = officer.post(url, {"action": "seat", "member": civic["city1"].pk,
                                  "seat_code": "city"})
    assert response.status_code == 400 and "다시 불러온 뒤" in html(response)
    assert not Seat.objects.exists()


def test_the_default_composition_page(civic, officer):
    url = reverse("office:panels_round", args=[civic.round.pk])
    page = html(officer.get(url))
    assert "서대문구 협치플랫폼" in page and "1년차" in page and "행정" in page
    assert officer.post(url, {"action": "template_add", "member": civic["city1"].pk,
                              "seat_code": "city", "version": version(officer, url)}
                        ).status_code == 302
    stale = version(officer, url) - 1
    response = officer.post(url, {"action": "template_add", "member": civic["city2"].pk,
                                  "seat_code": "city", "version": stale})
    assert response.status_code == 400 and "김주무님이" in html(response)
    entry = TemplateEntry.objects.get()
    assert officer.post(url, {"action": "template_remove", "entry": entry.pk,
                              "version": version(officer, url)}).status_code == 302
    assert not TemplateEntry.objects.exists()
    # applied from the subject's page
    add_to_template(civic.round, civic["city1"], "city", actor=civic["officer"])
    add_to_template(civic.round, civic["insider"], "expert", actor=civic["officer"])
    s_url = subject_url(civic)
    response = officer.post(s_url, {"action": "apply", "version": version(officer, s_url)},
                            follow=True)
    page = html(response)
    assert "기본 구성에서 1명을 배정했습니다." in page
    assert "내부자: 내부자 위원은 이해충돌로 배정할 수 없습니다" in page


def test_the_pool_page(civic, officer):
    url = reverse("office:panels_pool")
    assert officer.post(url, {"action": "enrol", "user": civic["not_in_pool"].pk,
                              "position": "주무관"}).status_code == 302
    assert MemberProfile.objects.get(user=civic["not_in_pool"]).position == "주무관"
    response = officer.post(url, {"action": "enrol", "user": civic["contractor"].pk})
    assert response.status_code == 400  # not an evaluator: not offered, refused
    profile = MemberProfile.objects.get(user=civic["city1"])
    loaded = 0  # a form that never saw the enrolment
    response = officer.post(url, {"action": "position", "profile": profile.pk,
                                  "position": "팀장", "version": loaded})
    assert response.status_code == 400 and "변경했습니다" in html(response)
    current = officer.get(url).context["rows"]
    v = next(ver for p, ver, *_ in current if p.pk == profile.pk)
    assert officer.post(url, {"action": "position", "profile": profile.pk, "position": "팀장",
                              "version": v}).status_code == 302
    assert MemberProfile.objects.get(pk=profile.pk).position == "팀장"


# --- who may open what ------------------------------------------------------------------

def _officer_urls(civic):
    return [reverse("office:panels"), reverse("office:panels_pool"),
            reverse("office:panels_round", args=[civic.round.pk]), subject_url(civic)]


@pytest.mark.parametrize("who", ["expert1", "contractor", "department", "committee"])
def test_officer_pages_are_refused_to_everyone_else(civic, who):
    seat(civic.round, civic.subject, civic["expert1"], "expert", actor=civic["officer"])
    c = client_for(civic[who])
    for url in _officer_urls(civic):
        assert c.get(url).status_code == 403, url
        assert c.post(url, {"action": "seat", "member": civic[who].pk,
                            "seat_code": "expert"}).status_code == 403
    assert Seat.objects.count() == 1


def test_anonymous_is_sent_to_log_in(civic):
    for url in [*_officer_urls(civic), reverse("office:panels_mine"),
                reverse("office:panels_challenges")]:
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_subject_outside_the_round_is_not_found(civic, officer):
    from seonggwa.schedules.models import Schedule

    Schedule.objects.filter(round=civic.round, subject=civic.other_subject).delete()
    assert officer.get(subject_url(civic, civic.other_subject)).status_code == 404
    assert officer.get(f"/office/panels/rounds/{civic.round.pk}/999999999/").status_code == 404


# --- the member's page --------------------------------------------------------------------

def test_a_member_sees_only_their_own_panels_and_recuses(civic):
    mine = seat(civic.round, civic.subject, civic["expert1"], "expert", actor=civic["officer"])
    theirs = seat(civic.round, civic.other_subject, civic["expert2"], "expert",
                  actor=civic["officer"])
    member = client_for(civic["expert1"])
    url = reverse("office:panels_mine")
    page = html(member.get(url))
    assert "서대문구 협치플랫폼" in page and "종로구 협치플랫폼" not in page.split(
        "이해관계 신고")[0]
    # another member's seat: refused, nothing changed
    assert member.post(url, {"action": "recuse", "seat": theirs.pk,
                             "reason": "사정"}).status_code == 403
    response = member.post(url, {"action": "recuse", "seat": mine.pk, "reason": ""})
    assert response.status_code == 400 and "회피 사유" in html(response)
    assert member.post(url, {"action": "recuse", "seat": mine.pk,
                             "reason": "지난해 자문"}).status_code == 302
    mine.refresh_from_db()
    assert mine.ended_at is not None and Recusal.objects.get().reason == "지난해 자문"
    recusal = Recusal.objects.get()
    assert member.post(url, {"action": "withdraw_recusal", "recusal": recusal.pk,
                             "reason": "해소"}).status_code == 302
    assert Recusal.objects.get().state == "withdrawn"


def test_a_member_declares_a_conflict_by_organisation_name_or_subject(civic):
    member = client_for(civic["expert2"])
    url = reverse("office:panels_mine")
    assert member.post(url, {"action": "declare", "organisation": "중구 협치플랫폼",
                             "reason": "이사"}).status_code == 302
    assert member.post(url, {"action": "declare", "subject": civic.subject.pk,
                             "reason": "컨설팅"}).status_code == 302
    for data, message in (
            ({"organisation": "없는 기관"}, "등록된 기관 가운데 이 이름이 없습니다"),
            ({}, "둘 중 하나"),
            ({"organisation": "중구 협치플랫폼", "subject": civic.subject.pk}, "둘 중 하나"),
            ({"subject": "abc"}, "평가 대상"),
            ({"organisation": "가" * 201}, "기관명"),
    ):
        response = member.post(url, {"action": "declare", "reason": "사유", **data})
        assert response.status_code == 400 and message in html(response), data
    response = member.post(url, {"action": "declare", "subject": civic.subject.pk,
                                 "reason": "a\x00b"})
    assert response.status_code == 400
    assert DeclaredConflict.objects.count() == 2
    declaration = DeclaredConflict.objects.filter(subject=civic.subject).get()
    other = client_for(civic["expert1"])
    assert other.post(url, {"action": "withdraw_declaration",
                            "declaration": declaration.pk}).status_code == 403
    assert member.post(url, {"action": "withdraw_declaration",
                             "declaration": declaration.pk}).status_code == 302
    assert DeclaredConflict.objects.get(pk=declaration.pk).withdrawn_at is not None


def test_the_members_page_for_others(civic):
    url = reverse("office:panels_mine")
    assert "후보 명단에 등록되어 있지 않습니다" in html(client_for(civic["not_in_pool"]).get(url))
    for who in ("officer", "contractor", "department"):
        assert client_for(civic[who]).get(url).status_code == 403


# --- challenges --------------------------------------------------------------------------

def test_the_evaluated_organisation_challenges_a_member_of_its_own_panel(civic):
    seat(civic.round, civic.subject, civic["expert1"], "expert", actor=civic["officer"])
    seat(civic.round, civic.other_subject, civic["expert2"], "expert", actor=civic["officer"])
    firm = client_for(civic["contractor"])
    url = reverse("office:panels_challenges")
    page = html(firm.get(url))
    assert "한교수" in page and "윤연구위원" not in page  # only its own panel
    form = {"round": civic.round.pk, "subject": civic.subject.pk,
            "member": civic["expert1"].pk, "reason": "공개 비판"}
    # another organisation's subject, or a member not on the panel: refused
    assert firm.post(url, {**form, "subject": civic.other_subject.pk}).status_code == 403
    response = firm.post(url, {**form, "member": civic["expert2"].pk})
    assert response.status_code == 400
    assert firm.post(url, {**form, "reason": ""}).status_code == 400
    assert not Challenge.objects.exists()
    assert firm.post(url, form).status_code == 302
    response = firm.post(url, form)
    assert response.status_code == 400 and "위원마다 한 번" in html(response)
    assert Challenge.objects.count() == 1
    # the other organisation neither sees nor may file it
    other = client_for(civic["other_contractor"])
    assert "서대문구 협치플랫폼" not in html(other.get(url))
    assert other.post(url, form).status_code == 403
    for who in ("expert1", "department", "committee"):
        assert client_for(civic[who]).get(url).status_code == 403


def test_the_officer_decides_a_challenge_once_with_a_reason(civic, officer):
    seat(civic.round, civic.subject, civic["expert1"], "expert", actor=civic["officer"])
    challenge = file_challenge(civic.round, civic.subject, civic["expert1"], reason="공개 비판",
                               actor=civic["contractor"])
    url = reverse("office:panels_challenge", args=[challenge.pk])
    firm = client_for(civic["contractor"])
    assert "공개 비판" in html(firm.get(url))
    assert firm.post(url, {"decision": "accept", "reason": "x"}).status_code == 403
    for who in ("other_contractor", "expert1", "department"):
        assert client_for(civic[who]).get(url).status_code == 403
    loaded = version(officer, url)
    response = officer.post(url, {"decision": "accept", "reason": "", "version": loaded})
    assert response.status_code == 400 and "결정 사유" in html(response)
    response = officer.post(url, {"decision": "maybe", "reason": "x", "version": loaded})
    assert response.status_code == 400
    assert officer.post(url, {"decision": "accept", "reason": "공정성 우려",
                              "version": loaded}).status_code == 302
    challenge.refresh_from_db()
    assert challenge.state == ChallengeState.ACCEPTED
    assert not Seat.objects.filter(ended_at__isnull=True).exists()
    response = officer.post(url, {"decision": "reject", "reason": "번복",
                                  "version": version(officer, url)})
    assert response.status_code in (400, 403)
    assert Challenge.objects.get().state == ChallengeState.ACCEPTED
    page = html(firm.get(url))
    assert "인용" in page and "공정성 우려" in page


def test_two_officers_deciding_the_same_challenge(civic, officer):
    seat(civic.round, civic.subject, civic["expert1"], "expert", actor=civic["officer"])
    challenge = file_challenge(civic.round, civic.subject, civic["expert1"], reason="사유",
                               actor=civic["contractor"])
    url = reverse("office:panels_challenge", args=[challenge.pk])
    second = client_for(civic["officer2"])
    loaded = version(officer, url)
    assert officer.post(url, {"decision": "reject", "reason": "근거 부족",
                              "version": loaded}).status_code == 302
    response = second.post(url, {"decision": "accept", "reason": "인정", "version": loaded})
    assert response.status_code in (400, 403)
    assert Challenge.objects.get().decision_reason == "근거 부족"


# --- no developer words on any panel page ------------------------------------------------

def test_no_panel_page_shows_developer_text(civic):
    seat(civic.round, civic.subject, civic["expert1"], "expert", actor=civic["officer"])
    challenge = file_challenge(civic.round, civic.subject, civic["expert1"], reason="사유",
                               actor=civic["contractor"])
    add_to_template(civic.round, civic["city1"], "city", actor=civic["officer"])
    urls = {
        "officer": [*_officer_urls(civic), reverse("office:panels_challenges"),
                    reverse("office:panels_challenge", args=[challenge.pk])],
        "expert1": [reverse("office:panels_mine")],
        "not_in_pool": [reverse("office:panels_mine")],
        "contractor": [reverse("office:panels_challenges"),
                       reverse("office:panels_challenge", args=[challenge.pk])],
    }
    for language in ("ko", "en"):
        for who, pages in urls.items():
            c = client_for(civic[who])
            c.cookies["django_language"] = language
            for url in pages:
                with translation.override(language):
                    response = c.get(url, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code == 200, (who, url)
                assert developer_text(html(response), korean=language == "ko") == [], (
                    language, who, url)
