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
correction_     no       정정 사유: only on a row that changes a stored result (score
reason                   or remark); the change is a correction with this reason
=============== ======== ==========================================================

(*) Rows without ``service_key`` are matched on ``service_name`` against the registry
(names as written in earlier years count). Nothing is ever guessed: an unknown service,
department or contractor refuses the import with a list of the unknown names, unless
``create_missing=True`` is passed explicitly.

Import is all-or-nothing (one transaction): every row is checked first and every
problem is reported as ``RowError(row, column, message)`` (row = the spreadsheet row
number, header = row 1). Refused: a duplicate service in a round in the file, a score
outside 0–100 or not a number, a text longer than its field or any value its model field
refuses (checked with the field's own validators before the database sees it), a NUL
character, unknown names, contract dates that contradict, a new result for a finalised
or published round. Imported results are drafts; finalise them through the workflow.

Re-import (the year export is the template): a row whose service already has a result
in that round is compared with it. Identical → counted "unchanged", nothing written. A
different score or remark → a correction (:func:`workflow.amend_result`, audited with the
row's ``correction_reason``); without a reason the row is refused and says to fill
the column. A different service name, department, contractor or 연번 is refused (those
are the published row as written; they are not corrected by import).

The open-data workbook of the portal is recognised by its header and refused with a
message naming the workbook to use. Files are read in bounded memory
(:func:`seonggwa.core.xlsx.bounded_rows`): more than the row limit is refused as a whole.

Export then import gives the same data back, formula-like text included (tested).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from seonggwa.core.names import split_contractor
from seonggwa.core.xlsx import (
    WorkbookRefused,
    append_row,
    bounded_rows,
    cell_date,
    cell_problem,
    cell_text,
    excerpt,
    field_problems,
    finish_sheet,
    header_row,
    open_workbook,
    read_header,
    shown_errors,
    workbook_bytes,
)
from seonggwa.evaluations.domain import decisions as policies
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.models import EvaluationYear, Result, Round, Status
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
           "score", "remark", "contract_start", "contract_end", "correction_reason")
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
    "correction_reason": gettext_lazy("정정 사유: 저장된 결과의 점수·비고를 고치는 행에만 "
                                      "적음 (고친 행에는 필수, 변경 이력에 남음)"),
}
# Where each column is stored: its value is checked against that model field first.
FIELDS = {
    "year": (EvaluationYear, "year"),
    "round": (Round, "number"),
    "seq": (Result, "seq"),
    "service_key": (Service, "key"),
    "service_name": (Result, "service_name"),
    "department": (Organisation, "name"),
    "contractor": (Result, "contractor_name"),
    "remark": (Result, "remark"),
}
# The open-data workbook of the portal (evaluations.interfaces.opendata): recognised by
# these columns, which the import template does not have.
OPEN_DATA_COLUMNS = {"decision", "decision_label", "threshold_policy", "institution"}
GUIDE_SHEET = "안내"  # a fixed sheet name (import ignores it); its text is translated


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if not self.row and not self.column:  # the file as a whole
            return self.message
        if self.column:
            where = _("%(row)s행 '%(column)s' 열") % {"row": self.row, "column": self.column}
        else:
            where = _("%(row)s행") % {"row": self.row}
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """The whole file was refused; ``errors`` lists every problem found, ``shown`` the
    first of them for a page and ``more`` how many are not shown."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        self.shown, self.more = shown_errors(errors)
        text = "\n".join(str(e) for e in self.shown)
        if self.more:
            text += "\n" + _("… 외 오류 %(n)s건") % {"n": f"{self.more:,}"}
        super().__init__(_("가져오기를 거부했습니다 (아무것도 저장하지 않음):") + "\n" + text)


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    corrected: int = 0
    rounds_opened: list[str] = field(default_factory=list)
    organisations_created: list[str] = field(default_factory=list)
    services_created: list[str] = field(default_factory=list)
    contracts_created: int = 0


# ----------------------------------------------------------------------------- export

# number formats of the columns (numbers are stored as numbers, dates as dates)
FORMATS = tuple({"score": "0.00", "contract_start": "yyyy-mm-dd",
                 "contract_end": "yyyy-mm-dd"}.get(c) for c in COLUMNS)


def _workbook(rows: Iterable[list], target=None) -> bytes | None:
    """The workbook, written row by row (openpyxl's write-only mode): into ``target`` (a
    path or binary file) when given, else returned as bytes."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    header_row(ws, COLUMNS)
    count = 0
    for row in rows:
        append_row(ws, row, FORMATS)
        count += 1
    finish_sheet(ws, len(COLUMNS), count)
    guide = wb.create_sheet(GUIDE_SHEET)
    header_row(guide, ["column", _("설명")])
    for c in COLUMNS:
        append_row(guide, [c, str(GUIDE[c])])
    if target is not None:
        wb.save(target)
        return None
    return workbook_bytes(wb)


