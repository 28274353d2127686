import datetime as dt

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
