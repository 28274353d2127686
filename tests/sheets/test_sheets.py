"""Scoring sheets: the state machine, what a sheet accepts, score integrity, versions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from seonggwa.accounts.models import Role
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import inputs, workflow
from seonggwa.evaluations.domain.assignments import assign
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.inputs import mark_not_applicable
from seonggwa.evaluations.models import Rating
from seonggwa.sheets.domain import integrity
from seonggwa.sheets.domain import sheets as domain
from seonggwa.sheets.models import Sheet, SheetEntry, SheetState, SheetVersion
from sheets.builders import TEXTS, entries, make_user, submitted

pytestmark = pytest.mark.django_db


def _state(sheet) -> str:
    return Sheet.objects.get(pk=sheet.pk).state


def _nothing_stored():
    return not Rating.objects.exists() and not SheetVersion.objects.exists()


# ----------------------------------------------------------------- the state machine


def test_the_machine_as_a_table():
    rows = {(tuple(r["from"]), r["transition"], r["to"], r["needs_reason"])
            for r in domain.MACHINE.table()}
    assert rows == {(("작성 중", "재작성 중"), "제출", "제출", False),
                    (("제출",), "다시 열기", "재작성 중", True)}


def test_draft_is_saved_then_submitted(civic):
    member = civic.members[0]
    sheet = domain.open_sheet(civic.round, civic.subject, member)
    assert sheet.state == SheetState.DRAFT and sheet.evaluator_label == "위원1"
    domain.save_draft(sheet, {"G1": domain.EntryInput(value="4")}, actor=member)
    assert SheetEntry.objects.get(sheet=sheet, indicator="G1").value == 4
    assert not Rating.objects.exists()  # a draft never reaches the ratings
    domain.save_draft(sheet, entries(4, 3), actor=member)
    version = domain.submit(sheet, actor=member)
    assert _state(sheet) == SheetState.SUBMITTED and version.number == 1
    ratings = dict(Rating.objects.values_list("indicator", "value"))
    assert ratings == {"G1": 4, "G2": 3}
    rating = Rating.objects.get(indicator="G1")
    assert rating.evaluator == member and rating.evaluator_label == "위원1"
    actions = list(AuditEvent.objects.filter(object_type="sheets.sheet")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["sheet.open", "sheet.save", "sheet.save", "sheet.submit"]


def test_a_submitted_sheet_is_neither_saved_nor_submitted_again(civic):
    member = civic.members[0]
    version = submitted(civic, civic.members[0], 4, 3)
    sheet = version.sheet
    with pytest.raises(WorkflowError, match="다시 열어 달라고"):
        domain.save_draft(sheet, entries(5, 5), actor=member)
    with pytest.raises(WorkflowError, match="제출 상태에서는 '제출'을\\(를\\) 할 수 없습니다"):
        domain.submit(sheet, actor=member)
    assert SheetVersion.objects.count() == 1
    assert dict(Rating.objects.values_list("indicator", "value")) == {"G1": 4, "G2": 3}


def test_reopen_needs_an_officer_and_a_reason_and_a_submitted_sheet(civic):
    member = civic.members[0]
    sheet = domain.open_sheet(civic.round, civic.subject, member)
    with pytest.raises(WorkflowError, match="작성 중 상태에서는 '다시 열기'"):
        domain.reopen(sheet, reason="재심의", actor=civic.officer)
    domain.save_draft(sheet, entries(4, 3), actor=member)
    domain.submit(sheet, actor=member)
    with pytest.raises(WorkflowError, match="평가담당관만"):
        domain.reopen(sheet, reason="재심의", actor=member)
    with pytest.raises(WorkflowError, match="사유가 필요합니다"):
        domain.reopen(sheet, reason="  ", actor=civic.officer)
    assert _state(sheet) == SheetState.SUBMITTED
    domain.reopen(sheet, reason="이의신청에 따른 재심의", actor=civic.officer)
    assert _state(sheet) == SheetState.REOPENED
    with pytest.raises(WorkflowError, match="재작성 중 상태에서는 '다시 열기'"):
        domain.reopen(sheet, reason="또", actor=civic.officer)
    event = AuditEvent.objects.get(action="sheet.reopen")
    assert event.reason == "이의신청에 따른 재심의" and event.actor == civic.officer


def test_a_reopened_sheet_is_submitted_again_as_a_new_version(civic):
    member = civic.members[0]
    first = submitted(civic, member, 4, 3)
    sheet = first.sheet
    domain.reopen(sheet, reason="재심의", actor=civic.officer)
    # Until the new submission the last submitted ratings stay in force.
    assert dict(Rating.objects.filter(superseded_at__isnull=True)
                .values_list("indicator", "value")) == {"G1": 4, "G2": 3}
    domain.save_draft(sheet, entries(5, 3, G1={"outcomes": "참여 단체 2배"}), actor=member)
    second = domain.submit(sheet, actor=member)
    assert (first.number, second.number) == (1, 2) and second.reason == "재심의"
    assert first.entries["G1"]["value"] == "4" and second.entries["G1"]["value"] == "5"
    assert second.entries["G1"]["outcomes"] == "참여 단체 2배"
    assert _state(sheet) == SheetState.SUBMITTED
    g1 = list(Rating.objects.filter(indicator="G1").order_by("version")
              .values_list("version", "value", "superseded_at"))
    assert [(v, int(x)) for v, x, _at in g1] == [(1, 4), (2, 5)] and g1[0][2] is not None
    # G2 did not change: no new rating version
    assert Rating.objects.filter(indicator="G2").count() == 1


def test_versions_are_never_changed_or_deleted(civic):
    version = submitted(civic, civic.members[0], 4, 3)
    version.entries = {}
    with pytest.raises(RuntimeError):
        version.save()
    with pytest.raises(RuntimeError):
        version.delete()


# ----------------------------------------------------------------- scoring closed


@pytest.mark.parametrize("how", ["result finalised", "round finalised"])
def test_nothing_changes_once_scoring_is_closed(civic, how):
    member, other = civic.members[0], civic.members[1]
    sheet = domain.open_sheet(civic.round, civic.subject, member)
    domain.save_draft(sheet, entries(4, 3), actor=member)
    done = submitted(civic, other, 4, 4).sheet
    from seonggwa.sheets.domain.scoring import record_desk_review

    record_desk_review(civic.round, {civic.subject: {"Q": "80"}}, actor=civic.officer)
    for m in civic.members[2:]:
        submitted(civic, m, 4, 4)
    (result,) = workflow.rescore(civic.round, [civic.subject], actor=civic.officer)
    if how == "result finalised":
        workflow.finalise_result(result, civic.officer)
        reason = "결과가 확정되어 채점이 끝났습니다"
    else:
        workflow.finalise_round(civic.round, civic.officer)
        reason = "확정되어 평가표를 받지 않습니다"
    civic.round.refresh_from_db()
    sheet.refresh_from_db()
    before = AuditEvent.objects.filter(object_type="sheets.sheet").count()
    with pytest.raises(WorkflowError, match=reason):
        domain.save_draft(sheet, entries(5, 5), actor=member)
    with pytest.raises(WorkflowError, match=reason):
        domain.submit(sheet, actor=member)
    with pytest.raises(WorkflowError, match=reason):
        domain.reopen(done, reason="재심의", actor=civic.officer)
    late = make_user(Sheet.evaluator.field.related_model, "late", Role.EVALUATOR, "늦은위원")
    assign(late, civic.round, civic.subject, actor=civic.officer)
    if how == "result finalised":
        with pytest.raises(WorkflowError, match=reason):
            domain.open_sheet(civic.round, civic.subject, late)
    assert _state(sheet) == SheetState.DRAFT and _state(done) == SheetState.SUBMITTED
    assert AuditEvent.objects.filter(object_type="sheets.sheet").count() == before


def test_only_assigned_evaluators_hold_a_sheet(civic):
    with pytest.raises(WorkflowError, match="배정된 평가위원만"):
        domain.open_sheet(civic.round, civic.subject, civic.outsider)
    with pytest.raises(WorkflowError, match="배정된 평가위원만"):
        domain.open_sheet(civic.round, civic.subject, civic.officer)
    assert not Sheet.objects.exists()


def test_an_unassigned_member_can_no_longer_save_or_submit(civic):
    from seonggwa.evaluations.domain.assignments import unassign

    member = civic.members[0]
    sheet = domain.open_sheet(civic.round, civic.subject, member)
    domain.save_draft(sheet, entries(4, 3), actor=member)
    unassign(member, civic.round, civic.subject, actor=civic.officer)
    for act in (lambda: domain.save_draft(sheet, entries(5, 5), actor=member),
                lambda: domain.submit(sheet, actor=member)):
        with pytest.raises(WorkflowError, match="배정된 평가위원만"):
            act()
    assert _nothing_stored()


def test_only_the_author_saves_a_sheet(civic):
    sheet = domain.open_sheet(civic.round, civic.subject, civic.members[0])
    with pytest.raises(WorkflowError, match="본인만"):
        domain.save_draft(sheet, entries(1, 1), actor=civic.members[1])
    with pytest.raises(WorkflowError, match="본인만"):
        domain.submit(sheet, actor=civic.officer)
    assert SheetEntry.objects.filter(sheet=sheet, value__isnull=False).count() == 0


def test_two_members_with_the_same_name_keep_separate_ratings(civic, django_user_model):
    twin = make_user(django_user_model, "twin", Role.EVALUATOR, "위원1")
    assign(twin, civic.round, civic.subject, actor=civic.officer)
    submitted(civic, civic.members[0], 4, 4)
    submitted(civic, twin, 3, 3)
    labels = sorted(Rating.objects.filter(indicator="G1").values_list("evaluator_label",
                                                                      flat=True))
    assert labels == ["위원1", "위원1 (twin)"]


# ----------------------------------------------------------------- bad input


@pytest.mark.parametrize("code, entry, message", [
    ("G1", domain.EntryInput(value="6"), "척도에 없습니다"),
    ("G1", domain.EntryInput(value="3.5"), "척도에 없습니다"),
    ("G1", domain.EntryInput(value="0"), "척도에 없습니다"),
    ("G1", domain.EntryInput(value="1e30"), "올바른 숫자가 아닙니다"),
    ("G1", domain.EntryInput(value="다섯"), "숫자가 아닙니다"),
    ("G1", domain.EntryInput(value="=1+1"), "숫자가 아닙니다"),
    ("G1", domain.EntryInput(value="4", outcomes="성과\x00"), "NUL"),
    ("G1", domain.EntryInput(value="4", limits="가" * 4001), "4,000자까지"),
    ("Q", domain.EntryInput(value="80"), "평가표에 없는 지표"),  # desk review, not a sheet
    ("../G1", domain.EntryInput(value="4"), "평가표에 없는 지표"),
])
def test_bad_input_is_refused_with_the_reason_and_nothing_changes(civic, code, entry, message):
    member = civic.members[0]
    sheet = domain.open_sheet(civic.round, civic.subject, member)
    domain.save_draft(sheet, entries(4, 3), actor=member)
    before = list(SheetEntry.objects.filter(sheet=sheet).order_by("indicator")
                  .values_list("indicator", "value", "outcomes", "limits"))
    with pytest.raises(WorkflowError, match=message):
        domain.save_draft(sheet, {"G2": domain.EntryInput(value="5", **TEXTS), code: entry},
                          actor=member)
    assert list(SheetEntry.objects.filter(sheet=sheet).order_by("indicator")
                .values_list("indicator", "value", "outcomes", "limits")) == before


def test_an_incomplete_sheet_is_not_submitted_and_says_what_is_missing(civic):
    member = civic.members[0]
    sheet = domain.open_sheet(civic.round, civic.subject, member)
    domain.save_draft(sheet, {"G1": domain.EntryInput(value="4", outcomes="성과",
                                                      limits="한계")}, actor=member)
    with pytest.raises(WorkflowError) as caught:
        domain.submit(sheet, actor=member)
    (message,) = caught.value.messages
    assert "G1 연차별 핵심목표 (공통 목표) (개선방향)" in message
    assert "G2 자치구별 핵심목표 (개별 목표) (평점, 성과, 한계, 개선방향)" in message
    assert _state(sheet) == SheetState.DRAFT and _nothing_stored()


def test_a_goal_marked_not_applicable_may_stay_empty(civic):
    member = civic.members[0]
    mark_not_applicable(civic.round, civic.subject, "G2", "올해 개별 목표 없음",
                        actor=civic.officer)
    sheet = domain.open_sheet(civic.round, civic.subject, member)
    domain.save_draft(sheet, {"G1": domain.EntryInput(value="4", **TEXTS)}, actor=member)
    version = domain.submit(sheet, actor=member)
    assert version.entries["G2"]["value"] is None
    assert list(Rating.objects.values_list("indicator", flat=True)) == ["G1"]


# ----------------------------------------------------------------- score integrity


def test_a_rating_at_the_scale_minimum_needs_a_justification(civic):
    member = civic.members[0]
    sheet = domain.open_sheet(civic.round, civic.subject, member)
    domain.save_draft(sheet, entries(1, 3), actor=member)
    with pytest.raises(WorkflowError) as caught:
        domain.submit(sheet, actor=member)
    assert caught.value.messages == [
        "G1 연차별 핵심목표 (공통 목표): 평점 1(매우 미흡)은(는) 척도의 최저점입니다. "
        "이 평점을 준 사유를 적어야 제출할 수 있습니다."]
    assert _nothing_stored()
    domain.save_draft(sheet, entries(1, 3, G1={"justification": "목표 활동이 없었음"}),
                      actor=member)
    assert domain.submit(sheet, actor=member).entries["G1"]["justification"] == "목표 활동이 없었음"


def test_an_outlier_needs_a_justification(civic):
    for m in civic.members[:6]:
        submitted(civic, m, 5, 4)
    last = civic.members[6]
    sheet = domain.open_sheet(civic.round, civic.subject, last)
    domain.save_draft(sheet, entries(2, 4), actor=last)
    with pytest.raises(WorkflowError) as caught:
        domain.submit(sheet, actor=last)
    (message,) = caught.value.messages
    # Others all gave 5: the spread counted is one step (1), the limit 2 × 1 = 2.
    assert message.startswith("G1 연차별 핵심목표 (공통 목표): 평점 2은(는) 다른 위원 6명 평점의 "
                              "평균 5.00에서 3.00 떨어져 있어 기준(편차 1.00의 2배 = 2.00)을 넘습니다.")
    assert not Rating.objects.filter(evaluator=last).exists()
    domain.save_draft(sheet, entries(2, 4, G1={"justification": "면담에서 실적 부풀림 확인"}),
                      actor=last)
    domain.submit(sheet, actor=last)
    assert Rating.objects.get(evaluator=last, indicator="G1").value == 2


def test_two_steps_from_a_unanimous_panel_is_not_an_outlier(civic):
    for m in civic.members[:6]:
        submitted(civic, m, 3, 3)
    assert submitted(civic, civic.members[6], 5, 5).number == 1


def test_the_outlier_rule_uses_the_panels_spread(civic):
    # The other members' ratings as they arrive from an import (the same input path).
    inputs.record_ratings(civic.round, [
        inputs.RatingEntry(civic.subject, "G1", g1, f"위원{i + 1}")
        for i, g1 in enumerate([2, 3, 4, 5, 3, 4])])
    # mean 3.5, population sd 0.957 → limit 1.91: a 5 is within, needs nothing...
    assert submitted(civic, civic.members[6], 5, 4).number == 1
    # A 1 (2.5 from the mean) is both: one reason, the minimum, is asked for.
    sheet = domain.open_sheet(civic.round, civic.subject, civic.members[5])
    assert [f.kind for f in integrity.flags(sheet, civic.round.framework_version.framework,
                                            {"G1": Decimal(1)})] == ["minimum"]


def test_a_framework_without_an_integrity_rule_asks_for_no_justification(outsourcing):
    rnd, subject, institution = outsourcing
    sheet = domain.open_sheet(rnd, subject, institution)
    domain.save_draft(sheet, {"C": domain.EntryInput(value="0"),
                              "I": domain.EntryInput(value="0"),
                              "S": domain.EntryInput(value="0")}, actor=institution)
    assert domain.submit(sheet, actor=institution).number == 1


# ----------------------------------------------------------------- outsourcing


@pytest.fixture
def outsourcing(db, django_user_model):
    """An outsourcing round under the full framework (direct points C 0–30, I 0–50,
    survey S 0–100), scored by an external institution assigned to the whole round."""
    from evaluations.factories import org, service

    from seonggwa.evaluations.domain import frameworks
    from seonggwa.evaluations.domain.subjects import subject_for_service
    from seonggwa.registry.models import OrganisationKind

    officer = make_user(django_user_model, "officer", Role.OFFICER, "김담당")
    rnd = workflow.open_round(2024, 1, framework_version=frameworks.preset_version(
        frameworks.OUTSOURCING_PRESET), actor=officer)
    subject = subject_for_service(service("svc-a", "청소년 상담 사무"))
    workflow.record_result  # noqa: B018 - the subject is scored through sheets only
    kiri = org("한국산업관계연구원", OrganisationKind.INSTITUTION)
    institution = make_user(django_user_model, "kiri", Role.EVALUATOR, "", organisation=kiri)
    assign(institution, rnd, actor=officer)
    rnd.officer = officer
    return rnd, subject, institution


def test_an_institution_scores_direct_points_through_the_same_sheet(outsourcing):
    rnd, subject, institution = outsourcing
    sheet = domain.open_sheet(rnd, subject, institution)
    assert [e.indicator for e in sheet.entries.all()] == ["C", "I", "S"]
    with pytest.raises(WorkflowError, match="척도에 없습니다"):
        domain.save_draft(sheet, {"C": domain.EntryInput(value="30.5")}, actor=institution)
    domain.save_draft(sheet, {"C": domain.EntryInput(value="27.25"),
                              "I": domain.EntryInput(value="45"),
                              "S": domain.EntryInput(value="85")}, actor=institution)
    domain.submit(sheet, actor=institution)
    from seonggwa.sheets.domain.scoring import compute

    (result,) = compute(rnd, actor=rnd.officer)
    assert result.score == Decimal("89.25")  # 27.25 + 45 + 85 / 100 × 20
    assert result.decision_code == "eligible"  # 75-point rule in 2024


def test_a_scoring_period_set_by_the_officer_is_enforced(civic):
    import datetime as dt

    from seonggwa.schedules.domain import windows

    member = civic.members[0]
    sheet = domain.open_sheet(civic.round, civic.subject, member)
    today = windows.current_date()
    windows.set_window(civic.round, None, domain.SCORING_WINDOW, opens_on=today - dt.timedelta(9),
                       due_on=today - dt.timedelta(1), actor=civic.officer,
                       label="평가표 작성 기간")
    with pytest.raises(WorkflowError, match="'평가표 작성 기간' 기한이 .*에 끝났습니다"):
        domain.save_draft(sheet, entries(4, 3), actor=member)
    # a later period for this subject alone reopens scoring of it
    windows.set_window(civic.round, civic.subject, domain.SCORING_WINDOW, opens_on=today,
                       due_on=today + dt.timedelta(3), actor=civic.officer,
                       label="평가표 작성 기간")
    domain.save_draft(sheet, entries(4, 3), actor=member)
    assert domain.submit(sheet, actor=member).number == 1
