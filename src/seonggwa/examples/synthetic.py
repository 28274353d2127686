"""A synthetic registry of N services for page timings and what-if speed checks.

Every generated service key starts with ``gen-``. Each service gets a 3-year contract
chain (re-contracts linked through ``previous``), an annual cost (about 85% above the
5억원 line), and a published result in each year one of its contracts ends, decided by
the policy in force. Deterministic for a given ``seed``.

Meant for a separate database (``SEONGGWA_VAR_DIR`` or ``DATABASE_URL``): it refuses to
add results to years that already hold non-generated results unless ``allow_mixed``.
Rows are written in bulk and results finalised and published in bulk
(:func:`~seonggwa.evaluations.domain.workflow.finalise_results`), so 50,000 services
take well under a minute on SQLite; :func:`analyze` refreshes the planner's statistics
afterwards (the ``generate_registry`` command runs it).
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import numpy as np
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from seonggwa.core.audit import record
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.due import round_for_end
from seonggwa.evaluations.models import Rating, Result, Round, Status, Subject, SubjectKind
from seonggwa.registry.models import ContractPeriod, Organisation, OrganisationKind, Service

PREFIX = "gen-"


class GeneratorRefused(RuntimeError):
    pass


@transaction.atomic
def generate_registry(services: int, years: tuple[int, int] = (2018, 2023), *, seed: int = 0,
                      allow_mixed: bool = False, departments: int = 120,
                      contractors: int = 2000) -> dict:
    started = time.perf_counter()
    first, last = years
    if not allow_mixed and Result.objects.filter(
            round__year__year__gte=first, round__year__year__lte=last).exclude(
            service__key__startswith=PREFIX).exists():
        raise GeneratorRefused(
            f"{first}–{last}에 실제 결과가 있습니다: 별도 데이터베이스에서 실행하거나 "
            "--allow-mixed를 주십시오.")
    rng = np.random.default_rng(seed)
    # clear earlier generated data
    generated = Subject.objects.filter(kind=SubjectKind.SERVICE, key__startswith=PREFIX)
    Rating.objects.filter(subject__in=generated).delete()
    Result.objects.filter(subject__in=generated).delete()
    generated.delete()
    ContractPeriod.objects.filter(service__key__startswith=PREFIX).delete()
    Service.objects.filter(key__startswith=PREFIX).delete()

    existing = {(o.kind, o.name) for o in Organisation.objects.filter(name__startswith="가상")}
    new_orgs = [Organisation(kind=OrganisationKind.DEPARTMENT, name=f"가상부서{i:03d}")
                for i in range(departments)]
    new_orgs += [Organisation(kind=OrganisationKind.CONTRACTOR, name=f"가상수탁기관{i:04d}")
                 for i in range(contractors)]
    Organisation.objects.bulk_create([o for o in new_orgs if (o.kind, o.name) not in existing])
    depts = list(Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT,
                                             name__startswith="가상부서").order_by("name"))
    conts = list(Organisation.objects.filter(kind=OrganisationKind.CONTRACTOR,
                                             name__startswith="가상수탁기관").order_by("name"))

    costs = (rng.lognormal(mean=np.log(1.5e9), sigma=0.7, size=services)).astype(np.int64)
    svc_objs = [Service(key=f"{PREFIX}{i:06d}", name=f"가상 위탁사무 {i:06d}",
                        department=depts[int(rng.integers(len(depts)))],
                        annual_cost=int(costs[i]),
                        has_statutory_evaluation=bool(rng.random() < 0.05),
                        notes="generate_registry") for i in range(services)]
    Service.objects.bulk_create(svc_objs, batch_size=2000)
    svc_objs = list(Service.objects.filter(key__startswith=PREFIX).select_related("department")
                    .order_by("key"))

    # contract chains of 3 years, ends spread over the months
    periods, members = [], []
    for svc in svc_objs:
        end_year = first + int(rng.integers(0, 3))
        month = int(rng.integers(1, 13))
        who = conts[int(rng.integers(len(conts)))]
        y = end_year
        while y <= last + 1:
            end = dt.date(y, month, 28)
            start = dt.date(y - 3, month, 29) if month != 2 else dt.date(y - 3, 3, 1)
            periods.append(ContractPeriod(service=svc, start=start, end=end,
                                          kind=ContractPeriod.Kind.RECONTRACT))
            members.append(who)
            y += 3
    ContractPeriod.objects.bulk_create(periods, batch_size=2000)
    through = ContractPeriod.contractors.through
    through.objects.bulk_create([through(contractperiod_id=p.pk, organisation_id=o.pk)
                                 for p, o in zip(periods, members, strict=True)],
                                batch_size=5000)

    round_map: dict[tuple[int, int], Round] = {}
    for y in range(first, last + 1):
        for n in (1, 2, 3):
            round_map[(y, n)] = workflow.open_round(
                y, n, start=dt.date(y, (n - 1) * 4 + 1, 1), actor_label="generate_registry")
    scores = np.clip(rng.normal(80, 7, size=len(periods)), 40, 99).round(2)
    by_round: dict[Round, list[workflow.PublishedTotal]] = {}
    for i, (p, who) in enumerate(zip(periods, members, strict=True)):
        if not (first <= p.end.year <= last) or p.service.has_statutory_evaluation:
            continue
        rnd = round_map[(p.end.year, round_for_end(p.end) or 3)]
        if rnd.published_only:  # a real round known only from its published summary
            continue
        by_round.setdefault(rnd, []).append(workflow.PublishedTotal(
            service=p.service, score=Decimal(f"{scores[i]:.2f}"), contractors=[who]))
    results = 0
    for rnd, rows in by_round.items():
        if rnd.status != Status.DRAFT:  # an earlier run published it: add as published
            results += len(workflow.record_results(rnd, rows, status=Status.PUBLISHED,
                                                   actor_label="generate_registry"))
            continue
        created = workflow.record_results(rnd, rows, actor_label="generate_registry")
        results += len(created)
        workflow.finalise_results(created, actor_label="generate_registry")
        workflow.finalise_round(rnd, actor_label="generate_registry")
        workflow.publish_results(created, actor_label="generate_registry")
        workflow.publish_round(rnd, actor_label="generate_registry")
    summary = {"services": len(svc_objs), "contract_periods": len(periods),
               "results": results, "seconds": round(time.perf_counter() - started, 2)}
    if svc_objs:
        record("registry.generate", svc_objs[0], after=summary, actor_label="generate_registry")
    return summary


def analyze(using: str = DEFAULT_DB_ALIAS) -> str:
    """Refresh the query planner's statistics after a bulk load and say how.

    Without it the planner guesses from an empty or tiny table and the pages were 2–4×
    slower on a freshly generated registry. PostgreSQL runs ``VACUUM ANALYZE`` (VACUUM
    cannot run inside a transaction: call this after :func:`generate_registry` has
    committed); SQLite runs ``ANALYZE`` (fills ``sqlite_stat1``). Other backends: nothing.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        raise RuntimeError("analyze() must run outside a transaction (VACUUM refuses one)")
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            return "VACUUM ANALYZE"
        if vendor == "sqlite":
            cursor.execute("ANALYZE")
            return "ANALYZE"
    return ""
