"""The registry workbook: services, contracts, council consents, inspections, audits and
operating figures in one XLSX file, the way officers keep them.

One sheet per kind of row (:data:`SHEETS`), header in row 1, one row per object from
row 2, plus a guide sheet ``안내`` that import ignores. Sheets that are left out of a file
import nothing; a sheet with an unknown name is refused (a misspelt sheet would otherwise
be skipped silently).

Each row is the whole record of one object, found by its natural key:

================= ====================================================
sheet             natural key
================= ====================================================
services          service_key
contracts         service_key + start
council_consents  service_key + date
inspections       service_key + year + date
audits            service_key + year + auditor + date
figures           service_key + kind + indicator + year + quarter
================= ====================================================

A row whose key is new creates the object; a row whose key exists updates it to the
row's values (an empty cell empties the field); rows absent from the file leave their
objects alone — import never deletes. Export then import changes nothing, and an export
imported into an empty registry gives the same data back (tested).

Import is all-or-nothing (one transaction). Every problem is reported as
``RowError(sheet, row, column, message)`` with the row number the spreadsheet shows
(header = row 1). Refused: unknown service keys; unknown departments and contractors
(all unknown names listed — created only with ``create_missing=True``, never matched
approximately); duplicate rows (same natural key twice); dates that contradict (end
before start, overlapping periods, a ``previous_start`` that is not an earlier period of
the same service); a cost that is not a won amount; and every refusal of the domain
functions (:mod:`seonggwa.registry.domain.changes`), which do all the writing.

Audit: the importer calls the same domain functions as the office pages, so the trail
gets one event per created or changed object (actor = the importing user, reason =
"registry workbook import: <file name>"); unchanged rows write nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from seonggwa.core.xlsx import (
    CONSORTIUM_SEPARATOR,
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
    max_data_rows,
    open_workbook,
    read_header,
    shown_errors,
    workbook_bytes,
)
from seonggwa.registry.domain import changes
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

GUIDE_SHEET = "안내"
# Members of a consortium: joined with the one separator of every export; "|" (the
# separator of earlier files) is still read.
CONTRACTOR_SEPARATOR = CONSORTIUM_SEPARATOR
LEGACY_SEPARATOR = "|"

# sheet -> [(column, required, guide text)]
SHEETS: dict[str, list[tuple[str, bool, object]]] = {
    "services": [
        ("service_key", True, gettext_lazy("사무 키 (예: svc-0043). 새 키는 새 사무로 등록")),
        ("service_name", True, gettext_lazy("사무명")),
        ("department", False, gettext_lazy("사업부서 (등록된 이름 그대로)")),
        ("annual_cost_won", False,
         gettext_lazy("연 사업비 (원, 정수; 쉼표 허용). 비우면 '모름'")),
        ("has_statutory_evaluation", True,
         gettext_lazy("법령·조례상 별도 평가체계 (Y 또는 N)")),
        ("notes", False, gettext_lazy("비고")),
    ],
    "contracts": [
        ("service_key", True, gettext_lazy("사무 키")),
        ("start", True, gettext_lazy("위탁기간 시작일 (YYYY-MM-DD)")),
        ("end", True, gettext_lazy("위탁기간 종료일 (YYYY-MM-DD, 시작일 이후)")),
        ("kind", False, gettext_lazy("구분: new(신규 위탁), reconsignment(재위탁), "
                                     "recontract(재계약); 비우면 new")),
        ("contractors", False,
         gettext_lazy("수탁기관 (등록된 이름 그대로; 컨소시엄은 '·'로 구분)")),
        ("previous_start", False,
         gettext_lazy("직전 위탁기간의 시작일 (같은 사무, 이 기간 전에 끝난 기간)")),
        ("note", False, gettext_lazy("비고")),
    ],
    "council_consents": [
        ("service_key", True, gettext_lazy("사무 키")),
        ("date", True, gettext_lazy("시의회 동의일 (YYYY-MM-DD)")),
        ("note", False, gettext_lazy("비고 (회기 등)")),
    ],
    "inspections": [
        ("service_key", True, gettext_lazy("사무 키")),
        ("year", True, gettext_lazy("점검 연도")),
        ("count", True, gettext_lazy("지적 건수 (0 이상의 정수)")),
        ("corrective_demand", True, gettext_lazy("시정요구 여부 (Y 또는 N)")),
        ("text", False, gettext_lazy("지적 내용")),
        ("date", False, gettext_lazy("점검일 (YYYY-MM-DD, 그 연도 안)")),
    ],
    "audits": [
        ("service_key", True, gettext_lazy("사무 키")),
        ("year", True, gettext_lazy("감사 연도")),
        ("auditor", False, gettext_lazy("감사기관")),
        ("finding_count", True, gettext_lazy("지적 건수 (0 이상의 정수)")),
        ("summary", False, gettext_lazy("결과 요약")),
        ("date", False, gettext_lazy("감사일 (YYYY-MM-DD, 그 연도 안)")),
    ],
    "figures": [
        ("service_key", True, gettext_lazy("사무 키")),
        ("kind", True, gettext_lazy("구분: staff_turnover(이직률), budget_execution(예산 "
                                    "집행률), satisfaction(만족도), target(목표), "
                                    "actual(실적)")),
        ("indicator", False, gettext_lazy("지표 이름 (목표·실적은 같은 이름으로)")),
        ("year", True, gettext_lazy("연도")),
        ("quarter", False, gettext_lazy("분기 1~4 (비우면 연간)")),
        ("value", True, gettext_lazy("값 (숫자; 백분율은 %p 값, 예: 88.02)")),
        ("unit", False, gettext_lazy("단위 (예: %, 명, 점)")),
        ("period_text", False, gettext_lazy("기간 표기 (원문)")),
        ("source", False, gettext_lazy("출처")),
    ],
}
SHEET_GUIDE = {
    "services": gettext_lazy("위탁사무 한 행에 하나 (사무 키로 찾음)"),
    "contracts": gettext_lazy("위탁기간 (사무 키 + 시작일로 찾음)"),
    "council_consents": gettext_lazy("시의회 동의 (사무 키 + 동의일로 찾음)"),
    "inspections": gettext_lazy("지도점검 지적사항 (사무 키 + 연도 + 점검일로 찾음)"),
    "audits": gettext_lazy("감사 결과 (사무 키 + 연도 + 감사기관 + 감사일로 찾음)"),
    "figures": gettext_lazy("운영 지표 (사무 키 + 구분 + 지표 + 연도 + 분기로 찾음)"),
}
# where a domain refusal's field lands in the workbook
FIELD_COLUMN = {
    "services": {"key": "service_key", "name": "service_name",
                 "annual_cost": "annual_cost_won"},
    "contracts": {"previous": "previous_start"},
}

TRUE_WORDS = {"y", "yes", "true", "1", "o", "예", "있음", "네"}
FALSE_WORDS = {"n", "no", "false", "0", "x", "아니오", "없음", "아니요"}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row:
            where.append(_("%(row)s행") % {"row": self.row})
        if self.column:
            where.append(_("'%(column)s' 열") % {"column": self.column})
        return f"{' '.join(where)}: {self.message}"


class ImportRefused(Exception):
    """The whole workbook was refused; ``errors`` lists every problem found (``shown``
    the first of them for a page, ``more`` how many are left out) and
    ``unknown_departments`` / ``unknown_contractors`` the names that are not registered."""

    def __init__(self, errors: list[RowError], *, unknown_departments=(),
                 unknown_contractors=()):
        self.errors = errors
        self.shown, self.more = shown_errors(errors)
        self.unknown_departments = sorted(unknown_departments)
        self.unknown_contractors = sorted(unknown_contractors)
        text = "\n".join(str(e) for e in self.shown)
        if self.more:
            text += "\n" + _("… 외 오류 %(n)s건") % {"n": f"{self.more:,}"}
        super().__init__(_("가져오기를 거부했습니다 (아무것도 저장하지 않음):") + "\n" + text)


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    organisations_created: list[str] = field(default_factory=list)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())


def columns(sheet: str) -> list[str]:
    return [c for c, _req, _g in SHEETS[sheet]]


# ----------------------------------------------------------------------------- export

def _yn(value: bool) -> str:
    return "Y" if value else "N"


def _number(value: Decimal):
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else value


#: Rows fetched from the database at a time while exporting (the export never holds the
#: whole registry in memory).
EXPORT_CHUNK = 2000


def _ordered(model, services, *order):
    """``model``'s rows of ``services`` (default every service) in the export order: service
    key, then ``order`` (empty values first), fetched in chunks."""
    qs = model.objects.all() if services is None else model.objects.filter(
        service__in=services.values("pk"))
    return (qs.annotate(service_key=F("service__key"))
            .order_by("service_key", *[F(f).asc(nulls_first=True) for f in order], "pk")
            .iterator(chunk_size=EXPORT_CHUNK))


def _chunks(iterable, size: int = EXPORT_CHUNK):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _contract_rows(services):
    periods = _ordered(ContractPeriod, services, "start")
    for chunk in _chunks(periods):
        members: dict[int, list[str]] = {}
        for pid, name in ContractPeriod.contractors.through.objects.filter(
                contractperiod_id__in=[p.pk for p in chunk]).values_list(
                "contractperiod_id", "organisation__name"):
            members.setdefault(pid, []).append(name)
        previous = dict(ContractPeriod.objects.filter(
            pk__in={p.previous_id for p in chunk if p.previous_id}).values_list("pk", "start"))
        for p in chunk:
            yield [p.service_key, p.start, p.end, p.kind,
                   CONTRACTOR_SEPARATOR.join(sorted(members.get(p.pk, []))) or None,
                   previous.get(p.previous_id), p.note or None]


def export_rows(services=None) -> dict[str, Iterable[list]]:
    """The rows of each sheet for ``services`` (default: every service), in a stable
    order (service key, then the natural key), as iterators that read the database in
    chunks of :data:`EXPORT_CHUNK` rows."""
    qs = (Service.objects.all() if services is None else services).select_related(
        "department").order_by("key")
    return {
        "services": ([s.key, s.name, s.department.name if s.department else None,
                      s.annual_cost, _yn(s.has_statutory_evaluation), s.notes or None]
                     for s in qs.iterator(chunk_size=EXPORT_CHUNK)),
        "contracts": _contract_rows(services),
        "council_consents": ([c.service_key, c.date, c.note or None]
                             for c in _ordered(CouncilConsent, services, "date")),
        "inspections": ([f.service_key, f.year, f.count, _yn(f.corrective_demand),
                         f.text or None, f.date]
                        for f in _ordered(InspectionFinding, services, "year", "date")),
        "audits": ([a.service_key, a.year, a.auditor or None, a.finding_count,
                    a.summary or None, a.date]
                   for a in _ordered(AuditResult, services, "year", "auditor", "date")),
        "figures": ([f.service_key, f.kind, f.indicator or None, f.year, f.quarter,
                     _number(f.value), f.unit or None, f.period_text or None,
                     f.source or None]
                    for f in _ordered(OperatingFigure, services, "kind", "indicator", "year",
                                      "quarter")),
    }


NUMBER_FORMATS = {"start": "yyyy-mm-dd", "end": "yyyy-mm-dd", "date": "yyyy-mm-dd",
                  "previous_start": "yyyy-mm-dd", "annual_cost_won": "#,##0"}


def _workbook(rows: dict[str, Iterable[list]], target=None) -> bytes | None:
    """The workbook, written row by row (openpyxl's write-only mode): into ``target`` (a
    path or binary file) when given, else returned as bytes."""
    wb = Workbook(write_only=True)
    for sheet, spec in SHEETS.items():
        ws = wb.create_sheet(sheet)
        names = [c for c, _req, _g in spec]
        header_row(ws, names)
        formats = [NUMBER_FORMATS.get(c) for c in names]
        count = 0
        for row in rows.get(sheet, ()):
            append_row(ws, row, formats)
            count += 1
        finish_sheet(ws, len(names), count)
    guide = wb.create_sheet(GUIDE_SHEET)
    header_row(guide, [_("시트"), _("열"), _("필수"), _("설명")])
    for sheet, spec in SHEETS.items():
        append_row(guide, [sheet, "", "", str(SHEET_GUIDE[sheet])])
        for c, required, text in spec:
            append_row(guide, [sheet, c, _("예") if required else "", str(text)])
    guide.append([])
    for line in (_("한 행은 한 대상의 전체 기록입니다: 빈 칸은 그 값을 비웁니다."),
                 _("파일에 없는 행은 그대로 둡니다 (가져오기는 지우지 않습니다)."),
                 _("한 행이라도 잘못되면 아무것도 저장하지 않고 시트·행·열별 오류를 "
                   "보여 줍니다."),
                 _("등록되지 않은 사업부서·수탁기관은 '새로 만들기'를 선택해야만 "
                   "만듭니다.")):
        append_row(guide, [line])
    if target is not None:
        wb.save(target)
        return None
    return workbook_bytes(wb)


def blank_template() -> bytes:
    """The empty workbook (headers and the guide sheet) for download."""
    return _workbook({})


def export_registry(services=None, target=None) -> bytes | None:
    """The registry of ``services`` (default all) in the import layout: bytes, or written
    into ``target`` (a path or binary file) without holding the workbook in memory."""
    return _workbook(export_rows(services), target)


# ----------------------------------------------------------------------------- parsing

class _CellError(Exception):
    def __init__(self, message):
        self.message = message


_text = cell_text


def _date(value) -> dt.date | None:
    if value is None or _text(value) == "":
        return None
    try:
        return cell_date(value)
    except ValueError:
        raise _CellError(_("날짜(YYYY-MM-DD)가 아닙니다: %(text)s")
                         % {"text": excerpt(_text(value))}) from None


def _int(value) -> int | None:
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
        if not number.is_finite() or number != number.to_integral_value():
            raise InvalidOperation
    except InvalidOperation:
        raise _CellError(_("정수가 아닙니다: %(text)s")
                         % {"text": excerpt(_text(value))}) from None
    if abs(number) > 10 ** 18:  # far outside every field: do not build a huge int
        raise _CellError(_("값이 너무 큽니다: %(text)s") % {"text": excerpt(_text(value))})
    return int(number)


def _bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise _CellError(_("Y 또는 N이어야 합니다: %(text)s") % {"text": excerpt(_text(value))})


def _decimal(value) -> Decimal | None:
    text = _text(value).replace(",", "")
    if not text:
        return None
    if isinstance(value, float):
        text = repr(value)
    try:
        number = Decimal(text)
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise _CellError(_("숫자가 아닙니다: %(text)s")
                         % {"text": excerpt(_text(value))}) from None
    return number


def _choice(value, choices) -> str:
    text = _text(value)
    if not text:
        return ""
    for code, label in choices:
        if text in (code, str(label)):
            return code
    raise _CellError(_("알 수 없는 값: %(text)s (가능: %(choices)s)")
                     % {"text": excerpt(text), "choices": ", ".join(c for c, _l in choices)})


def _cost(value) -> int | None:
    """The domain's own reading of a cost (won, thousands separators allowed), so its
    refusal is the cell's error."""
    try:
        return changes.parse_cost(value)
    except ValidationError as exc:
        raise _CellError(" ".join(exc.messages)) from None