def blank_template() -> bytes:
    """The empty template (header and guide sheet) for download."""
    return _workbook([])


EXPORT_CHUNK = 2000
_EXPORTED = ("year", "round_number", "seq", "service__key", "service_name",
             "department__name", "contractor_name", "score", "remark", "service_id")


def export_rows(results) -> Iterator[list]:
    """The rows of ``results`` in the template's layout, in the order of the result
    lists (year, round, 연번): read from the database in chunks of
    :data:`EXPORT_CHUNK` plain tuples, each chunk with its services' contract periods,
    so memory does not grow with the year."""
    rows = (results.order_by("year", "round_number", "seq", "id").values_list(*_EXPORTED)
            .iterator(chunk_size=EXPORT_CHUNK))
    for chunk in iter(lambda: list(islice(rows, EXPORT_CHUNK)), []):
        periods: dict[int, list[ContractPeriod]] = {}
        for p in ContractPeriod.objects.filter(
                service_id__in={r[-1] for r in chunk}).order_by("start"):
            periods.setdefault(p.service_id, []).append(p)
        for *values, service_id in chunk:
            year = values[0]
            period = next((p for p in reversed(periods.get(service_id, []))
                           if p.start.year <= year <= p.end.year), None)
            yield [*values, period.start if period else None,
                   period.end if period else None, None]


def export_results(year: int, *, results=None, target=None) -> bytes | None:
    """All results of ``year`` (or the given queryset filtered to it) as the template:
    bytes, or written into ``target`` (a path or binary file) row by row."""
    qs = (Result.objects.all() if results is None else results).filter(year=year)
    return _workbook(export_rows(qs), target)


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
        errors.append(RowError(row, column, _("정수가 아닙니다: %(text)r")
                               % {"text": excerpt(text)}))
        return None
    if abs(number) > 10 ** 18:  # far outside every field: do not build a huge int
        errors.append(RowError(row, column, _("값이 너무 큽니다: %(text)s")
                               % {"text": excerpt(text)}))
        return None
    return int(number)


def _date(value, row, column, errors) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return cell_date(value)
    except ValueError:
        errors.append(RowError(row, column, _("날짜(YYYY-MM-DD)가 아닙니다: %(text)r")
                               % {"text": excerpt(_text(value))}))
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
    reason: str = ""


def _refused(message: str) -> ImportRefused:
    return ImportRefused([RowError(0, None, message)])


def read_rows(data: bytes) -> tuple[list[_Row], list[RowError]]:
    """Parse and check the sheet's cells (no database lookups), in bounded memory."""
    errors: list[RowError] = []
    try:
        wb = open_workbook(data)
    except WorkbookRefused as exc:
        raise _refused(exc.message) from None
    try:
        return _read_sheet(wb, errors)
    except WorkbookRefused as exc:
        raise _refused(exc.message) from None
    finally:
        wb.close()


