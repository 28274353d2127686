"""Every change of registry data, in one place (DESIGN: workflow in one place).

The office pages, the registry workbook import and commands call these functions; they
never save registry models themselves. Each function validates, saves and writes one
append-only audit record (:func:`seonggwa.core.audit.record`) with the fields before and
after, the actor and the reason. A call that changes nothing writes nothing.

Refusals raise :class:`RegistryError` (a ``ValidationError``). Its ``error_dict`` names
the field at fault when there is one, so a form can show the message next to the field;
``.messages`` gives the text in the active language (message ids are Korean).

Audit actions: ``registry.organisation.create``, ``registry.service.create`` / ``.update``, ``registry.contract.create`` /
``.update`` / ``.end``, ``registry.consent.create`` / ``.update``,
``registry.inspection.create`` / ``.update``, ``registry.audit.create`` / ``.update``,
``registry.figure.create`` / ``.update``. The object of each event is the row changed
(service, contract period, consent, finding, audit result or figure).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from seonggwa.core.audit import record
from seonggwa.registry.models import (
    AuditResult,
    ContractPeriod,
    CouncilConsent,
    FigureKind,
    InspectionFinding,
    OperatingFigure,
    Organisation,
    OrganisationKind,
    Service,
)

UNSET: Any = object()  # "leave this field as it is" in the update functions

#: Sent inside the writing transaction when a registry change alters what the public
#: pages show; the published data version listens
#: (:mod:`seonggwa.evaluations.models.published`), so cached public pages and open-data
#: files are rebuilt on the next request. The public pages show a service's name and
#: department (contracts, consents, inspections, audits, figures and notes are office
#: pages only; a new service or organisation has no published result yet).
public_data_changed = Signal()
PUBLIC_SERVICE_FIELDS = ("name", "department")

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_COST = 10**15  # won; far above any service, below BigIntegerField's limit


class RegistryError(ValidationError):
    """A refused registry change. ``str(error)``/``.messages`` say why; ``error_dict``
    (when present) maps the field at fault to its message."""


def _refuse(field: str | None, message: str):
    raise RegistryError({field: [message]} if field else message)


# ----------------------------------------------------------------------------- snapshots

def _value(obj: models.Model, name: str):
    if name == "contractors":
        return sorted(o.name for o in obj.contractors.all()) if obj.pk else []
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        related = getattr(obj, name)
        if related is None:
            return None
        if isinstance(related, ContractPeriod):
            return f"{related.start}~{related.end}"
        return str(related)
    return getattr(obj, name)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    return {name: _value(obj, name) for name in fields}


SERVICE_FIELDS = ("key", "name", "department", "annual_cost", "has_statutory_evaluation",
                  "notes")
CONTRACT_FIELDS = ("start", "end", "kind", "contractors", "previous", "note")
CONSENT_FIELDS = ("date", "note")
INSPECTION_FIELDS = ("year", "date", "count", "corrective_demand", "text")
AUDIT_FIELDS = ("year", "date", "auditor", "finding_count", "summary")
FIGURE_FIELDS = ("kind", "indicator", "year", "quarter", "value", "unit", "period_text",
                 "source")


def _audit(action, obj, *, before, after, actor, actor_label, reason):
    changed = [k for k in after if before is None or before.get(k) != after.get(k)]
    if before is not None and not changed:
        return False
    record(action, obj, actor=actor, actor_label=actor_label, reason=reason,
           before=None if before is None else {k: before[k] for k in changed},
           after={k: after[k] for k in changed} if before is not None else after)
    return True


def _full_clean(obj: models.Model, exclude=()):
    """Model validation as a RegistryError (field names kept)."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False,
                       validate_constraints=False)
    except ValidationError as exc:
        raise RegistryError(exc.message_dict) from None


# ----------------------------------------------------------------------------- values