PARSERS = {
    "start": _date, "end": _date, "date": _date, "previous_start": _date,
    "year": _int, "count": _int, "finding_count": _int, "quarter": _int,
    "annual_cost_won": _cost,
    "has_statutory_evaluation": _bool, "corrective_demand": _bool,
    "value": _decimal,
}


@dataclass
class _Row:
    sheet: str
    n: int
    cells: dict


# Where each column is stored: the value is checked against that model field (its
# max_length and validators) before any domain function or the database sees it.
FIELDS = {
    "services": (Service, {"service_key": "key", "service_name": "name", "notes": "notes"}),
    "contracts": (ContractPeriod, {"note": "note"}),
    "council_consents": (CouncilConsent, {"note": "note"}),
    "inspections": (InspectionFinding, {"year": "year", "count": "count", "text": "text"}),
    "audits": (AuditResult, {"year": "year", "auditor": "auditor",
                             "finding_count": "finding_count", "summary": "summary"}),
    "figures": (OperatingFigure, {"indicator": "indicator", "year": "year",
                                  "quarter": "quarter", "value": "value", "unit": "unit",
                                  "period_text": "period_text", "source": "source"}),
}


def _problems(sheet: str, column: str, value) -> list[str]:
    if column == "service_key":
        return field_problems(Service, "key", value)
    if column == "department":
        return field_problems(Organisation, "name", value)
    model, fields = FIELDS[sheet]
    if column in fields:
        return field_problems(model, fields[column], value)
    return []


