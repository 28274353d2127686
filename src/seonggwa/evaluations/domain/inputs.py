"""Writing the inputs of a score: ratings, measurements, not-applicable marks, overrides.

Every input is checked against the round's framework version before anything is stored
(the indicator exists and is of the right kind, the value is a finite number on the
indicator's scale, a reason is given where one is required). Ratings keep every version:
a changed rating supersedes the current row and adds a new one, so a sheet's history can
always be shown. Inputs of a round are accepted while the round is a draft; a finalised
round changes only through a correction (:func:`seonggwa.evaluations.domain.workflow.
amend_result`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seonggwa import engine
from seonggwa.core.audit import record_many, resolve_actor
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.models import (
    ClassificationOverride,
    Measurement,
    NotApplicable,
    Rating,
    Round,
    Status,
    Subject,
)

# Who gave a score that arrives as a published total: the external evaluation
# institution (평가기관), as one panel member.
INSTITUTION = "평가기관"
MAX_VALUE = Decimal("1e12")


@dataclass(frozen=True)
class RatingEntry:
    subject: Subject
    indicator: str
    value: object
    evaluator_label: str
    evaluator: object = None  # a user, when a panel member entered it


@dataclass(frozen=True)
class MeasurementEntry:
    subject: Subject
    indicator: str
    actual: object = None
    target: object = None
    target_high: object = None


def ensure_inputs_open(round_: Round) -> None:
    if round_.status != Status.DRAFT:
        raise WorkflowError(
            _("%(round)s 평가는 이미 %(status)s 상태입니다: 점수를 바꾸려면 결과 정정(사유 필수)으로 "
              "하십시오.") % {"round": round_, "status": round_.get_status_display()})
    if round_.published_only:
        raise WorkflowError(
            _("%(round)s 평가는 요약 수치만 공개된 평가여서 결과 행을 받지 않습니다.")
            % {"round": round_})


def _indicator(framework: engine.Framework, code: str) -> engine.Indicator:
    if code not in framework.indicator_index:
        raise WorkflowError(_("평가틀 %(fw)s@%(version)s에 없는 지표입니다: %(code)s")
                            % {"fw": framework.id, "version": framework.version,
                               "code": str(code)[:60]})
    return framework.indicator(code)


def parse_number(value, *, what: str, places: int = 6) -> Decimal:
    """A finite decimal number with at most ``places`` decimals (what the database keeps:
    a value it would round silently could decide differently); text, NaN, infinity and
    absurd magnitudes are refused."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise WorkflowError(_("%(what)s이(가) 숫자가 아닙니다: %(value)s")
                            % {"what": what, "value": str(value)[:40]}) from None
    if not number.is_finite() or abs(number) >= MAX_VALUE:
        raise WorkflowError(_("%(what)s이(가) 올바른 숫자가 아닙니다: %(value)s")
                            % {"what": what, "value": str(value)[:40]})
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise WorkflowError(_("%(what)s은(는) 소수점 %(places)s자리까지입니다: %(value)s")
                            % {"what": what, "places": places, "value": str(value)[:40]})
    return number


def check_rating(framework: engine.Framework, code: str, value) -> Decimal:
    """The value of a panel indicator, checked against its scale (range and steps)."""
    ind = _indicator(framework, code)
    if not ind.uses_panel:
        raise WorkflowError(_("%(code)s는 정량 지표입니다: 점수 대신 실적을 입력하십시오.")
                            % {"code": code})
    number = parse_number(value, what=_("점수"), places=4)
    scale = ind.scale
    if scale is not None and not bool(scale.on_scale(np.array([float(number)]))[0]):
        raise WorkflowError(
            _("%(code)s 점수 %(value)s은(는) 척도에 없습니다: %(scale)s")
            % {"code": code, "value": _plain(number), "scale": scale.describe()})
    return number


def _plain(value) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def put_ratings(round_: Round, entries: Iterable[RatingEntry], *, actor=None,
                actor_label: str = "", audit: bool = True) -> list[Rating]:
    """Store ratings (checked), superseding the current value of the same evaluator and
    indicator. An unchanged value is not stored again. Returns the new rows."""
    framework = framework_for(round_)
    entries = list(entries)
    checked = [(e, check_rating(framework, e.indicator, e.value)) for e in entries]
    for e, _value in checked:
        if not (e.evaluator_label or "").strip():
            raise WorkflowError(_("평가자를 적어야 합니다."))
    current = {
        (r.subject_id, r.indicator, r.evaluator_label): r
        for r in Rating.objects.filter(
            round=round_, superseded_at__isnull=True,
            subject__in={e.subject.pk for e in entries},
            indicator__in={e.indicator for e in entries})
    }
    user, label = resolve_actor(actor, actor_label)
    now = timezone.now()
    superseded, new = [], []
    for e, value in checked:
        old = current.get((e.subject.pk, e.indicator, e.evaluator_label))
        if old is not None and old.value == value:
            continue
        if old is not None:
            old.superseded_at = now
            superseded.append(old)
        new.append(Rating(round=round_, subject=e.subject, indicator=e.indicator,
                          evaluator=e.evaluator, evaluator_label=e.evaluator_label[:150],
                          value=value, version=(old.version + 1) if old else 1,
                          entered_by=user, entered_label=label))
    Rating.objects.bulk_update(superseded, ["superseded_at"], batch_size=2000)
    Rating.objects.bulk_create(new, batch_size=2000)
    if audit:
        record_many([("rating.record", r, None, {"indicator": r.indicator, "value": r.value,
                                                  "evaluator": r.evaluator_label,
                                                  "version": r.version})
                     for r in new], actor=actor, actor_label=actor_label)
    return new


