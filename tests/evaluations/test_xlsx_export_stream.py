"""The year export is written row by row from chunks of plain rows (memory flat at any
size); its content must be what the export always gave: every result of the year in
list order with the contract period that covers the year."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.interfaces import xlsx
from seonggwa.evaluations.models import Result
from seonggwa.examples.synthetic import generate_registry
from seonggwa.registry.models import ContractPeriod

pytestmark = pytest.mark.django_db


def cells(data: bytes):
    ws = load_workbook(io.BytesIO(data))["results"]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def reference(year: int) -> list[list]:
    """The export as computed before streaming: model objects, every period at once."""
    results = (Result.objects.filter(round__year__year=year)
               .select_related("service", "department", "round__year")
               .order_by("round__year__year", "round__number", "seq", "id"))
    periods: dict = {}
    for p in ContractPeriod.objects.order_by("start"):
        periods.setdefault(p.service_id, []).append(p)
    rows = [list(xlsx.COLUMNS)]
    for r in results:
        period = next((p for p in reversed(periods.get(r.service_id, []))
                       if p.start.year <= year <= p.end.year), None)
        rows.append([year, r.round.number, r.seq, r.service.key, r.service_name,
                     r.department.name, r.contractor_name, float(r.score), r.remark or None,
                     period.start if period else None, period.end if period else None, None])
    return rows


def normalised(rows):
    return [[c.date() if hasattr(c, "date") and callable(c.date) else c for c in row]
            for row in rows]


def test_streamed_export_equals_the_export_before_across_chunks(seoul, monkeypatch):
    generate_registry(60, (2018, 2020), seed=2, allow_mixed=True)  # with contract periods
    monkeypatch.setattr(xlsx, "EXPORT_CHUNK", 7)  # many chunks, periods read per chunk
    for year in (2018, 2019, 2020):
        got = normalised(cells(xlsx.export_results(year)))
        assert got == normalised(reference(year))
        assert len(got) > 50
        assert any(row[9] is not None for row in got[1:])  # periods found


def test_the_office_download_is_sent_from_a_file(seoul, django_user_model, client):
    officer = django_user_model.objects.create_user("officer")
    Profile.objects.create(user=officer, role=Role.OFFICER)
    client.force_login(officer)
    response = client.get(reverse("office:xlsx_export", args=[2019]))
    assert response.status_code == 200
    assert response.streaming  # from disk, not a body held in memory
    assert 'filename="seonggwa-results-2019.xlsx"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert cells(data) == cells(xlsx.export_results(2019))
    assert len(cells(data)) == 1 + Result.objects.filter(year=2019).count()