def split_contractors(text: str) -> list[str]:
    """Members of a consortium as written in the ``contractors`` cell."""
    separator = LEGACY_SEPARATOR if LEGACY_SEPARATOR in text else CONTRACTOR_SEPARATOR
    return [m.strip() for m in text.split(separator) if m.strip()]


def read_workbook(data: bytes) -> tuple[dict[str, list[_Row]], list[RowError]]:
    """Parse every sheet's cells (no database lookups), in bounded memory."""
    errors: list[RowError] = []
    try:
        wb = open_workbook(data)
    except WorkbookRefused as exc:
        raise ImportRefused([RowError("", None, None, exc.message)]) from None
    try:
        return _read_sheets(wb, errors)
    except WorkbookRefused as exc:
        raise ImportRefused([RowError("", None, None, exc.message)]) from None
    finally:
        wb.close()


def _read_sheets(wb, errors: list[RowError]) -> tuple[dict[str, list[_Row]], list[RowError]]:
    rows: dict[str, list[_Row]] = {s: [] for s in SHEETS}
    budget = None  # data rows left for the whole workbook
    for name in wb.sheetnames:
        if name == GUIDE_SHEET:
            continue
        if name not in SHEETS:
            errors.append(RowError(excerpt(name), None, None,
                                   _("알 수 없는 시트입니다 (가능: %(sheets)s).")
                                   % {"sheets": ", ".join(SHEETS)}))
            continue
        it = bounded_rows(wb.rows(name), max_rows=budget)
        header = read_header(it)
        known = columns(name)
        missing = [c for c, req, _g in SHEETS[name] if req and c not in header]
        unknown = [h for h in header if h not in known]
        doubled = sorted({h for h in header if h and header.count(h) > 1})
        if missing or unknown or doubled:
            errors += [RowError(name, 1, c, _("필수 열이 없습니다.")) for c in missing]
            errors += [RowError(name, 1, excerpt(h) or _("(빈 제목)"),
                                _("알 수 없는 열입니다.")) for h in unknown]
            errors += [RowError(name, 1, h, _("같은 열이 두 번 있습니다.")) for h in doubled]
            continue
        required = {c for c, req, _g in SHEETS[name] if req}
        for n, values in enumerate(it, start=2):
            raw = dict(zip(header, values, strict=False))
            if all(_text(v) == "" for v in values):
                continue
            cells = {}
            for column in known:
                value = raw.get(column)
                problem = cell_problem(value)
                if problem:
                    errors.append(RowError(name, n, column, problem))
                    cells[column] = None
                    continue
                if column in required and _text(value) == "":
                    errors.append(RowError(name, n, column, _("값이 필요합니다.")))
                    cells[column] = None
                    continue
                parser = PARSERS.get(column, _text)
                try:
                    cells[column] = parser(value) if parser else value
                except _CellError as exc:
                    errors.append(RowError(name, n, column, exc.message))
                    cells[column] = None
                    continue
                for message in _problems(name, column, cells[column]):
                    errors.append(RowError(name, n, column, message))
                    cells[column] = None
            if name == "contracts":
                cells["contractors_text"] = cells.get("contractors") or ""
                cells["contractors"] = split_contractors(cells["contractors_text"])
                for m in cells["contractors"]:
                    for message in field_problems(Organisation, "name", m):
                        errors.append(RowError(name, n, "contractors", message))
                if cells.get("start") and cells.get("end") and cells["end"] < cells["start"]:
                    errors.append(RowError(name, n, "end", _(
                        "위탁기간 종료일(%(end)s)이 시작일(%(start)s)보다 빠릅니다.")
                        % {"end": cells["end"], "start": cells["start"]}))
                if (cells.get("previous_start") and cells.get("start")
                        and cells["previous_start"] >= cells["start"]):
                    errors.append(RowError(name, n, "previous_start", _(
                        "직전 위탁기간의 시작일(%(prev)s)은 이 기간의 시작일(%(start)s)보다 "
                        "빨라야 합니다.") % {"prev": cells["previous_start"],
                                       "start": cells["start"]}))
            rows[name].append(_Row(name, n, cells))
        used = sum(len(v) for v in rows.values())
        budget = max(0, max_data_rows() - used)
    return rows, errors


