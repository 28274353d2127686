"""XLSX import and export of a year's results in one documented template.

Template: one workbook, sheet ``results`` (and a ``안내`` guide sheet that import
ignores), header in row 1, one result per row from row 2. Columns, in this order
(:data:`COLUMNS`):

=============== ======== ==========================================================
column          required meaning
=============== ======== ==========================================================
year            yes      evaluation year (e.g. 2018)
round           no       round number (1, 2, 3); empty = the year's single round
seq             no       연번 as printed
service_key     no*      canonical service key (e.g. svc-0043)
service_name    yes      service name as written
department      yes      owning department, exactly as registered
contractor      yes      contractor(s) as written; a consortium joined with "·"
score           yes      total score, 0–100, at most 2 decimals
remark          no       비고 as written (e.g. "재계약 배제")
contract_start  no       start of the contract period evaluated (YYYY-MM-DD)
contract_end    no       its end (YYYY-MM-DD), not before contract_start
=============== ======== ==========================================================

(*) Rows without ``service_key`` are matched on ``service_name`` against the registry
(names as written in earlier years count). Nothing is ever guessed: an unknown service,
department or contractor refuses the import with a list of the unknown names, unless
``create_missing=True`` is passed explicitly.

Import is all-or-nothing (one transaction): every row is checked first and every
problem is reported as ``RowError(row, column, message)`` (row = the spreadsheet row
number, header = row 1). Refused: a duplicate service in a round (in the file or
already stored), a score outside 0–100 or not a number, unknown names, contract dates
that contradict, a result for a finalised or published round. Imported results are
drafts; finalise them through the workflow.

Export then import gives the same data back (tested).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from seonggwa.core.xlsx import (
    bold_header,
    cell_date,
    cell_text,
    open_workbook,
    read_header,
    workbook_bytes,
)
from seonggwa.data.seoul.reader import split_contractor
from seonggwa.evaluations.domain import decisions as policies
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.models import Result, Round, Status
from seonggwa.registry.domain import changes as registry_changes
from seonggwa.registry.models import (
    ContractPeriod,
    Organisation,
    OrganisationKind,
    Service,
    ServiceName,
)

SHEET = "results"
COLUMNS = ("year", "round", "seq", "service_key", "service_name", "department", "contractor",
           "score", "remark", "contract_start", "contract_end")
REQUIRED = ("year", "service_name", "department", "contractor", "score")
# The column guide (guide sheet and the office page), translated in the active language.
GUIDE = {
    "year": gettext_lazy("평가 연도 (필수)"),
    "round": gettext_lazy("차수 (1, 2, 3; 비우면 단일 차수)"),
    "seq": gettext_lazy("연번"),
    "service_key": gettext_lazy("사무 키 (예: svc-0043); 비우면 사무명으로 찾음"),
    "service_name": gettext_lazy("사무명 (원문 그대로, 필수)"),
    "department": gettext_lazy("사업부서 (등록된 이름 그대로, 필수)"),
    "contractor": gettext_lazy("수탁기관 (원문 그대로; 컨소시엄은 '·'로 구분, 필수)"),
    "score": gettext_lazy("점수 0~100, 소수점 둘째 자리까지 (필수)"),
    "remark": gettext_lazy("비고 (원문 그대로)"),
    "contract_start": gettext_lazy("평가 대상 위탁기간 시작일 (YYYY-MM-DD)"),
    "contract_end": gettext_lazy("위탁기간 종료일 (YYYY-MM-DD, 시작일 이후)"),
}
GUIDE_SHEET = "안내"  # a fixed sheet name (import ignores it); its text is translated


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column:
            where = _("%(row)s행 '%(column)s' 열") % {"row": self.row, "column": self.column}
        else:
            where = _("%(row)s행") % {"row": self.row}
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """The whole file was refused; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(_("가져오기를 거부했습니다 (아무것도 저장하지 않음):") + "\n"
                         + "\n".join(str(e) for e in errors))


@dataclass
class ImportReport:
    created: int = 0
    rounds_opened: list[str] = field(default_factory=list)
    organisations_created: list[str] = field(default_factory=list)
    services_created: list[str] = field(default_factory=list)
    contracts_created: int = 0


# ----------------------------------------------------------------------------- export