def _year(value, field="year") -> int:
    try:
        year = int(Decimal(str(value).strip()))
        if Decimal(str(value).strip()) != year:
            raise ValueError
    except (InvalidOperation, ValueError):
        _refuse(field, _("연도가 숫자가 아닙니다: %(value)s") % {"value": value})
    if not MIN_YEAR <= year <= MAX_YEAR:
        _refuse(field, _("연도는 %(lo)s~%(hi)s 사이여야 합니다 (입력: %(value)s).")
                % {"lo": MIN_YEAR, "hi": MAX_YEAR, "value": year})
    return year


def _count(value, field) -> int:
    if isinstance(value, bool):
        _refuse(field, _("건수가 정수가 아닙니다: %(value)s") % {"value": value})
    try:
        number = Decimal(str(value).strip())
        if not number.is_finite() or number != number.to_integral_value():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        _refuse(field, _("건수가 정수가 아닙니다: %(value)s") % {"value": value})
    if number < 0:
        _refuse(field, _("건수는 0 이상의 정수여야 합니다 (입력: %(value)s).")
                % {"value": value})
    return int(number)


def parse_cost(value) -> int | None:
    """Annual cost in won: a non-negative integer, or ``None`` (unknown). Thousands
    separators (``1,200,000,000``) are accepted; anything else is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        _refuse("annual_cost", _("연 사업비가 숫자가 아닙니다: %(value)s") % {"value": value})
    if not amount.is_finite() or amount != amount.to_integral_value():
        _refuse("annual_cost", _("연 사업비는 원 단위 정수여야 합니다: %(value)s")
                % {"value": value})
    if amount < 0 or amount > MAX_COST:
        _refuse("annual_cost", _("연 사업비가 범위를 벗어났습니다: %(value)s")
                % {"value": value})
    return int(amount)


def _department(org: Organisation | None) -> Organisation | None:
    if org is not None and org.kind != OrganisationKind.DEPARTMENT:
        _refuse("department", _("'%(name)s'은(는) 사업부서가 아닙니다.") % {"name": org.name})
    return org


def _contractors(orgs: Iterable[Organisation]) -> list[Organisation]:
    orgs = list(dict.fromkeys(orgs))
    wrong = [o.name for o in orgs if o.kind != OrganisationKind.CONTRACTOR]
    if wrong:
        _refuse("contractors", _("수탁기관이 아닌 기관입니다: %(names)s")
                % {"names": ", ".join(wrong)})
    return orgs


def _apply(obj: models.Model, changes: dict) -> None:
    for name, value in changes.items():
        if value is not UNSET:
            setattr(obj, name, value)


def _save_new(obj: models.Model, *, check, fields, action: str, who: dict):
    """Check, save and audit a new registry row (the shape of every ``record_*``)."""
    check(obj)
    obj.save()
    _audit(action, obj, before=None, after=snapshot(obj, fields), **who)
    return obj


def _save_changes(obj: models.Model, changes: dict, *, check, fields, action: str,
                  who: dict) -> bool:
    """Apply ``changes`` (UNSET = keep), check, and save and audit only what changed (the
    shape of every ``update_*``). False when nothing changed: nothing is written."""
    before = snapshot(obj, fields)
    _apply(obj, changes)
    check(obj)
    after = snapshot(obj, fields)
    if after == before:
        return False
    obj.save()
    return _audit(action, obj, before=before, after=after, **who)


def _text_or_unset(value):
    return UNSET if value is UNSET else (value or "")


# ----------------------------------------------------------------------------- organisations

@transaction.atomic
def create_organisation(*, kind: str, name: str, actor=None, actor_label: str = "",
                        reason: str = "") -> Organisation:
    """Register a department or contractor under the name as written (never a near
    match of an existing one: names are compared exactly)."""
    name = (name or "").strip()
    if kind not in OrganisationKind.values:
        _refuse("kind", _("알 수 없는 기관 구분: %(kind)s") % {"kind": kind})
    if not name:
        _refuse("name", _("기관명이 필요합니다."))
    if len(name) > 200:
        _refuse("name", _("%(limit)s자 이하여야 합니다.") % {"limit": 200})
    if Organisation.objects.filter(kind=kind, name=name).exists():
        _refuse("name", _("'%(name)s'은(는) 이미 등록되어 있습니다.") % {"name": name})
    org = Organisation.objects.create(kind=kind, name=name)
    _audit("registry.organisation.create", org, before=None,
           after={"kind": kind, "name": name}, actor=actor, actor_label=actor_label,
           reason=reason)
    return org


# ----------------------------------------------------------------------------- services

@transaction.atomic
def create_service(*, key: str, name: str, department: Organisation | None = None,
                   annual_cost=None, has_statutory_evaluation: bool = False,
                   notes: str = "", actor=None, actor_label: str = "",
                   reason: str = "") -> Service:
    """Register a new outsourced service. Refuses an empty or taken key, an empty name,
    a department that is not a department and a cost that is not a won amount."""
    key, name = (key or "").strip(), (name or "").strip()
    if not key:
        _refuse("key", _("사무 키가 필요합니다."))
    try:
        Service._meta.get_field("key").run_validators(key)  # the URL-safe key rule
    except ValidationError as exc:
        _refuse("key", " ".join(exc.messages))
    if Service.objects.filter(key=key).exists():
        _refuse("key", _("사무 키 '%(key)s'은(는) 이미 쓰이고 있습니다.") % {"key": key})
    if not name:
        _refuse("name", _("사무명이 필요합니다."))
    service = Service(key=key, name=name, department=_department(department),
                      annual_cost=parse_cost(annual_cost),
                      has_statutory_evaluation=bool(has_statutory_evaluation),
                      notes=notes or "")
    _full_clean(service, exclude=["key"])
    service.save()
    _audit("registry.service.create", service, before=None,
           after=snapshot(service, SERVICE_FIELDS), actor=actor, actor_label=actor_label,
           reason=reason)
    return service


@transaction.atomic
def update_service(service: Service, *, name=UNSET, department=UNSET, annual_cost=UNSET,
                   has_statutory_evaluation=UNSET, notes=UNSET, actor=None,
                   actor_label: str = "", reason: str = "") -> bool:
    """Change a service's registry record (fields not given stay). Returns whether
    anything changed; only the changed fields go into the audit record."""
    before = snapshot(service, SERVICE_FIELDS)
    if name is not UNSET:
        name = (name or "").strip()
        if not name:
            _refuse("name", _("사무명이 필요합니다."))
    _apply(service, {
        "name": name,
        "department": UNSET if department is UNSET else _department(department),
        "annual_cost": UNSET if annual_cost is UNSET else parse_cost(annual_cost),
        "has_statutory_evaluation": (UNSET if has_statutory_evaluation is UNSET
                                     else bool(has_statutory_evaluation)),
        "notes": UNSET if notes is UNSET else (notes or ""),
    })
    after = snapshot(service, SERVICE_FIELDS)
    if after == before:
        return False
    _full_clean(service, exclude=["key"])
    service.save()
    if any(before[f] != after[f] for f in PUBLIC_SERVICE_FIELDS):
        public_data_changed.send(sender=Service, instance=service)
    return _audit("registry.service.update", service, before=before, after=after,
                  actor=actor, actor_label=actor_label, reason=reason)


# ----------------------------------------------------------------------------- contracts

def _check_period(period: ContractPeriod) -> None:
    if period.start is None or period.end is None:
        _refuse("start" if period.start is None else "end",
                _("위탁기간은 시작일과 종료일이 모두 필요합니다."))
    if period.end < period.start:
        _refuse("end", _("위탁기간 종료일(%(end)s)이 시작일(%(start)s)보다 빠릅니다.")
                % {"end": period.end, "start": period.start})
    if period.kind not in ContractPeriod.Kind.values:
        _refuse("kind", _("알 수 없는 계약 구분: %(kind)s") % {"kind": period.kind})
    overlap = (ContractPeriod.objects.filter(service_id=period.service_id,
                                             start__lte=period.end, end__gte=period.start)
               .exclude(pk=period.pk).order_by("start").first())
    if overlap is not None:
        _refuse("start", _("이 사무의 다른 위탁기간(%(start)s ~ %(end)s)과 겹칩니다.")
                % {"start": overlap.start, "end": overlap.end})
    previous = period.previous
    if previous is not None:
        if previous.pk == period.pk:
            _refuse("previous", _("직전 계약으로 자기 자신을 지정할 수 없습니다."))
        if previous.service_id != period.service_id:
            _refuse("previous", _("직전 계약은 같은 사무의 계약이어야 합니다 "
                                  "('%(other)s'의 계약입니다).")
                    % {"other": previous.service})
        if previous.end >= period.start:
            _refuse("previous", _("직전 계약(%(start)s ~ %(end)s)은 이 위탁기간이 시작하기 "
                                  "전에 끝나야 합니다.")
                    % {"start": previous.start, "end": previous.end})
        taken = (ContractPeriod.objects.filter(previous=previous).exclude(pk=period.pk)
                 .first())
        if taken is not None:
            _refuse("previous", _("직전 계약(%(prev)s)은 이미 다른 위탁기간(%(other)s ~ "
                                  "%(end)s)의 직전 계약입니다.")
                    % {"prev": f"{previous.start} ~ {previous.end}",
                       "other": taken.start, "end": taken.end})


@transaction.atomic
def add_contract_period(service: Service, *, start: dt.date, end: dt.date,
                        contractors: Iterable[Organisation] = (),
                        kind: str = ContractPeriod.Kind.NEW,
                        previous: ContractPeriod | None = None, note: str = "",
                        actor=None, actor_label: str = "",
                        reason: str = "") -> ContractPeriod:
    """Add a contract period (consortia: several contractors). Refuses an end before
    the start, a period overlapping another of the same service, and a ``previous``
    period of another service, not ending before this one starts, or already followed."""
    members = _contractors(contractors)
    period = ContractPeriod(service=service, start=start, end=end, kind=kind,
                            previous=previous, note=note or "")
    _check_period(period)
    period.save()
    period.contractors.set(members)
    _audit("registry.contract.create", period, before=None,
           after=snapshot(period, CONTRACT_FIELDS), actor=actor, actor_label=actor_label,
           reason=reason)
    return period


@transaction.atomic
def update_contract_period(period: ContractPeriod, *, start=UNSET, end=UNSET,
                           contractors=UNSET, kind=UNSET, previous=UNSET, note=UNSET,
                           actor=None, actor_label: str = "", reason: str = "") -> bool:
    """Correct a contract period (same checks as :func:`add_contract_period`)."""
    before = snapshot(period, CONTRACT_FIELDS)
    members = None if contractors is UNSET else _contractors(contractors)
    _apply(period, {"start": start, "end": end, "kind": kind, "previous": previous,
                    "note": UNSET if note is UNSET else (note or "")})
    after = snapshot(period, CONTRACT_FIELDS)
    if members is not None:
        after["contractors"] = sorted(o.name for o in members)
    if after == before:
        return False
    _check_period(period)
    period.save()
    if members is not None:
        period.contractors.set(members)
    return _audit("registry.contract.update", period, before=before, after=after,
                  actor=actor, actor_label=actor_label, reason=reason)


@transaction.atomic
def end_contract_period(period: ContractPeriod, end: dt.date, *, reason: str,
                        actor=None, actor_label: str = "") -> ContractPeriod:
    """End a contract period early (해지·조기 종료): the reason is required, the new end
    may not be before the start nor after the agreed end (extend with
    :func:`update_contract_period`)."""
    if not (reason or "").strip():
        _refuse("reason", _("위탁기간을 종료하는 사유가 필요합니다."))
    if end is None:
        _refuse("end", _("종료일이 필요합니다."))
    if end < period.start:
        _refuse("end", _("위탁기간 종료일(%(end)s)이 시작일(%(start)s)보다 빠릅니다.")
                % {"end": end, "start": period.start})
    if end > period.end:
        _refuse("end", _("종료일(%(end)s)이 약정 종료일(%(agreed)s)보다 늦습니다. 기간 연장은 "
                         "위탁기간 수정으로 하십시오.") % {"end": end, "agreed": period.end})
    before = snapshot(period, ("end",))
    period.end = end
    period.save(update_fields=["end"])
    record("registry.contract.end", period, actor=actor, actor_label=actor_label,
           before=before, after={"end": end}, reason=reason.strip())
    return period


# ----------------------------------------------------------------------------- consents

def _check_consent(consent: CouncilConsent) -> None:
    if consent.date is None:
        _refuse("date", _("의회 동의일이 필요합니다."))
    if (CouncilConsent.objects.filter(service_id=consent.service_id, date=consent.date)
            .exclude(pk=consent.pk).exists()):
        _refuse("date", _("이 사무의 %(date)s 의회 동의가 이미 등록되어 있습니다.")
                % {"date": consent.date})


def _check_consent_record(consent: CouncilConsent) -> None:
    _check_consent(consent)
    _full_clean(consent, exclude=["service"])


@transaction.atomic
def record_council_consent(service: Service, *, date: dt.date, note: str = "", actor=None,
                           actor_label: str = "", reason: str = "") -> CouncilConsent:
    """Record a council consent (시의회 동의, 조례 제4조의3); one per service and date."""
    return _save_new(CouncilConsent(service=service, date=date, note=note or ""),
                     check=_check_consent_record, fields=CONSENT_FIELDS,
                     action="registry.consent.create",
                     who={"actor": actor, "actor_label": actor_label, "reason": reason})


@transaction.atomic
def update_council_consent(consent: CouncilConsent, *, date=UNSET, note=UNSET, actor=None,
                           actor_label: str = "", reason: str = "") -> bool:
    return _save_changes(consent, {"date": date, "note": _text_or_unset(note)},
                         check=_check_consent_record, fields=CONSENT_FIELDS,
                         action="registry.consent.update",
                         who={"actor": actor, "actor_label": actor_label, "reason": reason})


# ----------------------------------------------------------------------------- inspections

def _check_inspection(finding: InspectionFinding) -> None:
    finding.year = _year(finding.year)
    finding.count = _count(finding.count, "count")
    if finding.date is not None and finding.date.year != finding.year:
        _refuse("date", _("점검일(%(date)s)이 %(year)s년이 아닙니다.")
                % {"date": finding.date, "year": finding.year})
    if (InspectionFinding.objects.filter(service_id=finding.service_id, year=finding.year,
                                         date=finding.date)
            .exclude(pk=finding.pk).exists()):
        _refuse("year", _("이 사무의 %(year)s년 지도점검 지적사항(점검일 %(date)s)이 이미 "
                          "있습니다. 기존 항목을 수정하십시오.")
                % {"year": finding.year, "date": finding.date or "–"})


@transaction.atomic
def record_inspection_finding(service: Service, *, year: int, count: int = 1,
                              text: str = "", corrective_demand: bool = True,
                              date: dt.date | None = None, actor=None,
                              actor_label: str = "", reason: str = "") -> InspectionFinding:
    """Record the findings of a guidance inspection (지도·점검, 조례 제16조) in a year:
    one row per service, year and inspection date (the date may be empty)."""
    finding = InspectionFinding(service=service, year=year, count=count, text=text or "",
                                corrective_demand=bool(corrective_demand), date=date)
    return _save_new(finding, check=_check_inspection, fields=INSPECTION_FIELDS,
                     action="registry.inspection.create",
                     who={"actor": actor, "actor_label": actor_label, "reason": reason})


@transaction.atomic
def update_inspection_finding(finding: InspectionFinding, *, year=UNSET, count=UNSET,
                              text=UNSET, corrective_demand=UNSET, date=UNSET, actor=None,
                              actor_label: str = "", reason: str = "") -> bool:
    changes = {"year": year, "count": count, "date": date, "text": _text_or_unset(text),
               "corrective_demand": (UNSET if corrective_demand is UNSET
                                     else bool(corrective_demand))}
    return _save_changes(finding, changes, check=_check_inspection, fields=INSPECTION_FIELDS,
                         action="registry.inspection.update",
                         who={"actor": actor, "actor_label": actor_label, "reason": reason})


# ----------------------------------------------------------------------------- audits

def _check_audit(result: AuditResult) -> None:
    result.year = _year(result.year)
    result.finding_count = _count(result.finding_count, "finding_count")
    result.auditor = (result.auditor or "").strip()
    if result.date is not None and result.date.year != result.year:
        _refuse("date", _("감사일(%(date)s)이 %(year)s년이 아닙니다.")
                % {"date": result.date, "year": result.year})
    if len(result.auditor) > 200:
        _refuse("auditor", _("감사기관 이름이 너무 깁니다 (200자 이하)."))
    if (AuditResult.objects.filter(service_id=result.service_id, year=result.year,
                                   auditor=result.auditor, date=result.date)
            .exclude(pk=result.pk).exists()):
        _refuse("year", _("이 사무의 %(year)s년 '%(auditor)s' 감사 결과(감사일 %(date)s)가 "
                          "이미 있습니다. 기존 항목을 수정하십시오.")
                % {"year": result.year, "auditor": result.auditor or "–",
                   "date": result.date or "–"})


@transaction.atomic
def record_audit_result(service: Service, *, year: int, auditor: str = "",
                        finding_count: int = 0, summary: str = "",
                        date: dt.date | None = None, actor=None, actor_label: str = "",
                        reason: str = "") -> AuditResult:
    """Record an audit (감사) of the service and its outcome; one per service, year,
    auditor and date."""
    result = AuditResult(service=service, year=year, auditor=auditor or "",
                         finding_count=finding_count, summary=summary or "", date=date)
    return _save_new(result, check=_check_audit, fields=AUDIT_FIELDS,
                     action="registry.audit.create",
                     who={"actor": actor, "actor_label": actor_label, "reason": reason})


@transaction.atomic
def update_audit_result(result: AuditResult, *, year=UNSET, auditor=UNSET,
                        finding_count=UNSET, summary=UNSET, date=UNSET, actor=None,
                        actor_label: str = "", reason: str = "") -> bool:
    changes = {"year": year, "auditor": auditor, "finding_count": finding_count,
               "summary": _text_or_unset(summary), "date": date}
    return _save_changes(result, changes, check=_check_audit, fields=AUDIT_FIELDS,
                         action="registry.audit.update",
                         who={"actor": actor, "actor_label": actor_label, "reason": reason})


# ----------------------------------------------------------------------------- figures

def parse_figure_value(value) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        _refuse("value", _("값이 숫자가 아닙니다: %(value)s") % {"value": value})
    if not number.is_finite():
        _refuse("value", _("값이 숫자가 아닙니다: %(value)s") % {"value": value})
    if number != number.quantize(Decimal("0.0001")) or abs(number) >= Decimal(10) ** 14:
        _refuse("value", _("값은 소수점 넷째 자리까지, 14자리 이하여야 합니다: %(value)s")
                % {"value": value})
    return number


def _check_figure(figure: OperatingFigure) -> None:
    if figure.kind not in FigureKind.values:
        _refuse("kind", _("알 수 없는 지표 구분: %(kind)s (가능: %(choices)s)")
                % {"kind": figure.kind, "choices": ", ".join(FigureKind.values)})
    figure.year = _year(figure.year)
    if figure.quarter in ("", None):
        figure.quarter = None
    else:
        try:
            figure.quarter = int(figure.quarter)
        except (TypeError, ValueError):
            figure.quarter = 0
        if not 1 <= figure.quarter <= 4:
            _refuse("quarter", _("분기는 1~4 중 하나이거나 비어 있어야 합니다."))
    if figure.value is None or figure.value == "":
        _refuse("value", _("값이 필요합니다."))
    figure.value = parse_figure_value(figure.value)
    figure.indicator = (figure.indicator or "").strip()
    for name, limit in (("indicator", 200), ("unit", 20), ("period_text", 100),
                        ("source", 300)):
        if len(getattr(figure, name) or "") > limit:
            _refuse(name, _("%(limit)s자 이하여야 합니다.") % {"limit": limit})
    if (OperatingFigure.objects.filter(service_id=figure.service_id, kind=figure.kind,
                                       indicator=figure.indicator, year=figure.year,
                                       quarter=figure.quarter)
            .exclude(pk=figure.pk).exists()):
        _refuse("year", _("이 사무의 %(year)s년%(quarter)s '%(kind)s' 지표(%(indicator)s)가 "
                          "이미 있습니다. 기존 항목을 수정하십시오.")
                % {"year": figure.year,
                   "quarter": (_(" %(q)s분기") % {"q": figure.quarter}
                               if figure.quarter else ""),
                   "kind": figure.get_kind_display(), "indicator": figure.indicator or "–"})


@transaction.atomic
def record_operating_figure(service: Service, *, kind: str, year: int, value,
                            quarter: int | None = None, indicator: str = "",
                            unit: str = "", period_text: str = "", source: str = "",
                            actor=None, actor_label: str = "",
                            reason: str = "") -> OperatingFigure:
    """Record an operating figure (turnover, budget execution, satisfaction, target,
    actual); yearly when ``quarter`` is empty. Percentages in percentage points with
    ``unit="%"``. One per service, kind, indicator, year and quarter."""
    figure = OperatingFigure(service=service, kind=kind, year=year, quarter=quarter,
                             value=value, indicator=indicator or "", unit=unit or "",
                             period_text=period_text or "", source=source or "")
    return _save_new(figure, check=_check_figure, fields=FIGURE_FIELDS,
                     action="registry.figure.create",
                     who={"actor": actor, "actor_label": actor_label, "reason": reason})


@transaction.atomic
def update_operating_figure(figure: OperatingFigure, *, kind=UNSET, year=UNSET,
                            value=UNSET, quarter=UNSET, indicator=UNSET, unit=UNSET,
                            period_text=UNSET, source=UNSET, actor=None,
                            actor_label: str = "", reason: str = "") -> bool:
    changes = {"kind": kind, "year": year, "value": value, "quarter": quarter,
               "indicator": indicator, "unit": unit, "period_text": period_text,
               "source": source}
    return _save_changes(figure, changes, check=_check_figure, fields=FIGURE_FIELDS,
                         action="registry.figure.update",
                         who={"actor": actor, "actor_label": actor_label, "reason": reason})


# ----------------------------------------------------------------------------- trail

def audit_objects(service: Service) -> list[tuple[str, list[str]]]:
    """(object_type, ids) of the service and every registry row under it — what the
    service page's audit trail shows."""
    return [
        ("registry.service", [str(service.pk)]),
        *((model._meta.label_lower,
           [str(pk) for pk in model.objects.filter(service=service).values_list("pk",
                                                                                flat=True)])
          for model in (ContractPeriod, CouncilConsent, InspectionFinding, AuditResult,
                        OperatingFigure)),
    ]
