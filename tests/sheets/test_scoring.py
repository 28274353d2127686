"""The officer's side: desk-review scores, progress, compute through the one path (equal
to the engine on the same inputs), and the aggregation explained from what was stored."""

from __future__ import annotations

import copy
from decimal import Decimal

import numpy as np
import pytest

from seonggwa import engine
from seonggwa.accounts.models import Role
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import frameworks, workflow
from seonggwa.evaluations.domain.assignments import assign
from seonggwa.evaluations.domain.decisions import decision_date
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.models import Rating, Result, Status
from seonggwa.sheets.domain import scoring
from seonggwa.sheets.domain import sheets as domain
from sheets.builders import civic_round, make_user, platform, submitted

pytestmark = pytest.mark.django_db

G1 = [4, 5, 4, 3, 4, 5, 4]
G2 = [3, 3, 4, 4, 3, 4, 3]


def _panel(world, g1=G1, g2=G2, q="85"):
    if q is not None:
        scoring.record_desk_review(world.round, {world.subject: {"Q": q}}, actor=world.officer)
    for member, a, b in zip(world.members, g1, g2, strict=True):
        submitted(world, member, a, b)


def test_desk_review_goes_through_the_input_path_under_one_label(civic, django_user_model):
    second = make_user(django_user_model, "officer2", Role.OFFICER, "박담당")
    assert scoring.record_desk_review(civic.round, {civic.subject: {"Q": "85"}},
                                      actor=civic.officer) == 1
    scoring.record_desk_review(civic.round, {civic.subject: {"Q": "87.5"}}, actor=second)
    rows = list(Rating.objects.filter(indicator="Q").order_by("version")
                .values_list("evaluator_label", "value", "superseded_at", "entered_by"))
    assert [(label, v) for label, v, _at, _by in rows] == [
        ("서면평가", Decimal(85)), ("서면평가", Decimal("87.5"))]
    assert rows[0][2] is not None and rows[1][3] == second.pk
    assert AuditEvent.objects.filter(action="sheets.desk_review").count() == 2
    # empty values leave the stored score alone
    assert scoring.record_desk_review(civic.round, {civic.subject: {"Q": " "}},
                                      actor=civic.officer) == 0


@pytest.mark.parametrize("values, message", [
    ({"Q": "100.5"}, "척도에 없습니다"),
    ({"Q": "-1"}, "척도에 없습니다"),
    ({"Q": "1e30"}, "올바른 숫자가 아닙니다"),
    ({"Q": "팔십"}, "숫자가 아닙니다"),
    ({"G1": "4"}, "서면평가 지표가 아닙니다"),
])
def test_bad_desk_review_scores_are_refused_and_nothing_stored(civic, values, message):
    with pytest.raises(WorkflowError, match=message):
        scoring.record_desk_review(civic.round, {civic.other: {"Q": "80"},
                                                 civic.subject: values}, actor=civic.officer)
    assert not Rating.objects.exists()


def test_progress_says_who_has_not_finished(civic):
    submitted(civic, civic.members[0], 4, 4)
    domain.open_sheet(civic.round, civic.subject, civic.members[1])
    rows = {r.subject.pk: r for r in scoring.progress(
        civic.round, list(scoring.round_subjects(civic.round)))}
    mine = rows[civic.subject.pk]
    states = {m.label: m.state_label for m in mine.members}
    assert states["위원1"] == "제출" and states["위원2"] == "작성 중"
    assert states["위원3"] == "시작 안 함"
    assert [m.label for m in mine.unfinished] == [f"위원{i}" for i in range(2, 8)]
    assert mine.desk_missing == ["Q"]
    other = rows[civic.other.pk]
    assert [m.label for m in other.members] == ["남위원"]


def test_compute_equals_the_engine_on_the_same_inputs(civic):
    _panel(civic)
    (result,) = scoring.compute(civic.round, [civic.subject], actor=civic.officer)
    framework = civic.round.framework_version.framework
    ratings = np.full((1, 3, 7), np.nan)
    ratings[0, 0, 0] = 85
    ratings[0, 1, :] = G1
    ratings[0, 2, :] = G2
    expected = engine.score_batch(framework, engine.BatchInput(subject_ids=("x",),
                                                               ratings=ratings),
                                  on_date=decision_date(civic.round))
    assert result.status == Status.DRAFT
    assert result.score == Decimal(engine.format_fixed(float(expected.total_rounded[0]), 2))
    assert result.band_code == framework.bands[int(expected.band_index[0])].code == "good"
    assert result.decision_code == ""
    points = dict(result.indicator_outcomes.values_list("indicator", "points"))
    for j, code in enumerate(framework.indicator_codes):
        assert float(points[code]) == pytest.approx(expected.indicator_points[0, j], abs=1e-6)


def test_a_panel_below_the_frameworks_minimum_is_not_computed(civic):
    scoring.record_desk_review(civic.round, {civic.subject: {"Q": "85"}}, actor=civic.officer)
    for member in civic.members[:3]:
        submitted(civic, member, 4, 4)
    with pytest.raises(WorkflowError, match="채점할 수 없습니다"):
        scoring.compute(civic.round, [civic.subject], actor=civic.officer)
    assert not Result.objects.exists()