def _workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(COLUMNS))
    bold_header(ws)
    for row in rows:
        ws.append(row)
        ws.cell(ws.max_row, COLUMNS.index("score") + 1).number_format = "0.00"
    guide = wb.create_sheet(GUIDE_SHEET)
    guide.append(["column", _("설명")])
    for c in COLUMNS:
        guide.append([c, str(GUIDE[c])])
    return workbook_bytes(wb)


def blank_template() -> bytes:
    """The empty template (header and guide sheet) for download."""
    return _workbook([])


def export_rows(results) -> list[list]:
    rows = []
    results = results.select_related("service", "department", "round__year").order_by(
        "round__year__year", "round__number", "seq", "id")
    periods: dict[int, list[ContractPeriod]] = {}
    for p in ContractPeriod.objects.filter(
            service_id__in={r.service_id for r in results}).order_by("start"):
        periods.setdefault(p.service_id, []).append(p)
    for r in results:
        year = r.round.year.year
        period = next((p for p in reversed(periods.get(r.service_id, []))
                       if p.start.year <= year <= p.end.year), None)
        rows.append([
            year, r.round.number, r.seq, r.service.key, r.service_name, r.department.name,
            r.contractor_name, r.score, r.remark,
            period.start if period else None, period.end if period else None,
        ])
    return rows


def export_results(year: int, *, results=None) -> bytes:
    """All results of ``year`` (or the given queryset filtered to it) as the template."""
    qs = (Result.objects.all() if results is None else results).filter(round__year__year=year)
    return _workbook(export_rows(qs))


# ----------------------------------------------------------------------------- import

_text = cell_text


def _int(value, row, column, errors, *, required=False) -> int | None:
    text = _text(value)
    if not text:
        if required:
            errors.append(RowError(row, column, _("값이 필요합니다.")))
        return None
    try:
        number = Decimal(text)
        if not number.is_finite() or number != number.to_integral_value():
            raise InvalidOperation
    except InvalidOperation:
        errors.append(RowError(row, column, _("정수가 아닙니다: %(text)r") % {"text": text}))
        return None
    return int(number)


def _date(value, row, column, errors) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return cell_date(value)
    except ValueError:
        errors.append(RowError(row, column, _("날짜(YYYY-MM-DD)가 아닙니다: %(text)r")
                               % {"text": _text(value)}))
        return None


@dataclass
class _Row:
    n: int
    year: int | None
    round: int | None
    seq: int | None
    service_key: str
    service_name: str
    department: str
    contractor: str
    members: tuple[str, ...]
    score: Decimal | None
    remark: str
    start: dt.date | None
    end: dt.date | None


def read_rows(data: bytes) -> tuple[list[_Row], list[RowError]]:
    """Parse and check the sheet's cells (no database lookups)."""
    errors: list[RowError] = []
    try:
        wb = open_workbook(data)
    except Exception as exc:
        raise ImportRefused([RowError(0, None, _("XLSX 파일을 읽을 수 없습니다: %(error)s")
                                      % {"error": exc})]) from None
    if SHEET not in wb.sheetnames:
        raise ImportRefused([RowError(0, None, _("'%(sheet)s' 시트가 없습니다.")
                                      % {"sheet": SHEET})])
    it = wb[SHEET].iter_rows(values_only=True)
    header = read_header(it)
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        raise ImportRefused([RowError(1, c, _("필수 열이 없습니다.")) for c in missing]
                            + [RowError(1, h or _("(빈 제목)"), _("알 수 없는 열입니다."))
                               for h in unknown])
    rows: list[_Row] = []
    for n, values in enumerate(it, start=2):
        cells = dict(zip(header, values, strict=False))
        if all(_text(v) == "" for v in values):
            continue
        before = len(errors)
        year = _int(cells.get("year"), n, "year", errors, required=True)
        if year is not None and 1 <= year <= 9999:
            if policies.policy_for_year_or_none(year) is None:  # e.g. 1999: nothing to decide by
                errors.append(RowError(n, "year",
                                       policies.no_policy_message(dt.date(year, 1, 1))))
        rnd = _int(cells.get("round"), n, "round", errors)
        seq = _int(cells.get("seq"), n, "seq", errors)
        for col in ("service_name", "department", "contractor"):
            if not _text(cells.get(col)):
                errors.append(RowError(n, col, _("값이 필요합니다.")))
        score = None
        raw = _text(cells.get("score"))
        if not raw:
            errors.append(RowError(n, "score", _("값이 필요합니다.")))
        else:
            try:
                score = workflow.parse_score(raw)
            except workflow.WorkflowError as exc:
                errors.append(RowError(n, "score", " ".join(exc.messages)))
        start = _date(cells.get("contract_start"), n, "contract_start", errors)
        end = _date(cells.get("contract_end"), n, "contract_end", errors)
        if start and end and end < start:
            errors.append(RowError(n, "contract_end",
                                   _("위탁기간 종료일(%(end)s)이 시작일(%(start)s)보다 "
                                     "빠릅니다.") % {"end": end, "start": start}))
        if (start is None) != (end is None) and len(errors) == before:
            errors.append(RowError(n, "contract_end" if end is None else "contract_start",
                                   _("위탁기간은 시작일과 종료일을 함께 적어야 합니다.")))
        contractor = _text(cells.get("contractor"))
        rows.append(_Row(n, year, rnd, seq, _text(cells.get("service_key")),
                         _text(cells.get("service_name")), _text(cells.get("department")),
                         contractor, split_contractor(contractor)[0] if contractor else (),
                         score, _text(cells.get("remark")), start, end))
    return rows, errors