@transaction.atomic
def record_ratings(round_: Round, entries: Iterable[RatingEntry], *, actor=None,
                   actor_label: str = "") -> list[Rating]:
    """Panel members' ratings for a draft round (every version kept)."""
    ensure_inputs_open(round_)
    return put_ratings(round_, entries, actor=actor, actor_label=actor_label)


@transaction.atomic
def record_measurements(round_: Round, entries: Iterable[MeasurementEntry], *, actor=None,
                        actor_label: str = "") -> list[Measurement]:
    """Actuals and targets of quantitative indicators (desk review), replacing earlier
    values of the same subject and indicator (the audit trail keeps them)."""
    ensure_inputs_open(round_)
    framework = framework_for(round_)
    user, label = resolve_actor(actor, actor_label)
    stored, events = [], []
    for e in entries:
        ind = _indicator(framework, e.indicator)
        if ind.kind != "quantitative":
            raise WorkflowError(_("%(code)s는 정량 지표가 아닙니다: 실적 대신 점수를 입력하십시오.")
                                % {"code": e.indicator})
        values = {name: (None if raw in (None, "") else parse_number(raw, what=name))
                  for name, raw in (("actual", e.actual), ("target", e.target),
                                    ("target_high", e.target_high))}
        row, created = Measurement.objects.get_or_create(
            round=round_, subject=e.subject, indicator=e.indicator,
            defaults={**values, "entered_by": user, "entered_label": label})
        before = None if created else {"actual": row.actual, "target": row.target,
                                       "target_high": row.target_high}
        if not created:
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=list(values))
        stored.append(row)
        events.append(("measurement.record", row, before, values))
    record_many(events, actor=actor, actor_label=actor_label)
    return stored


@transaction.atomic
def mark_not_applicable(round_: Round, subject: Subject, indicator: str, reason: str, *,
                        actor=None, actor_label: str = "") -> NotApplicable:
    """Leave an indicator out for a subject (the engine rebases by the framework's rule)."""
    ensure_inputs_open(round_)
    _indicator(framework_for(round_), indicator)
    if not (reason or "").strip():
        raise WorkflowError(_("해당 없음으로 처리하는 사유를 입력해야 합니다."))
    user, label = resolve_actor(actor, actor_label)
    mark, _created = NotApplicable.objects.update_or_create(
        round=round_, subject=subject, indicator=indicator,
        defaults={"reason": reason.strip(), "entered_by": user, "entered_label": label})
    record_many([("input.not_applicable", mark, None, {"indicator": indicator})],
                actor=actor, actor_label=actor_label, reason=reason.strip())
    return mark


@transaction.atomic
def override_classification(round_: Round, subject: Subject, indicator: str, level: str,
                            reason: str, *, actor=None,
                            actor_label: str = "") -> ClassificationOverride:
    """A manual 달성/일부달성/미달성 level of a quantitative indicator, with the reason."""
    ensure_inputs_open(round_)
    framework = framework_for(round_)
    ind = _indicator(framework, indicator)
    if ind.kind != "quantitative":
        raise WorkflowError(_("달성도 수동 판정은 정량 지표에만 합니다: %(code)s")
                            % {"code": indicator})
    codes = {lv.code for lv in framework.levels} | {lv.label for lv in framework.levels}
    if level not in codes:
        raise WorkflowError(_("알 수 없는 달성도입니다: %(level)s (가능: %(known)s)")
                            % {"level": level,
                               "known": ", ".join(lv.code for lv in framework.levels)})
    if not (reason or "").strip():
        raise WorkflowError(_("수동 판정 사유를 입력해야 합니다."))
    user, label = resolve_actor(actor, actor_label)
    row, _created = ClassificationOverride.objects.update_or_create(
        round=round_, subject=subject, indicator=indicator,
        defaults={"level": level, "reason": reason.strip(), "entered_by": user,
                  "entered_label": label})
    record_many([("input.override", row, None, {"indicator": indicator, "level": level})],
                actor=actor, actor_label=actor_label, reason=reason.strip())
    return row
