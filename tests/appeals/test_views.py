"""The appeals pages as each person uses them: the officer reviews and releases, the
organisation reads its notice and objects, the officer records the re-review. Refusals
are explained and change nothing; no page shows developer text."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from test_no_developer_text import developer_text

from appeals.factories import pdf
from appeals.helpers import appeal_of, object_, release
from seonggwa.appeals.models import Appeal, AppealState, Notice, Objection, Outcome
from seonggwa.evaluations.models import Status


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _clean(response):
    html = response.content.decode()
    assert developer_text(html) == [], developer_text(html)
    return html


def test_the_officer_reviews_every_message_then_releases_them_together(world):
    officer = client_for(world.officer)
    url = reverse("office:appeals_release", args=[world.round.pk])
    html = _clean(officer.get(url))
    assert "결과 2건 함께 통보" in html
    assert "마포구 시민협력플랫폼" in html and "160.00" in html and "양호" in html
    assert "2018-07-04" in html and "mapo" in html
    response = officer.post(url, {"count": "2"})
    assert response.status_code == 302
    assert Appeal.objects.count() == 2 and Notice.objects.filter(user=world.mapo_user).exists()
    html = _clean(officer.get(url))
    assert "통보를 기다리는 결과가 없습니다" in html


def test_a_release_confirmed_on_a_stale_count_is_refused_with_409(world):
    response = client_for(world.officer).post(
        reverse("office:appeals_release", args=[world.round.pk]), {"count": "5"})
    assert response.status_code == 409
    assert "5건에서 2건으로 바뀌었습니다" in response.content.decode()
    assert not Appeal.objects.exists()
    bad = client_for(world.officer).post(
        reverse("office:appeals_release", args=[world.round.pk]), {"count": "1e30"})
    assert bad.status_code == 409 and not Appeal.objects.exists()


@pytest.mark.parametrize("who", ["mapo_user", "evaluator", "outsider"])
def test_only_officers_release(world, who):
    response = client_for(getattr(world, who)).get(
        reverse("office:appeals_release", args=[world.round.pk]))
    assert response.status_code == 403


def test_the_organisation_reads_its_notice_and_objects_with_a_file(world):
    release(world)
    mapo = client_for(world.mapo_user)
    html = _clean(mapo.get(reverse("office:appeals_notices")))
    assert "읽지 않음 1" in html and "[평가 결과 통보] 마포구 시민협력플랫폼" in html
    appeal = appeal_of(world.mapo)
    case = reverse("office:appeals_case", args=[appeal.pk])
    html = _clean(mapo.get(case))
    assert "이의신청 제출" in html and "2018-07-04" in html
    version = mapo.get(case).context["version"]
    response = mapo.post(case, {"form": "objection", "version": version,
                                "reasons": "G2 판단 근거가 부족합니다.",
                                "files": [pdf("근거.pdf")]})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == AppealState.OBJECTED
    html = _clean(mapo.get(case))
    assert "G2 판단 근거가 부족합니다." in html and "근거.pdf" in html
    file_url = reverse("office:appeals_file", args=[appeal.pk, appeal.objection.files.get().pk])
    assert mapo.get(file_url).status_code == 200
    assert client_for(world.officer).get(file_url).status_code == 200
    assert client_for(world.eunpyeong_user).get(file_url).status_code == 404


def test_two_sessions_object_at_once_the_second_is_refused_with_who_and_when(world):
    release(world)
    appeal = appeal_of(world.mapo)
    case = reverse("office:appeals_case", args=[appeal.pk])
    first, second = client_for(world.mapo_user), client_for(world.mapo_user2)
    loaded = [c.get(case).context["version"] for c in (first, second)]
    assert first.post(case, {"form": "objection", "version": loaded[0],
                             "reasons": "첫째"}).status_code == 302
    response = second.post(case, {"form": "objection", "version": loaded[1],
                                  "reasons": "둘째"})
    assert response.status_code == 409
    assert "mapo님이" in response.content.decode()
    assert Objection.objects.get().reasons == "첫째"


def test_hostile_reasons_are_explained_and_nothing_is_stored(world):
    release(world)
    appeal = appeal_of(world.mapo)
    case = reverse("office:appeals_case", args=[appeal.pk])
    mapo = client_for(world.mapo_user)
    version = mapo.get(case).context["version"]
    for reasons in ("이의\x00", "=HYPERLINK(\"x\")" + "가" * 6000):
        response = mapo.post(case, {"form": "objection", "version": version,
                                    "reasons": reasons})
        assert response.status_code == 400
    assert not Objection.objects.exists()


def test_another_organisation_cannot_see_or_object(world):
    release(world)
    case = reverse("office:appeals_case", args=[appeal_of(world.mapo).pk])
    other = client_for(world.eunpyeong_user)
    assert other.get(case).status_code == 404
    assert other.post(case, {"form": "objection", "reasons": "남의 이름"}).status_code == 404
    officer = client_for(world.officer)
    assert officer.post(case, {"form": "objection", "reasons": "대신"}).status_code == 403
    assert not Objection.objects.exists()


def test_the_officer_records_a_revision_and_the_result_is_final(world):
    release(world)
    appeal = appeal_of(world.mapo)
    object_(world, appeal)
    officer = client_for(world.officer)
    case = reverse("office:appeals_case", args=[appeal.pk])
    page = officer.get(case)
    html = _clean(page)
    assert "재심의 결과 기록" in html and "연차별 핵심목표" in html
    cells = {(c.indicator, c.evaluator): c.field for c in page.context["cells"]}
    data = {"form": "decision", "version": page.context["version"],
            "outcome": Outcome.REVISED, "reason": "증빙 확인 후 상향",
            cells[("G1", "위원1")]: "5"}
    assert officer.post(case, data).status_code == 302
    world.mapo.refresh_from_db()
    assert world.mapo.status == Status.FINALISED and str(world.mapo.score) == "161.43"
    html = _clean(officer.get(case))
    assert "잠김" in html and "재심의: 수정" in html and "결과 잠금" in html


def test_an_upheld_decision_without_a_reason_is_explained(world):
    release(world)
    appeal = appeal_of(world.mapo)
    object_(world, appeal)
    officer = client_for(world.officer)
    case = reverse("office:appeals_case", args=[appeal.pk])
    version = officer.get(case).context["version"]
    response = officer.post(case, {"form": "decision", "version": version,
                                   "outcome": Outcome.UPHELD, "reason": ""})
    assert response.status_code == 400
    appeal.refresh_from_db()
    assert appeal.state == AppealState.OBJECTED


def test_the_index_lists_what_each_person_may_see(world):
    release(world)
    assert "마포구 시민협력플랫폼" in _clean(client_for(world.officer).get(
        reverse("office:appeals_index")))
    html = _clean(client_for(world.mapo_user).get(reverse("office:appeals_index")))
    assert "마포구 시민협력플랫폼" in html and "은평구" not in html
    html = client_for(world.evaluator).get(reverse("office:appeals_index")).content.decode()
    assert "통보한 결과가 없습니다" in html


def test_notices_are_marked_read_one_or_all_and_only_ones_own(world):
    release(world)
    object_(world, appeal_of(world.mapo))
    mapo = client_for(world.mapo_user)
    mine = Notice.objects.get(user=world.mapo_user)
    theirs = Notice.objects.filter(user=world.officer).first()
    mapo.post(reverse("office:appeals_notices"), {"notice": str(theirs.pk)})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    mapo.post(reverse("office:appeals_notices"), {"notice": str(mine.pk)})
    mine.refresh_from_db()
    assert mine.read_at is not None
    officer = client_for(world.officer)
    officer.post(reverse("office:appeals_notices"), {})
    assert not Notice.objects.filter(user=world.officer, read_at__isnull=True).exists()
    response = officer.post(reverse("office:appeals_notices"), {"notice": "abc"}, follow=True)
    assert "알림을 찾을 수 없습니다" in response.content.decode()


def test_notices_need_a_login(client, world):
    response = client.get(reverse("office:appeals_notices"))
    assert response.status_code == 302 and "login" in response["Location"]
