"""The sheet pages: a member fills, saves and submits; two sessions on one draft; bad
input over HTTP; versions compared; the officer's progress, desk review, compute and
aggregation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.models import Rating, Result
from seonggwa.sheets.domain import scoring
from seonggwa.sheets.domain import sheets as domain
from seonggwa.sheets.models import Sheet, SheetEntry, SheetState
from sheets.builders import TEXTS, submitted

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def edit_url(world, subject=None):
    return reverse("office:sheets_edit", args=[world.round.pk, (subject or world.subject).pk])


def form(version, action="save", g1="4", g2="3", **extra):
    data = {"version": str(version), "action": action, "G1-value": g1, "G2-value": g2}
    for code in ("G1", "G2"):
        data.update({f"{code}-{k}": v for k, v in TEXTS.items()})
    data.update(extra)
    return data


def version_on_page(response) -> str:
    html = response.content.decode()
    marker = 'name="version" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def test_a_member_saves_then_submits_from_the_page(civic):
    member = civic.members[0]
    c = client_for(member)
    page = c.get(edit_url(civic))
    assert page.status_code == 200
    html = page.content.decode()
    assert "연차별 핵심목표" in html and "5 매우 우수" in html and "성과" in html
    assert not Sheet.objects.exists()  # looking opens nothing
    saved = c.post(edit_url(civic), form(version_on_page(page), g2=""))
    assert saved.status_code == 302
    sheet = Sheet.objects.get()
    assert sheet.state == SheetState.DRAFT and not Rating.objects.exists()
    page = c.get(edit_url(civic))
    assert "임시 저장했습니다" in page.content.decode()
    done = c.post(edit_url(civic), form(version_on_page(page), action="submit"))
    assert done.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED and Rating.objects.count() == 2
    page = c.get(edit_url(civic)).content.decode()
    assert "제출했습니다" in page and "평가담당관이 사유와 함께 다시 열어야" in page


def test_the_second_of_two_sessions_on_one_draft_is_refused(civic):
    member = civic.members[0]
    first, second = client_for(member), client_for(member)
    sheet = domain.open_sheet(civic.round, civic.subject, member)
    domain.save_draft(sheet, {"G1": domain.EntryInput(value="3")}, actor=member)
    loaded_a = version_on_page(first.get(edit_url(civic)))
    loaded_b = version_on_page(second.get(edit_url(civic)))
    assert first.post(edit_url(civic), form(loaded_a, g1="5")).status_code == 302
    refused = second.post(edit_url(civic), form(loaded_b, g1="2"))
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "위원1님이" in html and "변경했습니다. 다시 불러온 뒤 수정하세요." in html
    assert 'value="2" selected' in html  # the second session's input is shown again
    assert SheetEntry.objects.get(sheet=sheet, indicator="G1").value == 5


def test_two_tabs_starting_the_same_new_sheet(civic):
    member = civic.members[0]
    first, second = client_for(member), client_for(member)
    loaded_a = version_on_page(first.get(edit_url(civic)))
    loaded_b = version_on_page(second.get(edit_url(civic)))
    assert loaded_a == loaded_b == "0"
    assert first.post(edit_url(civic), form(loaded_a, g1="5")).status_code == 302
    assert second.post(edit_url(civic), form(loaded_b, g1="2")).status_code == 409
    assert SheetEntry.objects.get(indicator="G1").value == 5


@pytest.mark.parametrize("field, value, message", [
    ("G1-value", "1e30", "올바른 숫자가 아닙니다"),
    ("G1-value", "9", "척도에 없습니다"),
    ("G1-value", "=HYPERLINK(1)", "숫자가 아닙니다"),
    ("G1-outcomes", "성과\x00", "NUL"),
    ("G1-limits", "가" * 5000, "4,000자까지"),
])
def test_bad_input_over_http_is_explained_and_changes_nothing(civic, field, value, message):
    member = civic.members[0]
    c = client_for(member)
    response = c.post(edit_url(civic), form("0", **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SheetEntry.objects.filter(value__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="sheet.save").exists()


def test_submitting_an_outlier_asks_for_the_reason_on_the_page(civic):
    for m in civic.members[:6]:
        submitted(civic, m, 5, 5)
    c = client_for(civic.members[6])
    refused = c.post(edit_url(civic), form("0", action="submit", g1="1", g2="5"))
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "척도의 최저점입니다" in html and "아무것도 바뀌지 않았습니다" in html
    assert 'value="1" selected' in html  # the input is shown again...
    sheet = Sheet.objects.get(evaluator=civic.members[6])  # ...and nothing was stored
    assert sheet.state == SheetState.DRAFT and not sheet.entries.filter(value__isnull=False)
    accepted = c.post(edit_url(civic), form(version_on_page(refused), action="submit", g1="1",
                                            g2="5", **{"G1-justification": "활동 없음"}))
    assert accepted.status_code == 302
    assert Sheet.objects.get(pk=sheet.pk).state == SheetState.SUBMITTED


def test_versions_are_listed_and_compared_with_changes_marked(civic):
    member = civic.members[0]
    sheet = submitted(civic, member, 4, 3).sheet
    domain.reopen(sheet, reason="이의신청 재심의", actor=civic.officer)
    domain.save_draft(sheet, {"G1": domain.EntryInput(value="5", **{**TEXTS, "limits": "없음"}),
                              "G2": domain.EntryInput(value="3", **TEXTS)}, actor=member)
    domain.submit(sheet, actor=member)
    for user in (member, civic.officer):
        c = client_for(user)
        detail = c.get(reverse("office:sheets_detail", args=[sheet.pk])).content.decode()
        assert "제출본 2" in detail and "이의신청 재심의" in detail
        page = c.get(reverse("office:sheets_compare", args=[sheet.pk]) + "?a=1&b=2")
        html = page.content.decode()
        assert page.status_code == 200 and "바뀐 항목 2개" in html
        assert "<mark>4</mark>" in html and "<mark>5</mark>" in html
        assert "<mark>없음</mark>" in html and "<mark>홍보 부족</mark>" in html
        one = c.get(reverse("office:sheets_version", args=[sheet.pk, 1])).content.decode()
        assert "홍보 부족" in one
    c = client_for(member)
    for bad in ("?a=1&b=9", "?a=x&b=1", "?a=1", "?a=-1&b=2"):
        assert c.get(reverse("office:sheets_compare", args=[sheet.pk]) + bad).status_code == 404


def test_synthetic_sheets_say_so_wherever_shown(civic):
    member = civic.members[0]
    sheet = domain.open_sheet(civic.round, civic.subject, member, synthetic=True)
    domain.save_draft(sheet, {c: domain.EntryInput(value="4", **TEXTS) for c in ("G1", "G2")},
                      actor=member)
    domain.submit(sheet, actor=member)
    c = client_for(civic.officer)
    urls = [reverse("office:sheets_detail", args=[sheet.pk]),
            reverse("office:sheets_version", args=[sheet.pk, 1]),
            reverse("office:sheets_round", args=[civic.round.pk])]
    for url in urls:
        assert "합성(시연용) 자료" in c.get(url).content.decode(), url
    mine = client_for(member).get(reverse("office:sheets_mine")).content.decode()
    assert "합성(시연용) 자료" in mine


def test_the_officer_enters_desk_review_computes_and_reads_the_steps(civic):
    for m in civic.members:
        submitted(civic, m, 4, 4)
    c = client_for(civic.officer)
    desk_url = reverse("office:sheets_desk", args=[civic.round.pk])
    page = c.get(desk_url)
    assert page.status_code == 200
    field = f"{civic.subject.pk}-Q"
    bad = c.post(desk_url, {"version": version_on_page(page), field: "101"})
    assert bad.status_code == 400 and "척도에 없습니다" in bad.content.decode()
    ok = c.post(desk_url, {"version": version_on_page(page), field: "88.5"})
    assert ok.status_code == 302
    stale = c.post(desk_url, {"version": version_on_page(page), field: "70"})
    assert stale.status_code == 409 and "변경했습니다" in stale.content.decode()
    round_url = reverse("office:sheets_round", args=[civic.round.pk])
    progress = c.get(round_url)
    html = progress.content.decode()
    assert "모두 제출" in html and "남위원" in html  # the other platform's member has not
    computed = c.post(reverse("office:sheets_compute", args=[civic.round.pk]),
                      {"version": version_on_page(progress), "subject": str(civic.subject.pk)})
    assert computed.status_code == 302
    result = Result.objects.get(subject=civic.subject)
    assert result.score == 168.5 and result.band_code == "excellent"
    steps = c.get(reverse("office:sheets_aggregation", args=[civic.round.pk, civic.subject.pk]))
    html = steps.content.decode()
    assert steps.status_code == 200
    for text in ("위원7", "서면평가", "88.50", "40.00", "168.50", "탁월", "평가위원 평점의 산술평균"):
        assert text in html, text


def test_computing_a_round_with_a_short_panel_explains_why(civic):
    submitted(civic, civic.members[0], 4, 4)
    c = client_for(civic.officer)
    progress = c.get(reverse("office:sheets_round", args=[civic.round.pk]))
    response = c.post(reverse("office:sheets_compute", args=[civic.round.pk]),
                      {"version": version_on_page(progress)}, follow=True)
    assert "채점할 수 없습니다" in response.content.decode()
    assert not Result.objects.exists()


def test_the_officer_reopens_with_a_reason(civic):
    sheet = submitted(civic, civic.members[0], 4, 4).sheet
    c = client_for(civic.officer)
    url = reverse("office:sheets_detail", args=[sheet.pk])
    version = version_on_page(c.get(url))
    empty = c.post(reverse("office:sheets_reopen", args=[sheet.pk]),
                   {"version": version, "reason": ""}, follow=True)
    assert "사유가 필요합니다" in empty.content.decode()
    assert Sheet.objects.get(pk=sheet.pk).state == SheetState.SUBMITTED
    c.post(reverse("office:sheets_reopen", args=[sheet.pk]), {"version": version,
                                                              "reason": "재심의"})
    assert Sheet.objects.get(pk=sheet.pk).state == SheetState.REOPENED


def test_a_closed_subject_shows_why_and_takes_nothing(civic):
    from seonggwa.evaluations.domain import workflow

    for m in civic.members:
        submitted(civic, m, 4, 4)
    scoring.record_desk_review(civic.round, {civic.subject: {"Q": "80"}}, actor=civic.officer)
    (result,) = scoring.compute(civic.round, actor=civic.officer)
    workflow.finalise_result(result, civic.officer)
    c = client_for(civic.members[0])
    page = c.get(edit_url(civic)).content.decode()
    assert "결과가 확정되어 채점이 끝났습니다" in page
    refused = c.post(edit_url(civic), form(version_on_page(c.get(edit_url(civic))), g1="5"))
    assert refused.status_code == 400
    assert SheetEntry.objects.filter(sheet__evaluator=civic.members[0],
                                     indicator="G1").get().value == 4


def test_no_page_shows_developer_text(civic):
    from test_no_developer_text import developer_text

    member = civic.members[0]
    sheet = submitted(civic, member, 4, 3).sheet
    domain.reopen(sheet, reason="재심의", actor=civic.officer)
    domain.save_draft(sheet, {"G1": domain.EntryInput(value="5", **TEXTS)}, actor=member)
    domain.submit(sheet, actor=member)
    for m in civic.members[1:]:
        submitted(civic, m, 4, 4)
    scoring.record_desk_review(civic.round, {civic.subject: {"Q": "80"}}, actor=civic.officer)
    scoring.compute(civic.round, actor=civic.officer)
    rnd, subject = civic.round.pk, civic.subject.pk
    pages = {
        member: [reverse("office:sheets_mine"), edit_url(civic),
                 reverse("office:sheets_detail", args=[sheet.pk]),
                 reverse("office:sheets_version", args=[sheet.pk, 2]),
                 reverse("office:sheets_compare", args=[sheet.pk]) + "?a=1&b=2"],
        civic.officer: [reverse("office:sheets_mine"),
                        reverse("office:sheets_detail", args=[sheet.pk]),
                        reverse("office:sheets_round", args=[rnd]),
                        reverse("office:sheets_desk", args=[rnd]),
                        reverse("office:sheets_aggregation", args=[rnd, subject])],
    }
    for user, urls in pages.items():
        c = client_for(user)
        for url in urls:
            response = c.get(url)
            assert response.status_code == 200, url
            assert developer_text(response.content.decode()) == [], url


def test_the_progress_page_shows_the_scoring_period(civic):
    import datetime as dt

    from seonggwa.schedules.domain import windows

    c = client_for(civic.officer)
    url = reverse("office:sheets_round", args=[civic.round.pk])
    assert "평가표 작성 기간이 정해지지 않았습니다" in c.get(url).content.decode()
    windows.set_window(civic.round, None, domain.SCORING_WINDOW, opens_on=dt.date(2018, 6, 20),
                       due_on=dt.date(2018, 6, 29), actor=civic.officer,
                       label="평가표 작성 기간", reason="평가단 회의일까지")
    html = c.get(url).content.decode()
    assert "평가표 작성 기간: 2018-06-20 ~ 2018-06-29" in html and "평가단 회의일까지" in html