def test_computing_the_round_leaves_finalised_results_alone(civic):
    _panel(civic)
    (result,) = scoring.compute(civic.round, actor=civic.officer)
    workflow.finalise_result(result, civic.officer)
    with pytest.raises(WorkflowError, match="계산할 평가 대상이 없습니다"):
        scoring.compute(civic.round, actor=civic.officer)
    with pytest.raises(WorkflowError, match="확정되어 채점이 끝났습니다"):
        scoring.compute(civic.round, [civic.subject], actor=civic.officer)


def test_the_explanation_reads_what_the_engine_stored(civic):
    _panel(civic)
    (result,) = scoring.compute(civic.round, [civic.subject], actor=civic.officer)
    x = scoring.explain(result)
    assert not x.stale and x.band_label == "양호" and x.method == "평가위원 평점의 산술평균"
    steps = {s.indicator.code: s for a in x.areas for s in a.indicators}
    g1 = steps["G1"]
    assert [(r.label, int(r.value), r.points) for r in g1.rows][:2] == [
        ("위원1", 4, 40.0), ("위원2", 5, 50.0)]
    assert g1.rows[0].value_label == "우수"
    assert g1.outcome.points == Decimal("41.428571") and g1.outcome.panel_count == 7  # 29/7 × 10
    assert [r.desk for r in steps["Q"].rows] == [True]
    assert not any(r.trimmed for r in g1.rows)
    # a rating changed after computing: the page says the result is stale
    sheet = domain.open_sheet(civic.round, civic.subject, civic.members[0])
    domain.reopen(sheet, reason="재심의", actor=civic.officer)
    domain.save_draft(sheet, {"G1": domain.EntryInput(value="5", outcomes="a", limits="b",
                                                      improvements="c")},
                      actor=civic.members[0])
    domain.submit(sheet, actor=civic.members[0])
    again = scoring.explain(Result.objects.get(pk=result.pk))
    assert again.stale
    # ...and still shows the ratings the engine used
    assert int(next(r.value for a in again.areas for s in a.indicators
                    for r in s.rows if s.indicator.code == "G1" and r.label == "위원1")) == 4


def test_a_trimmed_mean_shows_what_was_trimmed(db, django_user_model):
    document = copy.deepcopy(dict(frameworks.bundled_preset("seoul-civic-platform-2018").document))
    # The key goals only (a desk-review score, one rating, cannot be trimmed), 100 points.
    document.update(version="2018-trimmed", total=100, areas=document["areas"][1:],
                    panel={**document["panel"], "method": "trimmed_mean"},
                    bands=[{"code": "good", "label": "양호", "lower": 60, "upper": 100},
                           {"code": "poor", "label": "미흡", "lower": 0, "upper": 60,
                            "decision": "discontinue"}],
                    process={"integrity": {"outlier_sd": 2, "justify_minimum": True}})
    version = frameworks.import_framework_version(document)
    officer = make_user(django_user_model, "officer", Role.OFFICER, "김담당")
    rnd = civic_round(2019)
    frameworks.set_round_framework(rnd, version)
    rnd.refresh_from_db()
    subject = platform("다구 시민협력플랫폼")
    from sheets.builders import Civic

    world = Civic(round=rnd, subject=subject, other=None, officer=officer)
    for i in range(7):
        member = make_user(django_user_model, f"m{i}", Role.EVALUATOR, f"위원{i + 1}")
        assign(member, rnd, subject, actor=officer)
        world.members.append(member)
    _panel(world, g1=[3, 4, 4, 5, 4, 3, 4], g2=[4] * 7, q=None)
    (result,) = scoring.compute(rnd, [subject], actor=officer)
    x = scoring.explain(result)
    g1 = next(s for a in x.areas for s in a.indicators if s.indicator.code == "G1")
    trimmed = [(r.label, int(r.value)) for r in g1.rows if r.trimmed]
    assert trimmed == [("위원4", 5), ("위원6", 3)]
    # the engine's trimmed mean: (3+4+4+4+4) / 5 = 3.8 → 38 of 50
    assert g1.outcome.points == Decimal(38)
    assert "빼고" in x.method


def test_synthetic_sheets_are_marked_in_versions_and_the_explanation(civic):
    for i, member in enumerate(civic.members):
        sheet = domain.open_sheet(civic.round, civic.subject, member, synthetic=i == 0)
        domain.save_draft(sheet, {c: domain.EntryInput(value="4", outcomes="a", limits="b",
                                                       improvements="c")
                                  for c in ("G1", "G2")}, actor=member)
        version = domain.submit(sheet, actor=member)
        assert version.synthetic is (i == 0)
    scoring.record_desk_review(civic.round, {civic.subject: {"Q": "70"}}, actor=civic.officer)
    (result,) = scoring.compute(civic.round, actor=civic.officer)
    rows = [r for a in scoring.explain(result).areas for s in a.indicators for r in s.rows
            if s.indicator.code == "G1"]
    assert [r.synthetic for r in rows] == [True] + [False] * 6