@transaction.atomic
def import_results(data: bytes, *, year: int | None = None, create_missing: bool = False,
                   actor=None, actor_label: str = "xlsx import") -> ImportReport:
    """Import the template all-or-nothing. Raises :class:`ImportRefused` with every
    row-level error; on success every row became a draft result."""
    rows, errors = read_rows(data)
    report = ImportReport()
    if year is not None:
        for r in rows:
            if r.year is not None and r.year != year:
                errors.append(RowError(r.n, "year", _("%(year)s년 파일에 %(row_year)s년 행이 "
                                                      "있습니다.")
                                       % {"year": year, "row_year": r.year}))

    depts = {o.name: o for o in Organisation.objects.filter(
        kind=OrganisationKind.DEPARTMENT, name__in={r.department for r in rows})}
    contractors = {o.name: o for o in Organisation.objects.filter(
        kind=OrganisationKind.CONTRACTOR, name__in={m for r in rows for m in r.members})}
    by_key = {s.key: s for s in Service.objects.filter(
        key__in={r.service_key for r in rows if r.service_key})}
    by_name: dict[str, set[int]] = {}
    names = {r.service_name for r in rows}
    for sid, name in Service.objects.filter(name__in=names).values_list("id", "name"):
        by_name.setdefault(name, set()).add(sid)
    for sid, name in ServiceName.objects.filter(name__in=names).values_list("service_id",
                                                                           "name"):
        by_name.setdefault(name, set()).add(sid)
    services_by_id = Service.objects.in_bulk({i for s in by_name.values() for i in s})

    unknown_depts = sorted({r.department for r in rows if r.department
                            and r.department not in depts})
    unknown_contractors = sorted({m for r in rows for m in r.members if m not in contractors})
    if not create_missing:
        for r in rows:
            if r.department and r.department not in depts:
                errors.append(RowError(r.n, "department",
                                       _("등록되지 않은 사업부서: %(name)s")
                                       % {"name": r.department}))
            bad = [m for m in r.members if m not in contractors]
            if bad:
                errors.append(RowError(r.n, "contractor",
                                       _("등록되지 않은 수탁기관: %(names)s")
                                       % {"names": ", ".join(bad)}))
    # services
    resolved: dict[int, Service | None] = {}
    unknown_services = []
    for r in rows:
        svc = None
        if r.service_key:
            svc = by_key.get(r.service_key)
            if svc is None and not create_missing:
                errors.append(RowError(r.n, "service_key",
                                       _("등록되지 않은 사무 키: %(key)s")
                                       % {"key": r.service_key}))
        elif r.service_name:
            ids = by_name.get(r.service_name, set())
            if len(ids) > 1:
                errors.append(RowError(r.n, "service_name",
                                       _("같은 이름의 사무가 %(n)s개입니다: service_key를 "
                                         "적어 주십시오.") % {"n": len(ids)}))
            elif ids:
                svc = services_by_id[next(iter(ids))]
            elif not create_missing:
                errors.append(RowError(r.n, "service_name",
                                       _("등록되지 않은 사무: %(name)s")
                                       % {"name": r.service_name}))
        if svc is None and (r.service_key or r.service_name):
            unknown_services.append(r.service_key or r.service_name)
        resolved[r.n] = svc
    # duplicates within the file and against stored results
    seen: dict[tuple, int] = {}
    rounds = {(rd.year.year, rd.number): rd for rd in Round.objects.outsourcing().filter(
        year__year__in={r.year for r in rows if r.year}).select_related("year")}
    stored = {(res.service_id, res.round_id): res for res in Result.objects.filter(
        round__in=list(rounds.values()),
        service__in=[s for s in resolved.values() if s is not None]).order_by("id")}
    for r in rows:
        ident = resolved[r.n].pk if resolved[r.n] else (r.service_key or r.service_name)
        key = (r.year, r.round, ident)
        if key in seen:
            errors.append(RowError(r.n, "service_name",
                                   _("같은 차수에 같은 사무가 두 번 있습니다 (%(row)s행과 "
                                     "중복).") % {"row": seen[key]}))
        else:
            seen[key] = r.n
        rnd = rounds.get((r.year, r.round))
        existing = None
        if rnd is not None and resolved[r.n] is not None:
            existing = stored.get((resolved[r.n].pk, rnd.pk))
        if existing is not None:
            state = existing.get_status_display() if existing.is_locked else _("작성 중")
            errors.append(RowError(r.n, "service_name",
                                   _("%(round)s에 이 사무의 결과가 이미 있습니다 "
                                     "(%(score)s점, %(state)s); 두 번째 결과는 받지 "
                                     "않습니다.")
                                   % {"round": rnd, "score": existing.score, "state": state}))
        elif rnd is not None and rnd.status != Status.DRAFT:
            errors.append(RowError(r.n, "round",
                                   _("%(round)s 평가는 이미 %(status)s되어 결과를 더 "
                                     "받지 않습니다 (정정은 결과 화면에서 사유와 함께).")
                                   % {"round": rnd, "status": rnd.get_status_display()}))
    if errors:
        errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS
                                   else -1))
        raise ImportRefused(errors)

    # create what was explicitly asked for — through the registry's audited changes
    who = {"actor": actor, "actor_label": actor_label, "reason": _("결과 엑셀 가져오기")}
    if create_missing:
        for name in unknown_depts:
            depts[name] = registry_changes.create_organisation(
                kind=OrganisationKind.DEPARTMENT, name=name, **who)
            report.organisations_created.append(name)
        for name in unknown_contractors:
            contractors[name] = registry_changes.create_organisation(
                kind=OrganisationKind.CONTRACTOR, name=name, **who)
            report.organisations_created.append(name)
    by_round: dict[Round, list[workflow.PublishedTotal]] = {}
    for r in rows:
        svc = resolved[r.n]
        if svc is None:
            key = r.service_key or _new_key()
            svc = registry_changes.create_service(
                key=key, name=r.service_name, department=depts[r.department],
                notes="XLSX 가져오기에서 생성 (create_missing)", **who)
            report.services_created.append(f"{key} {r.service_name}")
            by_key[key] = svc
        rnd = rounds.get((r.year, r.round))
        if rnd is None:
            rnd = workflow.open_round(r.year, r.round, actor=actor, actor_label=actor_label)
            rounds[(r.year, r.round)] = rnd
            report.rounds_opened.append(str(rnd))
        members = [contractors[m] for m in r.members]
        if r.start and r.end and not ContractPeriod.objects.filter(
                service=svc, start=r.start, end=r.end).exists():
            try:
                registry_changes.add_contract_period(
                    svc, start=r.start, end=r.end, contractors=members, **who)
            except registry_changes.RegistryError as exc:
                # e.g. the period overlaps one already registered: the row's error, and
                # the whole import rolls back.
                raise ImportRefused([RowError(r.n, "contract_start", " ".join(exc.messages))]) \
                    from None
            report.contracts_created += 1
        by_round.setdefault(rnd, []).append(workflow.PublishedTotal(
            service=svc, score=r.score, department=depts[r.department], contractors=members,
            contractor_name=r.contractor, service_name=r.service_name, seq=r.seq,
            remark=r.remark))
    for rnd, totals in by_round.items():  # one engine call per round
        report.created += len(workflow.record_results(rnd, totals, actor=actor,
                                                      actor_label=actor_label))
    return report


def _new_key() -> str:
    n = Service.objects.filter(key__startswith="svc-").count() + 1
    while Service.objects.filter(key=f"svc-{n:04d}").exists():
        n += 1
    return f"svc-{n:04d}"
