"""The officer's side of scoring: desk-review scores, who has not finished, computing
results through the one compute path, and the aggregation explained step by step.

- Desk-review scores (the civic platforms' quantitative 100, ``process.integrity.
  desk_review``) go through the one write path of inputs,
  :func:`seonggwa.evaluations.domain.inputs.record_ratings`, under one label
  (:data:`DESK_LABEL`) whoever of the officers enters them: the desk review is one score
  per subject, not one per officer.
- Computing calls :func:`seonggwa.evaluations.domain.workflow.rescore`: the engine decides
  total, grade band and decision, stored as draft results.
- :func:`explain` reads what the engine stored (indicator and area outcomes, the result)
  and the ratings it used; it converts each rating to points with the framework's own
  scale only to show it, and never recomputes a total, a mean, a band or a decision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from seonggwa import engine
from seonggwa.accounts.models import Role
from seonggwa.appeals.models import AppealState
from seonggwa.core.audit import record
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.decisions import decision_label
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.domain.inputs import RatingEntry, record_ratings
from seonggwa.evaluations.models import (
    AreaOutcome,
    Assignment,
    IndicatorOutcome,
    Rating,
    Result,
    Round,
    Status,
    Subject,
)
from seonggwa.sheets.domain.sheets import desk_indicator_codes, scoring_closed
from seonggwa.sheets.models import Sheet, SheetState

#: The evaluator label of desk-review scores (stored data, not a page text).
DESK_LABEL = "서면평가"


# ----------------------------------------------------------------- subjects of a round


def round_subjects(round_: Round):
    """The subjects scored in ``round_``: assigned to someone, holding a sheet, any input
    or a result."""
    ids = (set(Assignment.objects.filter(round=round_, subject__isnull=False)
               .values_list("subject_id", flat=True))
           | set(Sheet.objects.filter(round=round_).values_list("subject_id", flat=True))
           | set(Rating.objects.filter(round=round_).values_list("subject_id", flat=True))
           | set(Result.objects.filter(round=round_).values_list("subject_id", flat=True)))
    return Subject.objects.filter(pk__in=ids).order_by("name", "pk")


# ----------------------------------------------------------------- desk review


@transaction.atomic
def record_desk_review(round_: Round, scores: Mapping[Subject, Mapping[str, object]], *,
                       actor) -> int:
    """Store the desk-review scores given (subject -> indicator -> value; empty values are
    left as they are) through the one input path. Every value is checked against its
    indicator (0–points for direct points) and every subject's scoring must be open; the
    first problem refuses the whole batch. Returns how many values changed."""
    framework = framework_for(round_)
    codes = desk_indicator_codes(framework)
    entries, problems = [], []
    for subject, values in scores.items():
        given = {code: str(v).strip() for code, v in values.items()
                 if v is not None and str(v).strip()}
        if not given:
            continue
        unknown = [c for c in given if c not in codes]
        if unknown:
            problems.append(_("서면평가 지표가 아닙니다: %(codes)s")
                            % {"codes": ", ".join(c[:60] for c in unknown)})
            continue
        closed = scoring_closed(round_, subject)
        if closed:
            problems.append(closed)
            continue
        entries += [RatingEntry(subject, code, value, DESK_LABEL) for code, value in given.items()]
    if problems:
        raise WorkflowError(problems)
    try:
        stored = record_ratings(round_, entries, actor=actor)
    except WorkflowError as exc:
        raise WorkflowError([_("서면평가 점수를 저장하지 못했습니다: %(why)s")
                             % {"why": " ".join(exc.messages)}]) from None
    if stored:
        record("sheets.desk_review", round_, actor=actor, after={
            "scores": [{"subject": r.subject.name, "indicator": r.indicator,
                        "value": r.value} for r in stored]})
    return len(stored)


def desk_scores(round_: Round, subjects: Sequence[Subject]) -> dict[tuple[int, str], Decimal]:
    """Current desk-review scores of ``subjects``: (subject id, indicator) -> value."""
    codes = desk_indicator_codes(framework_for(round_))
    return {(s, c): v for s, c, v in Rating.objects.filter(
        round=round_, subject__in=list(subjects), indicator__in=codes,
        evaluator_label=DESK_LABEL, superseded_at__isnull=True,
    ).values_list("subject_id", "indicator", "value")}


# ----------------------------------------------------------------- progress


@dataclass
class MemberProgress:
    label: str
    state: str | None  # a SheetState, or None: not opened yet
    state_label: str
    sheet_id: int | None = None
    synthetic: bool = False
    assigned: bool = True

    @property
    def finished(self) -> bool:
        return self.state == SheetState.SUBMITTED


@dataclass
class SubjectProgress:
    subject: Subject
    members: list[MemberProgress] = field(default_factory=list)
    desk: list[tuple[str, Decimal | None]] = field(default_factory=list)
    result: Result | None = None
    closed: str | None = None
    held: str | None = None  # why computing it is left out (released, objected, locked)

    @property
    def unfinished(self) -> list[MemberProgress]:
        return [m for m in self.members if m.assigned and not m.finished]

    @property
    def desk_missing(self) -> list[str]:
        return [code for code, value in self.desk if value is None]


def progress(round_: Round, subjects: Sequence[Subject]) -> list[SubjectProgress]:
    """For each of ``subjects`` (a page of the round's): every assigned evaluator and the
    state of their sheet, the desk-review scores entered, and the result so far. A
    handful of queries whatever the number of subjects."""
    subjects = list(subjects)
    ids = [s.pk for s in subjects]
    assigned = (Assignment.objects.filter(round=round_, user__profile__role=Role.EVALUATOR,
                                          user__is_active=True)
                .filter(Q(subject__isnull=True) | Q(subject_id__in=ids))
                .select_related("user"))
    whole, by_subject = [], defaultdict(list)
    for a in assigned:
        (whole if a.subject_id is None else by_subject[a.subject_id]).append(a.user)
    sheets = {(s.subject_id, s.evaluator_id): s
              for s in Sheet.objects.filter(round=round_, subject_id__in=ids)}
    desk_codes = desk_indicator_codes(framework_for(round_))
    desk = desk_scores(round_, subjects)
    results = {r.subject_id: r for r in Result.objects.filter(round=round_, subject_id__in=ids)}
    states = dict(SheetState.choices)
    rows = []
    for subject in subjects:
        row = SubjectProgress(subject, result=results.get(subject.pk))
        users = {u.pk: u for u in (*whole, *by_subject[subject.pk])}
        for user in sorted(users.values(), key=lambda u: (u.get_full_name(), u.username)):
            sheet = sheets.pop((subject.pk, user.pk), None)
            row.members.append(_member(user.get_full_name() or user.get_username(), sheet,
                                       states, assigned=True))
        for (subject_id, _user), sheet in list(sheets.items()):
            if subject_id == subject.pk:  # a sheet of a member no longer assigned
                row.members.append(_member(sheet.evaluator_label, sheet, states, assigned=False))
        row.desk = [(code, desk.get((subject.pk, code))) for code in desk_codes]
        if row.result is not None and row.result.is_locked:
            row.closed = row.result.get_status_display()
        rows.append(row)
    held = {h.subject.pk: h.why for h in held_back(round_, subjects)}
    for row in rows:
        row.held = held.get(row.subject.pk)
    return rows


def _member(label: str, sheet: Sheet | None, states, *, assigned: bool) -> MemberProgress:
    if sheet is None:
        return MemberProgress(label, None, _("시작 안 함"), assigned=assigned)
    return MemberProgress(label, sheet.state, str(states[sheet.state]), sheet.pk,
                          sheet.synthetic, assigned)


def round_counts(round_: Round) -> dict[str, int]:
    """Sheets of the round by state (for the round's summary line)."""
    counts = dict.fromkeys(SheetState.values, 0)
    for state in Sheet.objects.filter(round=round_).values_list("state", flat=True):
        counts[state] += 1
    return counts


# ----------------------------------------------------------------- compute


@dataclass(frozen=True)
class LeftOut:
    """A subject a round-wide computation does not touch, and why (in Korean)."""

    subject: Subject
    why: str


@dataclass
class Computed:
    results: list[Result]
    left_out: list[LeftOut]


def _why_held(name: str, status: str, appeal_state: str | None, notified_on) -> str | None:
    """Why a result in ``status`` with its objection process in ``appeal_state`` (None:
    never released) is not to be recomputed, or ``None``. The appeals process refuses
    changing a notified or final result (``workflow.RESULT_GUARDS``); an objected one
    changes only through the panel's re-review, never by a round-wide computation."""
    if appeal_state == AppealState.NOTIFIED:
        return _("'%(name)s': %(on)s에 결과가 통보되어 이의신청 기간 중입니다. 기간이 끝나면 "
                 "자동으로 확정됩니다.") % {"name": name, "on": notified_on.isoformat()}
    if appeal_state == AppealState.OBJECTED:
        return _("'%(name)s': 이의신청이 접수되었습니다. 결과는 평가단 재심의에서만 "
                 "바뀝니다.") % {"name": name}
    if appeal_state == AppealState.FINAL:
        return _("'%(name)s': 이의신청 절차를 마치고 최종 확정되어 잠겼습니다.") % {"name": name}
    if status in (Status.FINALISED, Status.PUBLISHED):
        return _("'%(name)s': 결과가 %(status)s되었습니다. 바꾸려면 결과 화면에서 사유와 함께 "
                 "정정합니다.") % {"name": name, "status": Status(status).label}
    return None


def held_back(round_: Round, subjects: Sequence[Subject]) -> list[LeftOut]:
    """Those of ``subjects`` whose result is released (notified, objected), final or
    locked, each with the reason: one query whatever their number."""
    by_id = {s.pk: s for s in subjects}
    rows = (Result.objects.filter(round=round_, subject_id__in=list(by_id))
            .values_list("subject_id", "status", "appeal__state", "appeal__notified_on")
            .order_by())
    held = []
    for subject_id, status, appeal_state, notified_on in rows:
        subject = by_id[subject_id]
        why = _why_held(subject.name, status, appeal_state, notified_on)
        if why:
            held.append(LeftOut(subject, why))
    return sorted(held, key=lambda h: (h.subject.name, h.subject.pk))


def compute_round(round_: Round, *, actor) -> Computed:
    """Draft results of every subject of the round with inputs, except those
    :func:`held_back` (named with the reason, not refused: the others are computed)."""
    candidates = workflow.subjects_with_inputs(round_)
    if not candidates:
        raise WorkflowError(_("계산할 평가 대상이 없습니다: 제출된 평가표나 입력된 점수가 없습니다."))
    left_out = held_back(round_, candidates)
    skipped = {h.subject.pk for h in left_out}
    subjects = [s for s in candidates if s.pk not in skipped]
    results = workflow.rescore(round_, subjects, actor=actor) if subjects else []
    return Computed(results, left_out)


def compute(round_: Round, subjects: Sequence[Subject] | None = None, *, actor) -> list[Result]:
    """Draft results from the stored inputs through the one compute path: of
    ``subjects`` (each refused with the reason when its scoring is closed or its result
    is held back), or without them of the round (:func:`compute_round`)."""
    if subjects is None:
        computed = compute_round(round_, actor=actor)
        if not computed.results:
            raise WorkflowError([_("계산할 평가 대상이 없습니다: 모든 결과가 통보되었거나 "
                                   "확정되었습니다."), *(h.why for h in computed.left_out)])
        return computed.results
    for subject in subjects:
        closed = scoring_closed(round_, subject)
        if closed:
            raise WorkflowError(closed)
    held = held_back(round_, subjects)
    if held:
        raise WorkflowError([h.why for h in held])
    if not subjects:
        raise WorkflowError(_("계산할 평가 대상이 없습니다: 제출된 평가표나 입력된 점수가 없습니다."))
    return workflow.rescore(round_, list(subjects), actor=actor)


# ----------------------------------------------------------------- explanation


def method_text(framework: engine.Framework) -> str:
    known = {"mean": _("평가위원 평점의 산술평균"),
             "trimmed_mean": _("가장 높은 평점과 가장 낮은 평점을 하나씩 빼고 나머지의 평균"),
             "median": _("평가위원 평점의 중앙값(짝수면 가운데 두 값의 평균)")}
    return known.get(framework.panel_method, framework.panel_method)


def conversion_text(scale: engine.Scale | None) -> str:
    """How the framework's scale turns a rating into points, in words."""
    if scale is None:
        return ""
    low, high = f"{scale.min:g}", f"{scale.max:g}"
    if scale.conversion == "ratio":
        return _("환산 점수 = 평점 ÷ %(max)s × 배점") % {"max": high}
    if scale.conversion == "linear":
        return _("환산 점수 = (평점 − %(min)s) ÷ (%(max)s − %(min)s) × 배점") % {
            "min": low, "max": high}
    pairs = ", ".join(f"{k:g} → {v:g}" for k, v in sorted(scale.table.items()))
    return _("환산 점수 = 환산표(%(pairs)s) × 배점") % {"pairs": pairs}


@dataclass
class RaterRow:
    label: str
    value: Decimal
    value_label: str
    points: float
    trimmed: bool = False
    synthetic: bool = False
    desk: bool = False


@dataclass
class IndicatorStep:
    indicator: engine.Indicator
    outcome: IndicatorOutcome | None
    rows: list[RaterRow]
    rule: str


@dataclass
class AreaStep:
    area: engine.Area
    indicators: list[IndicatorStep]
    outcome: AreaOutcome | None


@dataclass
class Explanation:
    result: Result
    framework: engine.Framework
    areas: list[AreaStep]
    method: str
    min_panel: int
    stale: bool
    band_label: str
    decision_label: str


def _ratings_used(result: Result):
    """The ratings the engine scored: current when the result was computed."""
    decided = result.decided_at
    qs = Rating.objects.filter(round_id=result.round_id, subject_id=result.subject_id)
    if decided is None:
        return qs.filter(superseded_at__isnull=True)
    return qs.filter(entered_at__lte=decided).filter(
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=decided))


def _trimmed(rows: list[RaterRow], framework: engine.Framework) -> None:
    """Mark the highest and the lowest rating the trimmed mean leaves out (one each)."""
    if framework.panel_method != "trimmed_mean" or len(rows) < 3:
        return
    max(rows, key=lambda r: r.value).trimmed = True
    min(reversed(rows), key=lambda r: r.value).trimmed = True


def explain(result: Result) -> Explanation:
    """How the engine arrived at ``result``, read from what it stored."""
    framework = result.framework
    outcomes = {o.indicator: o for o in result.indicator_outcomes.all()}
    area_outcomes = {o.area: o for o in result.area_outcomes.all()}
    synthetic = dict(Sheet.objects.filter(round_id=result.round_id, subject_id=result.subject_id)
                     .values_list("evaluator_label", "synthetic"))
    by_indicator = defaultdict(list)
    for rating in _ratings_used(result).order_by("evaluator_label"):
        by_indicator[rating.indicator].append(rating)
    areas = []
    for area in framework.areas:
        steps = []
        for ind in area.indicators:
            rows = []
            for rating in by_indicator.get(ind.code, []):
                value = float(rating.value)
                fraction = float(ind.scale.to_fraction(np.array([value]))[0]) if ind.scale else 0
                rows.append(RaterRow(
                    rating.evaluator_label, rating.value,
                    (ind.scale.label_of(value) or "") if ind.scale else "",
                    fraction * ind.points, synthetic=synthetic.get(rating.evaluator_label, False),
                    desk=rating.evaluator_label == DESK_LABEL))
            _trimmed(rows, framework)
            steps.append(IndicatorStep(ind, outcomes.get(ind.code), rows,
                                       conversion_text(ind.scale)))
        areas.append(AreaStep(area, steps, area_outcomes.get(area.code)))
    stale = result.decided_at is not None and Rating.objects.filter(
        round_id=result.round_id, subject_id=result.subject_id,
        entered_at__gt=result.decided_at).exists()
    bands = {b.code: b.label for b in framework.bands}
    return Explanation(
        result=result, framework=framework, areas=areas, method=method_text(framework),
        min_panel=framework.min_panel, stale=stale,
        band_label=bands.get(result.band_code, ""),
        decision_label=decision_label(result.decision_code, framework))

