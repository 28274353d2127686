"""The quantitative actuals of one subject as a workbook: a template to fill in (the
indicators, their units and agreed targets) and its bounded reading back
(:func:`seonggwa.core.xlsx.open_workbook`: unpacked size and rows checked before parsing).

Columns: ``지표코드`` (the indicator's code, as written in the template), ``지표명``,
``단위``, ``목표`` (read-only information) and ``실적`` (the actual; an empty cell leaves the
stored actual as it is).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook

from seonggwa.core import xlsx

CODE, NAME, UNIT, TARGET, ACTUAL = "지표코드", "지표명", "단위", "목표", "실적"
COLUMNS = (CODE, NAME, UNIT, TARGET, ACTUAL)


def template(indicators, measurements) -> bytes:
    """A workbook with one row per quantitative indicator, the stored actual filled in."""
    stored = {m.indicator: m for m in measurements}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("정량 실적"))
    xlsx.header_row(ws, COLUMNS)
    for ind in indicators:
        row = stored.get(ind.code)
        target = row.target if row is not None and row.target is not None else ind.target
        xlsx.append_row(ws, [ind.code, ind.name, ind.unit or "",
                             float(target) if target is not None else None,
                             float(row.actual) if row is not None and row.actual is not None
                             else None])
    xlsx.finish_sheet(ws, len(COLUMNS), len(indicators))
    return xlsx.workbook_bytes(wb)


def read_actuals(data: bytes, indicators) -> dict[str, Decimal]:
    """indicator code → actual from an uploaded workbook (first sheet). Every problem of
    every row is collected; any problem refuses the whole file
    (:class:`~seonggwa.submissions.domain.submitting.SubmissionRefused`, first 50 shown)."""
    from seonggwa.submissions.domain.submitting import SubmissionRefused

    codes = {ind.code for ind in indicators}
    sheets = xlsx.open_workbook(data, max_rows=max(len(codes), 1) * 2 + 50)
    try:
        if not sheets.sheetnames:
            raise SubmissionRefused(_("워크시트가 없습니다."))
        rows = xlsx.bounded_rows(sheets.rows(sheets.sheetnames[0]))
        header = xlsx.read_header(rows)
        if CODE not in header or ACTUAL not in header:
            raise SubmissionRefused(_("첫 행에 '%(code)s'와 '%(actual)s' 열이 있어야 합니다 "
                                      "(양식을 내려받아 쓰십시오).")
                                    % {"code": CODE, "actual": ACTUAL})
        code_at, actual_at = header.index(CODE), header.index(ACTUAL)
        found, errors = _rows(rows, code_at, actual_at, codes)
    finally:
        sheets.close()
    if errors:
        shown, more = xlsx.shown_errors(errors)
        if more:
            shown.append(_("외 %(n)s건") % {"n": more})
        raise SubmissionRefused(shown)
    return found


def _rows(rows, code_at: int, actual_at: int, codes: set[str]):
    found: dict[str, Decimal] = {}
    errors: list[str] = []
    for number, row in enumerate(rows, start=2):
        code_cell = row[code_at] if code_at < len(row) else None
        actual_cell = row[actual_at] if actual_at < len(row) else None
        problem = xlsx.cell_problem(code_cell) or xlsx.cell_problem(actual_cell)
        if problem:
            errors.append(_("%(row)s행: %(problem)s") % {"row": number, "problem": problem})
            continue
        code = xlsx.cell_text(code_cell)
        if not code and actual_cell is None:
            continue
        if code not in codes:
            errors.append(_("%(row)s행: 이 평가틀의 정량 지표가 아닙니다: %(code)s")
                          % {"row": number, "code": xlsx.excerpt(code)})
        elif code in found:
            errors.append(_("%(row)s행: %(code)s 지표가 두 번 나옵니다.")
                          % {"row": number, "code": code})
        elif actual_cell is not None:
            try:
                value = Decimal(xlsx.cell_text(actual_cell))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                errors.append(_("%(row)s행: 실적이 숫자가 아닙니다: %(value)s")
                              % {"row": number, "value": xlsx.excerpt(actual_cell)})
            else:
                found[code] = value
    return found, errors