def _read_sheet(wb, errors: list[RowError]) -> tuple[list[_Row], list[RowError]]:
    if SHEET not in wb.sheetnames:
        raise _refused(_("'%(sheet)s' 시트가 없습니다.") % {"sheet": SHEET})
    it = bounded_rows(wb.rows(SHEET))
    header = read_header(it)
    if OPEN_DATA_COLUMNS <= set(header):
        raise _refused(_("공공데이터(공개 결과) 파일입니다. 이 파일은 가져올 수 없습니다: 업무 "
                         "화면 '엑셀 가져오기·내보내기'의 연도별 내보내기 파일"
                         "(seonggwa-results-연도.xlsx)이나 빈 양식에 적어 올리십시오."))
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    doubled = sorted({h for h in header if h and header.count(h) > 1})
    if missing or unknown or doubled:
        raise ImportRefused([RowError(1, c, _("필수 열이 없습니다.")) for c in missing]
                            + [RowError(1, excerpt(h) or _("(빈 제목)"),
                                        _("알 수 없는 열입니다.")) for h in unknown]
                            + [RowError(1, h, _("같은 열이 두 번 있습니다.")) for h in doubled])
    rows: list[_Row] = []
    decidable: dict[int, bool] = {}  # year -> a threshold policy is in force
    for n, values in enumerate(it, start=2):
        if all(_text(v) == "" for v in values):
            continue
        cells = dict(zip(header, values, strict=False))
        before = len(errors)
        bad = set()
        for col in header:  # NUL, over-long cells, NaN/inf: whatever the column
            problem = cell_problem(cells.get(col))
            if problem:
                errors.append(RowError(n, col, problem))
                cells[col] = None
                bad.add(col)
        year = _int(cells.get("year"), n, "year", errors, required=True)
        rnd = _int(cells.get("round"), n, "round", errors)
        seq = _int(cells.get("seq"), n, "seq", errors)
        texts = {c: _text(cells.get(c)) for c in ("service_key", "service_name", "department",
                                                  "contractor", "remark",
                                                  "correction_reason")}
        for col in ("service_name", "department", "contractor"):
            if not texts[col] and col not in bad:
                errors.append(RowError(n, col, _("값이 필요합니다.")))
        for col, value in (("year", year), ("round", rnd), ("seq", seq),
                           *((c, texts[c]) for c in ("service_key", "service_name",
                                                     "department", "contractor", "remark"))):
            model, fname = FIELDS[col]
            for message in field_problems(model, fname, value):
                errors.append(RowError(n, col, message))
        if year is not None and 1 <= year <= 9999 and not any(
                e.column == "year" for e in errors[before:]):
            if year not in decidable:
                decidable[year] = policies.policy_for_year_or_none(year) is not None
            if not decidable[year]:  # e.g. 1999: nothing to decide by
                errors.append(RowError(n, "year",
                                       policies.no_policy_message(policies.evaluation_date(year))))
        score = None
        raw = _text(cells.get("score"))
        if not raw:
            if "score" not in bad:
                errors.append(RowError(n, "score", _("값이 필요합니다.")))
        else:
            try:
                score = workflow.parse_score(excerpt(raw, 60))
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
        contractor = texts["contractor"]
        members = split_contractor(contractor)[0] if contractor else ()
        for m in members:
            for message in field_problems(Organisation, "name", m):
                errors.append(RowError(n, "contractor", message))
        rows.append(_Row(n, year, rnd, seq, texts["service_key"], texts["service_name"],
                         texts["department"], contractor, members, score, texts["remark"],
                         start, end, texts["correction_reason"]))
    return rows, errors


def _differences(r: _Row, res: Result) -> tuple[list[str], list[str]]:
    """(columns a correction may change, columns it may not) where row and result differ."""
    correctable = [c for c, a, b in (("score", r.score, res.score),
                                     ("remark", r.remark, res.remark or ""))
                   if a is not None and a != b]
    fixed = [c for c, a, b in (("seq", r.seq, res.seq),
                               ("service_name", r.service_name, res.service_name),
                               ("department", r.department, res.department.name),
                               ("contractor", r.contractor, res.contractor_name))
             if a != b]
    return correctable, fixed


