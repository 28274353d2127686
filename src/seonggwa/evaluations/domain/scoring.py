"""The one compute path: stored inputs → ``engine.score_batch`` → stored outcomes.

Nothing else in the app computes a score, a band or a decision. A round is scored in one
call (:func:`compute`): its stored ratings, measurements, not-applicable marks and
classification overrides become the engine's :class:`~seonggwa.engine.BatchInput`; a
single subject is a batch of one. :func:`store_outcomes` writes what the engine returned —
the total on the framework's scale, rounded by the framework's rule, the band, the
decision code, the per-area and per-indicator outcomes — onto results, creating or
updating them, with one audit record per changed result.

The evaluation's date decides the threshold policy: the round's start date, else
1 January of its year (never today's date).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from seonggwa import engine
from seonggwa.core.audit import record_many
from seonggwa.evaluations.domain import decisions
from seonggwa.evaluations.domain.decisions import decision_date
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.models import (
    AreaOutcome,
    ClassificationOverride,
    IndicatorOutcome,
    Measurement,
    NotApplicable,
    Rating,
    Result,
    Round,
    Status,
    Subject,
)
from seonggwa.registry.models import Organisation, Service


def _float(value) -> float:
    return np.nan if value is None else float(value)


def build_batch(framework: engine.Framework, round_: Round,
                subjects: Sequence[Subject]) -> engine.BatchInput:
    """The engine's batch for ``subjects`` of ``round_``, from their stored inputs.

    Panel indicators take every evaluator's current rating (slots in any order: the
    engine's aggregations do not depend on slot order); quantitative indicators their
    actual and per-subject target (NaN = the framework's target).
    """
    row_of = {s.pk: i for i, s in enumerate(subjects)}
    n = len(subjects)
    panel_col = {code: j for j, code in enumerate(framework.panel_codes)}
    quant_col = {code: j for j, code in enumerate(framework.quantitative_codes)}
    ind_col = framework.indicator_index
    kp, kq, k = len(panel_col), len(quant_col), len(ind_col)
    subject_ids = [s.pk for s in subjects]

    by_cell: dict[tuple[int, int], list[float]] = defaultdict(list)
    ratings = (Rating.objects.filter(round=round_, superseded_at__isnull=True,
                                     subject_id__in=subject_ids)
               .values_list("subject_id", "indicator", "value"))
    for subject_id, code, value in ratings.iterator(chunk_size=5000):
        if code not in panel_col:
            raise WorkflowError(_("평가틀 %(fw)s에 없는 지표의 점수가 저장되어 있습니다: %(code)s")
                                % {"fw": framework.id, "code": code})
        by_cell[(row_of[subject_id], panel_col[code])].append(float(value))
    p = max((len(v) for v in by_cell.values()), default=1)
    values = np.full((n, kp, p), np.nan, dtype=np.float64)
    for (i, j), vals in by_cell.items():
        values[i, j, :len(vals)] = vals

    actuals = np.full((n, kq), np.nan)
    targets = np.full((n, kq), np.nan)
    targets_high = np.full((n, kq), np.nan)
    for subject_id, code, actual, target, high in (
            Measurement.objects.filter(round=round_, subject_id__in=subject_ids)
            .values_list("subject_id", "indicator", "actual", "target", "target_high")):
        i, j = row_of[subject_id], quant_col[code]
        actuals[i, j], targets[i, j], targets_high[i, j] = (
            _float(actual), _float(target), _float(high))

    not_applicable = np.zeros((n, k), dtype=bool)
    for subject_id, code in (NotApplicable.objects.filter(round=round_,
                                                          subject_id__in=subject_ids)
                             .values_list("subject_id", "indicator")):
        not_applicable[row_of[subject_id], ind_col[code]] = True

    overrides = tuple(
        engine.ClassOverride(row_of[subject_id], code, level, reason)
        for subject_id, code, level, reason in (
            ClassificationOverride.objects.filter(round=round_, subject_id__in=subject_ids)
            .values_list("subject_id", "indicator", "level", "reason")))

    return engine.BatchInput(
        subject_ids=tuple(str(s.pk) for s in subjects),
        ratings=values, actuals=actuals if kq else None, targets=targets if kq else None,
        targets_high=targets_high if kq else None,
        not_applicable=not_applicable if not_applicable.any() else None,
        overrides=overrides,
    )


def compute(round_: Round, subjects: Sequence[Subject]) -> engine.BatchResult:
    """Score ``subjects`` of ``round_`` from their stored inputs, in one engine call."""
    framework = framework_for(round_)
    on = decision_date(round_)
    if framework.policies and decisions.policy_in_force_or_none(on, framework) is None:
        raise WorkflowError(decisions.no_policy_message(on, framework))
    batch = build_batch(framework, round_, subjects)
    try:
        return engine.score_batch(framework, batch, on_date=on)
    except engine.FrameworkError as exc:  # e.g. no threshold policy in force on the date
        raise WorkflowError(_("%(round)s을(를) 채점할 수 없습니다: %(error)s")
                            % {"round": round_, "error": exc.reason}) from None
    except (engine.InputError, engine.ScoringError) as exc:
        raise WorkflowError(_("%(round)s을(를) 채점할 수 없습니다: %(error)s")
                            % {"round": round_, "error": _name_subjects(exc, subjects)}) from None


def _name_subjects(exc: Exception, subjects: Sequence[Subject]) -> str:
    """Engine messages name subjects by id (our pk); say their names instead."""
    text = str(exc)
    for s in subjects:
        text = text.replace(f"'{s.pk}'", f"'{s.name}'")
    return text


# --------------------------------------------------------------------------- outcomes


def _dec(value: float, places: int) -> Decimal | None:
    if value is None or not np.isfinite(value):
        return None
    return Decimal(engine.format_fixed(float(value), places))


@dataclass
class Published:
    """What a published row says about an outsourced service beyond its score: names as
    written, the department and contractors it refers to, the printed remark."""

    service: Service | None = None
    seq: int | None = None
    service_name: str = ""
    department: Organisation | None = None
    contractors: list[Organisation] = field(default_factory=list)
    contractor_name: str = ""
    remark: str = ""


def outcome_fields(framework: engine.Framework, result: engine.BatchResult, i: int) -> dict:
    """The stored fields of subject row ``i`` of an engine result."""
    band = int(result.band_index[i])
    decision = int(result.decision[i])
    return {
        "score": _dec(result.total_rounded[i], framework.decimals),
        "raw_total": _dec(result.total[i], 6),
        "scale_max": _dec(framework.total, 2),
        "counted_max": _dec(result.max_points[i], 2),
        "band_code": framework.bands[band].code if band >= 0 else "",
        "decision_code": framework.decision_codes[decision] if decision > 0 else "",
        "policy_id": result.policy_id or "",
    }


def snapshot(res: Result) -> dict:
    """What the audit trail records about a result."""
    return {
        "score": res.score, "raw_total": res.raw_total, "scale_max": res.scale_max,
        "counted_max": res.counted_max, "band_code": res.band_code,
        "decision_code": res.decision_code, "policy_id": res.policy_id,
        "framework_version": str(res.framework_version) if res.framework_version_id else "",
        "status": res.status, "remark": res.remark,
    }


def _outcome_rows(framework, result, i, res: Result):
    areas = [AreaOutcome(result=res, area=code,
                         points=_dec(result.area_points[i, a], 6),
                         max_points=_dec(result.area_max[i, a], 6))
             for a, code in enumerate(framework.area_codes)]
    levels = framework.levels
    status = result.status
    classification = result.classification
    panel_count = result.panel_count
    overridden = result.class_overridden
    achievement = result.achievement
    indicators = []
    for j, ind in enumerate(framework.indicators):
        level = int(classification[i, j])
        indicators.append(IndicatorOutcome(
            result=res, indicator=ind.code,
            points=_dec(result.indicator_points[i, j], 6),
            max_points=_dec(ind.points, 6),
            sd=_dec(result.indicator_sd[i, j], 6),
            panel_count=int(panel_count[i, j]),
            achievement=_dec(achievement[i, j], 6),
            classification=levels[level].code if level >= 0 else "",
            class_overridden=bool(overridden[i, j]),
            status=engine.STATUS_LABELS[int(status[i, j])],
        ))
    return areas, indicators


def store_outcomes(round_: Round, subjects: Sequence[Subject], result: engine.BatchResult, *,
                   published: Sequence[Published | None] | None = None,
                   status: str = Status.DRAFT, action: str = "result.create",
                   actor=None, actor_label: str = "", reason: str = "") -> list[Result]:
    """Write the engine's outcomes for ``subjects`` onto their results in ``round_``.

    A subject without a result gets a new one (``status``); an existing result is
    updated in place and its per-area/per-indicator outcomes replaced. The caller has
    checked that updating is allowed (drafts, or a correction with a reason). One audit
    record per result, with the result before and after.
    """
    framework = framework_for(round_)
    nothing = [s.name for i, s in enumerate(subjects) if not np.isfinite(result.total[i])]
    if nothing:
        raise WorkflowError(_("반영할 지표가 없어 총점을 낼 수 없습니다: %(names)s")
                            % {"names": ", ".join(nothing[:5])})
    version = round_.framework_version
    now = timezone.now()
    existing = {r.subject_id: r for r in Result.objects.filter(
        round=round_, subject__in=subjects).select_related("framework_version")}
    created, updated, events = [], [], []
    published = published or [None] * len(subjects)
    for i, subject in enumerate(subjects):
        fields = outcome_fields(framework, result, i)
        res = existing.get(subject.pk)
        before = snapshot(res) if res is not None else None
        if res is None:
            res = Result(subject=subject, round=round_, status=status)
            created.append(res)
        else:
            updated.append(res)
        res.round = round_  # the caller's instance: str(res) needs no query
        res.year, res.round_number = round_.year.year, round_.number
        res.framework_version = version
        for name, value in fields.items():
            setattr(res, name, value)
        res.decided_at = now
        pub = published[i]
        if pub is not None:
            res.service = pub.service
            res.seq = pub.seq
            res.service_name = pub.service_name
            res.department = pub.department
            res.contractor_name = pub.contractor_name
            res.remark = pub.remark
        events.append((action, res, before))
    Result.objects.bulk_create(created, batch_size=2000)
    if updated:
        Result.objects.bulk_update(updated, [
            "framework_version", "score", "raw_total", "scale_max", "counted_max", "band_code",
            "decision_code", "policy_id", "decided_at", "service", "seq", "service_name",
            "department", "contractor_name", "remark", "updated_at"], batch_size=2000)
        AreaOutcome.objects.filter(result__in=updated).delete()
        IndicatorOutcome.objects.filter(result__in=updated).delete()
    area_rows, indicator_rows = [], []
    by_subject = {r.subject_id: r for r in (*created, *updated)}
    results = [by_subject[s.pk] for s in subjects]
    for i, res in enumerate(results):
        areas, indicators = _outcome_rows(framework, result, i, res)
        area_rows += areas
        indicator_rows += indicators
    AreaOutcome.objects.bulk_create(area_rows, batch_size=5000)
    IndicatorOutcome.objects.bulk_create(indicator_rows, batch_size=5000)
    through = Result.contractors.through
    contractor_rows = []
    for res, pub in zip(results, published, strict=True):
        if pub is not None and pub.contractors:
            contractor_rows += [through(result_id=res.pk, organisation_id=org.pk)
                                for org in dict.fromkeys(pub.contractors)]
    if updated and any(p is not None for p in published):
        through.objects.filter(result__in=[r for r, p in zip(results, published, strict=True)
                                           if p is not None and r in updated]).delete()
    through.objects.bulk_create(contractor_rows, batch_size=5000)
    record_many([(action, res, before, snapshot(res)) for action, res, before in events],
                actor=actor, actor_label=actor_label, reason=reason)
    return results
