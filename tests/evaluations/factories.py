"""Small builders for tests (plain functions, real database rows)."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook

from seonggwa.core.xlsx import workbook_bytes
from seonggwa.evaluations.domain import workflow
from seonggwa.registry.models import ContractPeriod, Organisation, OrganisationKind, Service


def org(name: str, kind=OrganisationKind.DEPARTMENT) -> Organisation:
    return Organisation.objects.get_or_create(kind=kind, name=name)[0]


def service(key: str, name: str | None = None, *, dept: str = "테스트과", cost=600_000_000,
            statutory=False) -> Service:
    return Service.objects.create(key=key, name=name or f"사무 {key}", department=org(dept),
                                  annual_cost=cost, has_statutory_evaluation=statutory)


def contract(svc: Service, start: dt.date, end: dt.date, *contractors: str) -> ContractPeriod:
    p = ContractPeriod.objects.create(service=svc, start=start, end=end)
    p.contractors.set([org(c, OrganisationKind.CONTRACTOR) for c in contractors])
    return p


def draft_round(year: int, number: int | None = 1):
    return workflow.open_round(year, number, actor_label="test")


def workbook(**sheets) -> bytes:
    """An XLSX file with the given sheets: name -> rows (first row = header)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    return workbook_bytes(wb)


def legacy_result(svc: Service, rnd, score: str, *, status="published"):
    """A result written directly, as a row migrated from an old system would be (no
    decision: the workflow refuses to decide a year without a threshold policy)."""
    from decimal import Decimal

    from seonggwa.evaluations.domain.frameworks import OUTSOURCING_TOTALS_PRESET, preset_version
    from seonggwa.evaluations.domain.subjects import subject_for_service
    from seonggwa.evaluations.models import Result

    value = Decimal(score)
    return Result.objects.create(
        service=svc, round=rnd, score=value, raw_total=value, scale_max=Decimal(100),
        counted_max=Decimal(100), service_name=svc.name, department=svc.department,
        status=status, subject=subject_for_service(svc),
        framework_version=preset_version(OUTSOURCING_TOTALS_PRESET))