@transaction.atomic
def import_results(data: bytes, *, year: int | None = None, create_missing: bool = False,
                   actor=None, actor_label: str = "xlsx import") -> ImportReport:
    """Import the template all-or-nothing. Raises :class:`ImportRefused` with every
    row-level error; on success every new row became a draft result, identical rows were
    left alone and changed rows were corrected with their reason."""
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

    # services
    resolved: dict[int, Service | None] = {}
    for r in rows:
        svc = None
        if r.service_key:
            svc = by_key.get(r.service_key)
        elif r.service_name:
            ids = by_name.get(r.service_name, set())
            if len(ids) > 1:
                errors.append(RowError(r.n, "service_name",
                                       _("같은 이름의 사무가 %(n)s개입니다: service_key를 "
                                         "적어 주십시오.") % {"n": len(ids)}))
            elif ids:
                svc = services_by_id[next(iter(ids))]
        resolved[r.n] = svc
    # rows of results already stored: unchanged, or a correction with its reason
    seen: dict[tuple, int] = {}
    rounds = {(rd.year.year, rd.number): rd for rd in Round.objects.outsourcing().filter(
        year__year__in={r.year for r in rows if r.year}).select_related("year")}
    stored = {(res.service_id, res.round_id): res for res in Result.objects.filter(
        round__in=list(rounds.values()),
        service__in=[s for s in resolved.values() if s is not None])
        .select_related("department").order_by("id")}
    existing_of: dict[int, Result] = {}
    corrections: list[tuple[_Row, Result]] = []
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
            existing_of[r.n] = existing
            correctable, fixed = _differences(r, existing)
            for col in fixed:
                errors.append(RowError(r.n, col, _(
                    "%(round)s에 저장된 결과의 값과 다릅니다 (저장된 값: %(stored)s). 사무명·"
                    "사업부서·수탁기관·연번은 가져오기로 바꾸지 않습니다: 저장된 값으로 "
                    "되돌려 올리십시오.")
                    % {"round": rnd, "stored": excerpt(
                        {"seq": existing.seq, "service_name": existing.service_name,
                         "department": existing.department.name,
                         "contractor": existing.contractor_name}[col] or "-")}))
            if correctable and not r.reason:
                state = (existing.get_status_display() if existing.is_locked
                         else _("작성 중"))
                errors.append(RowError(r.n, "correction_reason", _(
                    "저장된 결과(%(score)s점, %(state)s)와 점수 또는 비고가 다릅니다. 고치려면 "
                    "'correction_reason' 열에 정정 사유를 적어 다시 올리십시오 (정정은 "
                    "변경 이력에 남습니다). 고치지 않으려면 저장된 값으로 되돌리십시오.")
                    % {"score": existing.score, "state": state}))
            elif correctable and not fixed:
                corrections.append((r, existing))
            continue
        if r.reason:
            errors.append(RowError(r.n, "correction_reason", _(
                "정정할 결과가 없습니다 (이 차수에 이 사무의 결과가 아직 없음). 새 결과라면 "
                "정정 사유를 비우십시오.")))
        if rnd is not None and rnd.status != Status.DRAFT:
            errors.append(RowError(r.n, "round",
                                   _("%(round)s 평가는 이미 %(status)s되어 새 결과를 받지 "
                                     "않습니다 (저장된 결과의 정정은 내보낸 파일에 "
                                     "정정 사유를 적어 올리십시오).")
                                   % {"round": rnd, "status": rnd.get_status_display()}))
    new_rows = [r for r in rows if r.n not in existing_of]

    unknown_depts = sorted({r.department for r in new_rows if r.department
                            and r.department not in depts})
    unknown_contractors = sorted({m for r in new_rows for m in r.members
                                  if m not in contractors})
    if not create_missing:
        for r in new_rows:
            if r.department and r.department not in depts:
                errors.append(RowError(r.n, "department",
                                       _("등록되지 않은 사업부서: %(name)s")
                                       % {"name": r.department}))
            bad = [m for m in r.members if m not in contractors]
            if bad:
                errors.append(RowError(r.n, "contractor",
                                       _("등록되지 않은 수탁기관: %(names)s")
                                       % {"names": ", ".join(bad)}))
            if resolved[r.n] is None and r.service_key:
                errors.append(RowError(r.n, "service_key",
                                       _("등록되지 않은 사무 키: %(key)s")
                                       % {"key": r.service_key}))
            elif resolved[r.n] is None and r.service_name and not any(
                    e.row == r.n and e.column == "service_name" for e in errors):
                errors.append(RowError(r.n, "service_name",
                                       _("등록되지 않은 사무: %(name)s")
                                       % {"name": r.service_name}))
    if errors:
        errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS
                                   else -1))
        raise ImportRefused(errors)
    report.unchanged = len(existing_of) - len(corrections)
    rows = new_rows

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
                notes=_("결과 엑셀 가져오기에서 새로 등록"), **who)
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
    for r, result in corrections:  # 정정: the domain's correction, audited with its reason
        try:
            workflow.amend_result(result, r.score if r.score is not None else result.score,
                                  r.reason, actor=actor, remark=r.remark,
                                  actor_label=actor_label)
        except workflow.WorkflowError as exc:
            errors.append(RowError(r.n, "score", " ".join(exc.messages)))
        else:
            report.corrected += 1
    if errors:
        raise ImportRefused(errors)
    return report


def _new_key() -> str:
    n = Service.objects.filter(key__startswith="svc-").count() + 1
    while Service.objects.filter(key=f"svc-{n:04d}").exists():
        n += 1
    return f"svc-{n:04d}"
