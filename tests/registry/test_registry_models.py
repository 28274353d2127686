import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from seonggwa.registry.models import (
    ContractPeriod,
    OperatingFigure,
    Organisation,
    OrganisationKind,
    Service,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def svc():
    dept = Organisation.objects.create(kind=OrganisationKind.DEPARTMENT, name="테스트과")
    return Service.objects.create(key="svc-r1", name="사무", department=dept,
                                  annual_cost=700_000_000)


def test_contract_end_before_start_is_refused_by_clean_and_database(svc):
    bad = ContractPeriod(service=svc, start=dt.date(2024, 5, 1), end=dt.date(2024, 4, 30))
    with pytest.raises(ValidationError, match="종료일"):
        bad.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()
    ok = ContractPeriod.objects.create(service=svc, start=dt.date(2024, 5, 1),
                                       end=dt.date(2024, 5, 1))
    assert ok.pk


def test_recontract_chain_and_consortium(svc):
    a = Organisation.objects.create(kind=OrganisationKind.CONTRACTOR, name="(주)갑")
    b = Organisation.objects.create(kind=OrganisationKind.CONTRACTOR, name="(사)을")
    first = ContractPeriod.objects.create(service=svc, start=dt.date(2018, 1, 1),
                                          end=dt.date(2020, 12, 31))
    second = ContractPeriod.objects.create(service=svc, start=dt.date(2021, 1, 1),
                                           end=dt.date(2023, 12, 31), previous=first,
                                           kind=ContractPeriod.Kind.RECONTRACT)
    second.contractors.set([a, b])
    assert first.next == second
    assert set(Service.objects.for_contractor(b)) == {svc}
    other = Service.objects.create(key="svc-r2", name="남의 사무", department=svc.department)
    foreign = ContractPeriod(service=other, start=dt.date(2024, 1, 1),
                             end=dt.date(2026, 12, 31), previous=second)
    with pytest.raises(ValidationError, match="같은 사무"):
        foreign.full_clean()


def test_names_as_written_with_separate_marked_correction():
    org = Organisation.objects.create(kind=OrganisationKind.CONTRACTOR, name="(주)호봇비즈니스",
                                      corrected_name="(주)르호봇비즈니스")
    assert org.name == "(주)호봇비즈니스" and org.display_name == "(주)르호봇비즈니스"
    assert org.is_corrected
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind=OrganisationKind.CONTRACTOR, name="(주)호봇비즈니스")


def test_operating_figures_one_per_year_or_quarter(svc):
    OperatingFigure.objects.create(service=svc, year=2022, kind="budget_execution", value=88)
    OperatingFigure.objects.create(service=svc, year=2022, quarter=1, kind="budget_execution",
                                   value=20)
    with pytest.raises(IntegrityError), transaction.atomic():
        OperatingFigure.objects.create(service=svc, year=2022, kind="budget_execution", value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        OperatingFigure.objects.create(service=svc, year=2022, quarter=5,
                                       kind="budget_execution", value=1)


def test_seoul_registry_keeps_departments_contractors_and_institutions(seoul):
    kinds = {k: Organisation.objects.filter(kind=k).count() for k in OrganisationKind.values}
    assert kinds["institution"] == 3
    assert kinds["department"] > 50 and kinds["contractor"] > 80
    assert Service.objects.count() == 138
    hub = Service.objects.get(key="svc-0049")
    assert hub.department.name == "거점성장추진단"


# --- keys that could not be an address ------------------------------------------------------

def test_service_key_validator_refuses_what_no_address_can_carry(svc):
    for bad in ("svc/1", "svc 1", "svc\x001", "svc\n", "k" * 121):
        svc.key = bad
        with pytest.raises(ValidationError) as refused:
            svc.full_clean()
        assert list(refused.value.error_dict) == ["key"]
    svc.key = "서비스-2024.1_a"
    svc.full_clean()


def test_check_keys_lists_each_stored_bad_key_and_why(svc):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    # rows written around the application (older versions, SQL, bulk loads)
    Service.objects.bulk_create([Service(key="a/b", name="빗금"),
                                 Service(key="tab\there", name="탭"),
                                 Service(key="x" * 120, name="경계: 120자는 허용")])
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("check_keys", stdout=out)
    assert failed.value.returncode == 1
    assert "2 service key(s)" in str(failed.value)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "'a/b'" in lines[0] and "'/'" in lines[0]
    assert "'tab\\there'" in lines[1] and "공백" in lines[1]


def test_check_keys_passes_on_valid_keys(svc):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("check_keys", stdout=out)
    assert "all valid" in out.getvalue()


def test_system_check_reports_bad_keys_only_when_asked_for_a_database(svc):
    from django.core import checks

    Service.objects.filter(pk=svc.pk).update(key="bad key")
    assert not [e for e in checks.run_checks(tags=["seonggwa"]) if e.id == "seonggwa.W001"]
    found = [e for e in checks.run_checks(tags=["seonggwa"], databases=["default"])
             if e.id == "seonggwa.W001"]
    assert len(found) == 1 and "'bad key'" in found[0].msg
