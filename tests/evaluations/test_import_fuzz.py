"""Generated workbooks through the officer's upload pages (results and registry): random
headers taken from the real ones, random cells including hostile ones (NUL, 5,000
characters, 1e30, NaN, formula text, dates, negative numbers). Whatever the file, the
page answers (never a 500) and the import is all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from xlsx_files import sheet_xlsx

from evaluations.factories import org, service
from seonggwa.accounts.models import Profile, Role
from seonggwa.core.xlsx import cell_text
from seonggwa.evaluations.interfaces import xlsx as results_xlsx
from seonggwa.evaluations.models import Result, Round
from seonggwa.registry.interfaces import xlsx as registry_xlsx
from seonggwa.registry.models import (
    AuditResult,
    ContractPeriod,
    CouncilConsent,
    InspectionFinding,
    OperatingFigure,
    Organisation,
    OrganisationKind,
    Service,
)

pytestmark = pytest.mark.django_db

HOSTILE = st.sampled_from([
    "a_x0000_b", "a_x0001_b", "b_x001F_", "_x007F_c", "가" * 5000, 1e30, -1e30, "NaN", "inf", "-inf", -5, 0, "=1+1",
    "=사업비 50% 감액", "@SUM(A1)", "-2+3", "+재계약", "svc/../1", "2024-02-30", "2024-01-02",
    "   ", "Y", "N", "예", "1,200,000,000", "81.555", "1e5",
])
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
NUMBER = st.one_of(st.integers(-100_000, 100_000),
                   st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.fixture
def officer_client(client, django_user_model):
    user = django_user_model.objects.create_user("fuzz-officer", password="pw")
    Profile.objects.create(user=user, role=Role.OFFICER)
    client.force_login(user)
    return client


@pytest.fixture
def registry(db):
    service("svc-k1", "알려진 사무", dept="테스트과")
    org("갑기관", OrganisationKind.CONTRACTOR)
    org("을기관", OrganisationKind.CONTRACTOR)


def upload(client, url, data: bytes, **fields):
    file = SimpleUploadedFile("fuzz.xlsx", data)
    return client.post(url, {"file": file, **fields})


def header_from(columns):
    """Real column names in any order, some left out, sometimes an unknown one."""
    return st.lists(st.sampled_from(list(columns) + ["비고란"]), min_size=1,
                    max_size=len(columns) + 1, unique=True)


def realistic(column: str):
    plausible = {
        "year": st.sampled_from([2024, 2023, 1999]),
        "round": st.sampled_from([1, 2, None]),
        "seq": st.integers(1, 5),
        "service_key": st.sampled_from(["svc-k1", "svc-k2", None]),
        "service_name": st.sampled_from(["알려진 사무", "새 사무"]),
        "department": st.sampled_from(["테스트과", "없는과"]),
        "contractor": st.sampled_from(["갑기관", "갑기관·을기관", "없는기관"]),
        "contractors": st.sampled_from(["갑기관", "갑기관·을기관", "없는기관"]),
        "score": st.sampled_from([81.5, 75, "60.25", 100]),
        "start": st.sampled_from([dt.date(2021, 1, 1).isoformat(), "2022-03-01"]),
        "end": st.sampled_from(["2023-12-31", "2020-01-01"]),
        "has_statutory_evaluation": st.sampled_from(["Y", "N"]),
        "kind": st.sampled_from(["new", "actual", "budget_execution"]),
        "value": NUMBER,
    }
    return plausible.get(column, st.one_of(TEXT, NUMBER))


@st.composite
def sheets(draw, columns):
    header = draw(header_from(columns))
    rows = draw(st.lists(st.fixed_dictionaries(
        {c: st.one_of(st.none(), realistic(c), HOSTILE) for c in header}),
        min_size=0, max_size=6))
    return header, [[r[c] for c in header] for r in rows]


def non_blank(rows) -> int:
    return sum(1 for r in rows if any(cell_text(v) != "" for v in r))


@SETTINGS
@given(sheet=sheets(results_xlsx.COLUMNS), create_missing=st.booleans())
def test_results_upload_answers_and_stores_every_row_or_none(officer_client, registry, sheet,
                                                              create_missing):
    header, rows = sheet
    data = sheet_xlsx(header, rows)
    with transaction.atomic():
        before = Result.objects.count(), Round.objects.count(), Service.objects.count()
        fields = {"year": 2024}
        if create_missing:
            fields["create_missing"] = "on"
        response = upload(officer_client, reverse("office:transfer"), data, **fields)
        assert response.status_code in (302, 400), response.status_code
        event(f"status {response.status_code}")
        after = Result.objects.count(), Round.objects.count(), Service.objects.count()
        if response.status_code == 400:
            assert after == before  # nothing stored
        else:
            assert after[0] - before[0] == non_blank(rows)  # every row stored
        transaction.set_rollback(True)


REGISTRY_MODELS = (Service, ContractPeriod, CouncilConsent, InspectionFinding, AuditResult,
                   OperatingFigure, Organisation)


@SETTINGS
@given(sheet_name=st.sampled_from(list(registry_xlsx.SHEETS)), data=st.data(),
       create_missing=st.booleans())
def test_registry_upload_answers_and_stores_every_row_or_none(officer_client, registry,
                                                               sheet_name, data,
                                                               create_missing):
    header, rows = data.draw(sheets(registry_xlsx.columns(sheet_name)))
    workbook = sheet_xlsx(header, rows, sheet=sheet_name)
    with transaction.atomic():
        before = [m.objects.count() for m in REGISTRY_MODELS]
        fields = {"create_missing": "on"} if create_missing else {}
        response = upload(officer_client, reverse("office:registry_transfer"), workbook,
                          **fields)
        assert response.status_code in (302, 400), response.status_code
        event(f"status {response.status_code}")
        after = [m.objects.count() for m in REGISTRY_MODELS]
        if response.status_code == 400:
            assert after == before  # nothing stored
        elif sheet_name == "services":
            keys = {cell_text(r[header.index("service_key")]) for r in rows
                    if any(cell_text(v) != "" for v in r)}
            assert keys <= set(Service.objects.values_list("key", flat=True))
        transaction.set_rollback(True)