NATURAL_KEYS = {
    "services": ("service_key",),
    "contracts": ("service_key", "start"),
    "council_consents": ("service_key", "date"),
    "inspections": ("service_key", "year", "date"),
    "audits": ("service_key", "year", "auditor", "date"),
    "figures": ("service_key", "kind", "indicator", "year", "quarter"),
}


# ----------------------------------------------------------------------------- import

@transaction.atomic
def import_registry(data: bytes, *, create_missing: bool = False, actor=None,
                    actor_label: str = "", filename: str = "") -> ImportReport:
    """Import the registry workbook all-or-nothing. Raises :class:`ImportRefused` with
    every problem; on success returns what was created, updated and left unchanged."""
    rows, errors = read_workbook(data)
    reason = _("대장 엑셀 가져오기: %(file)s") % {"file": filename or "-"}
    report = ImportReport()
    who = {"actor": actor, "actor_label": actor_label, "reason": reason}

    # duplicates within the file
    for sheet, sheet_rows in rows.items():
        seen: dict[tuple, int] = {}
        for r in sheet_rows:
            key = tuple(r.cells.get(c) for c in NATURAL_KEYS[sheet])
            if None in key[:1]:
                continue
            if key in seen:
                errors.append(RowError(sheet, r.n, NATURAL_KEYS[sheet][-1],
                                       _("%(row)s행과 같은 대상입니다 (%(key)s): 중복 행.")
                                       % {"row": seen[key], "key": ", ".join(
                                           str(k) for k in key if k not in (None, ""))}))
            else:
                seen[key] = r.n

    # service keys
    file_keys = {r.cells["service_key"] for r in rows["services"] if r.cells["service_key"]}
    referenced = {r.cells["service_key"] for s in SHEETS if s != "services"
                  for r in rows[s] if r.cells.get("service_key")}
    stored = {s.key: s for s in Service.objects.filter(key__in=file_keys | referenced)
              .select_related("department")}
    for sheet in SHEETS:
        if sheet == "services":
            continue
        for r in rows[sheet]:
            key = r.cells.get("service_key")
            if key and key not in stored and key not in file_keys:
                errors.append(RowError(sheet, r.n, "service_key",
                                       _("등록되지 않은 사무 키: %(key)s (services 시트에도 "
                                         "없습니다)") % {"key": key}))

    # organisations: exact names only, never guessed
    dept_names = {r.cells["department"] for r in rows["services"] if r.cells["department"]}
    whole = {r.cells["contractors_text"] for r in rows["contracts"]
             if len(r.cells["contractors"]) > 1}
    firm_names = {m for r in rows["contracts"] for m in r.cells["contractors"]}
    depts = {o.name: o for o in Organisation.objects.departments().filter(name__in=dept_names)}
    firms = {o.name: o for o in Organisation.objects.contractors().filter(
        name__in=firm_names | whole)}
    for r in rows["contracts"]:  # one registered name that contains the separator
        if r.cells["contractors_text"] in whole and r.cells["contractors_text"] in firms:
            r.cells["contractors"] = [r.cells["contractors_text"]]
    firm_names = {m for r in rows["contracts"] for m in r.cells["contractors"]}
    unknown_depts = dept_names - set(depts)
    unknown_firms = firm_names - set(firms)
    if not create_missing:
        for r in rows["services"]:
            if r.cells["department"] in unknown_depts:
                errors.append(RowError("services", r.n, "department",
                                       _("등록되지 않은 사업부서: %(name)s")
                                       % {"name": r.cells["department"]}))
        for r in rows["contracts"]:
            bad = [m for m in r.cells["contractors"] if m in unknown_firms]
            if bad:
                errors.append(RowError("contracts", r.n, "contractors",
                                       _("등록되지 않은 수탁기관: %(names)s")
                                       % {"names": ", ".join(bad)}))

    def refuse():
        order = list(SHEETS)
        errors.sort(key=lambda e: (order.index(e.sheet) if e.sheet in order else -1,
                                   e.row or 0))
        raise ImportRefused(errors, unknown_departments=unknown_depts,
                            unknown_contractors=unknown_firms)

    if errors:
        refuse()

    if create_missing:
        for name in sorted(unknown_depts):
            depts[name] = changes.create_organisation(
                kind=OrganisationKind.DEPARTMENT, name=name, **who)
            report.organisations_created.append(name)
        for name in sorted(unknown_firms):
            firms[name] = changes.create_organisation(
                kind=OrganisationKind.CONTRACTOR, name=name, **who)
            report.organisations_created.append(name)

    def apply(r: _Row, fn):
        """Run one row's change in a savepoint; a refusal becomes that row's error."""
        try:
            with transaction.atomic():
                outcome = fn(r.cells)
        except ValidationError as exc:
            mapping = FIELD_COLUMN.get(r.sheet, {})
            if hasattr(exc, "error_dict"):
                for fname, errs in exc.message_dict.items():
                    column = mapping.get(fname, fname)
                    column = column if column in columns(r.sheet) else None
                    errors.extend(RowError(r.sheet, r.n, column, m) for m in errs)
            else:
                errors.extend(RowError(r.sheet, r.n, None, m) for m in exc.messages)
            return
        bucket = {"created": report.created, "updated": report.updated,
                  "unchanged": report.unchanged}[outcome]
        bucket[r.sheet] += 1

    def service_row(c):
        existing = stored.get(c["service_key"])
        values = {"department": depts.get(c["department"]) if c["department"] else None,
                  "annual_cost": c["annual_cost_won"],
                  "has_statutory_evaluation": c["has_statutory_evaluation"],
                  "notes": c["notes"]}
        if existing is None:
            stored[c["service_key"]] = changes.create_service(
                key=c["service_key"], name=c["service_name"], **values, **who)
            return "created"
        return ("updated" if changes.update_service(existing, name=c["service_name"],
                                                    **values, **who) else "unchanged")

    def contract_row(c):
        service = stored[c["service_key"]]
        previous = None
        if c["previous_start"]:
            previous = ContractPeriod.objects.filter(service=service,
                                                     start=c["previous_start"]).first()
            if previous is None:
                raise changes.RegistryError({"previous": [_(
                    "이 사무에 %(date)s에 시작하는 위탁기간이 없습니다 (직전 기간은 파일의 "
                    "앞 행이나 등록된 기간이어야 합니다).") % {"date": c["previous_start"]}]})
        values = {"end": c["end"], "kind": c["kind"] or ContractPeriod.Kind.NEW,
                  "contractors": [firms[m] for m in c["contractors"]],
                  "previous": previous, "note": c["note"]}
        existing = ContractPeriod.objects.filter(service=service, start=c["start"]).first()
        if existing is None:
            changes.add_contract_period(service, start=c["start"], **values, **who)
            return "created"
        return ("updated" if changes.update_contract_period(existing, **values, **who)
                else "unchanged")

    def consent_row(c):
        service = stored[c["service_key"]]
        existing = CouncilConsent.objects.filter(service=service, date=c["date"]).first()
        if existing is None:
            changes.record_council_consent(service, date=c["date"], note=c["note"], **who)
            return "created"
        return ("updated" if changes.update_council_consent(existing, note=c["note"], **who)
                else "unchanged")

    def inspection_row(c):
        service = stored[c["service_key"]]
        values = {"count": c["count"], "corrective_demand": c["corrective_demand"],
                  "text": c["text"]}
        existing = InspectionFinding.objects.filter(service=service, year=c["year"],
                                                    date=c["date"]).first()
        if existing is None:
            changes.record_inspection_finding(service, year=c["year"], date=c["date"],
                                              **values, **who)
            return "created"
        return ("updated" if changes.update_inspection_finding(existing, **values, **who)
                else "unchanged")

    def audit_row(c):
        service = stored[c["service_key"]]
        values = {"finding_count": c["finding_count"], "summary": c["summary"]}
        existing = AuditResult.objects.filter(service=service, year=c["year"],
                                              auditor=c["auditor"], date=c["date"]).first()
        if existing is None:
            changes.record_audit_result(service, year=c["year"], auditor=c["auditor"],
                                        date=c["date"], **values, **who)
            return "created"
        return ("updated" if changes.update_audit_result(existing, **values, **who)
                else "unchanged")

    def figure_row(c):
        service = stored[c["service_key"]]
        kind = _choice(c["kind"], FigureKind.choices) if c["kind"] else c["kind"]
        values = {"value": c["value"], "unit": c["unit"], "period_text": c["period_text"],
                  "source": c["source"]}
        existing = OperatingFigure.objects.filter(
            service=service, kind=kind, indicator=c["indicator"], year=c["year"],
            quarter=c["quarter"]).first()
        if existing is None:
            changes.record_operating_figure(service, kind=kind, year=c["year"],
                                            quarter=c["quarter"], indicator=c["indicator"],
                                            **values, **who)
            return "created"
        return ("updated" if changes.update_operating_figure(existing, **values, **who)
                else "unchanged")

    for r in rows["services"]:
        apply(r, service_row)
    if errors:  # later sheets refer to the services
        refuse()
    for r in sorted(rows["contracts"], key=lambda r: (r.cells["service_key"],
                                                      r.cells["start"])):
        try:
            r.cells["kind"] = _choice(r.cells["kind"], ContractPeriod.Kind.choices)
        except _CellError as exc:
            errors.append(RowError(r.sheet, r.n, "kind", exc.message))
            continue
        apply(r, contract_row)
    for sheet, fn in (("council_consents", consent_row), ("inspections", inspection_row),
                      ("audits", audit_row), ("figures", figure_row)):
        for r in rows[sheet]:
            if sheet == "figures":
                try:
                    _choice(r.cells["kind"], FigureKind.choices)
                except _CellError as exc:
                    errors.append(RowError(r.sheet, r.n, "kind", exc.message))
                    continue
            apply(r, fn)
    if errors:
        refuse()
    return report
