"""Results stored before the evaluation core are carried into it unchanged (0003_carry_results).

The database is taken back to ``evaluations 0001_initial`` / ``registry 0001_initial``,
results are written with the historical models as the old code wrote them (one published
total per service and round, decided by the outsourcing threshold policies, status
published), then the database is migrated forward to the latest state. Runs as a
transactional test so the schema changes really happen, on SQLite and PostgreSQL alike;
the database is migrated back to the latest state whatever happens.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.models import (
    AreaOutcome,
    IndicatorOutcome,
    Rating,
    Result,
    Round,
    Status,
)

BEFORE = [("evaluations", "0001_initial"), ("registry", "0001_initial")]

# (service key, year, round start, score, decision code, label, policy) as the old code
# stored them: the 60-point rule until 2021, the 75-point rule from 2022.
OLD_RESULTS = [
    ("svc-m-1", 2019, dt.date(2019, 5, 1), "59.99", "exclude", "재계약 배제", "recontract-60"),
    ("svc-m-2", 2019, dt.date(2019, 5, 1), "60.00", "eligible", "재계약 심의 가능",
     "recontract-60"),
    ("svc-m-1", 2023, None, "74.99", "exclude", "재계약 배제", "recontract-75"),
    ("svc-m-3", 2023, None, "75.00", "eligible", "재계약 심의 가능", "recontract-75"),
    ("svc-m-4", 2023, None, "88.50", "eligible", "재계약 심의 가능", "recontract-75"),
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest() -> None:
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


def _old_data(apps) -> tuple[dict, dict]:
    """Write results, a department, contractors and an audit event with the historical
    models; returns {(key, year): result id} and the audit event's fields."""
    Organisation = apps.get_model("registry", "Organisation")
    Service = apps.get_model("registry", "Service")
    EvaluationYear = apps.get_model("evaluations", "EvaluationYear")
    OldRound = apps.get_model("evaluations", "Round")
    OldResult = apps.get_model("evaluations", "Result")
    OldAudit = apps.get_model("core", "AuditEvent")

    department = Organisation.objects.create(kind="department", name="시험부서")
    contractor = Organisation.objects.create(kind="contractor", name="시험수탁기관")
    services = {}
    rounds = {}
    ids = {}
    for key, year, start, score, code, label, policy in OLD_RESULTS:
        if key not in services:
            services[key] = Service.objects.create(key=key, name=f"사무 {key}",
                                                   department=department)
        if year not in rounds:
            ey = EvaluationYear.objects.create(year=year)
            rounds[year] = OldRound.objects.create(year=ey, number=1, start=start,
                                                   status="published")
        res = OldResult.objects.create(
            service=services[key], round=rounds[year], department=department,
            service_name=f"사무 {key}", contractor_name=contractor.name,
            score=Decimal(score), status="published", framework_id="seoul-outsourcing",
            framework_version="published-total", policy_id=policy, decision_code=code,
            decision_label=label)
        res.contractors.add(contractor)
        ids[(key, year)] = res.pk
    event = OldAudit.objects.create(
        actor_label="loader", action="result.create", object_type="evaluations.result",
        object_id=str(ids[("svc-m-1", 2019)]), object_repr="사무 svc-m-1 2019",
        before=None, after={"score": "59.99", "decision_code": "exclude"},
        reason="2019 공개 결과")
    fields = {"pk": event.pk, "at": event.at, "actor_label": event.actor_label,
              "action": event.action, "object_type": event.object_type,
              "object_id": event.object_id, "object_repr": event.object_repr,
              "before": event.before, "after": event.after, "reason": event.reason}
    return ids, fields


@pytest.mark.django_db(transaction=True)
def test_results_are_carried_into_the_core_unchanged():
    try:
        executor = _migrate(BEFORE)
        old_apps = executor.loader.project_state(BEFORE + [("core", "0001_initial")]).apps
        ids, audit = _old_data(old_apps)
        _latest()

        # Read with the current models only from here on.
        assert Result.objects.count() == len(OLD_RESULTS)
        for key, year, _start, score, code, _label, policy in OLD_RESULTS:
            res = Result.objects.select_related("subject", "framework_version", "service",
                                                "round__framework_version").get(
                pk=ids[(key, year)])
            assert res.score == Decimal(score)
            assert res.status == Status.PUBLISHED
            assert (res.decision_code, res.policy_id) == (code, policy)
            assert (res.subject.kind, res.subject.key) == ("service", key)
            assert res.subject.target == res.service
            assert str(res.framework_version) == "seoul-outsourcing@published-total"
            assert (res.framework_version.framework_id, res.framework_version.version) == (
                "seoul-outsourcing", "published-total")
            assert res.round.framework_version_id == res.framework_version_id
            assert res.raw_total == res.score
            assert res.scale_max == res.counted_max == Decimal(100)
            assert res.band_code == ""
            assert res.contractors.get().name == "시험수탁기관"
            (rating,) = Rating.objects.filter(round=res.round, subject=res.subject,
                                              superseded_at__isnull=True)
            assert (rating.indicator, rating.evaluator_label, rating.value, rating.version) == (
                "T", "평가기관", Decimal(score), 1)
            (area,) = AreaOutcome.objects.filter(result=res)
            assert (area.points, area.max_points) == (Decimal(score), Decimal(100))
            (indicator,) = IndicatorOutcome.objects.filter(result=res)
            assert (indicator.indicator, indicator.points, indicator.panel_count,
                    indicator.status) == ("T", Decimal(score), 1, "scored")

        # One subject per service, shared by its results in different rounds.
        first = Result.objects.get(pk=ids[("svc-m-1", 2019)])
        later = Result.objects.get(pk=ids[("svc-m-1", 2023)])
        assert first.subject_id == later.subject_id

        event = AuditEvent.objects.get(pk=audit["pk"])
        assert {name: getattr(event, name) for name in audit if name != "pk"} == {
            name: value for name, value in audit.items() if name != "pk"}
        assert AuditEvent.objects.count() == 1  # the migration itself writes no events

        # Rescoring a carried (published) result from its stored input decides the same.
        for key, year, _start, score, code, _label, policy in OLD_RESULTS:
            res = Result.objects.select_related("subject").get(pk=ids[(key, year)])
            round_ = Round.objects.select_related("year", "framework_version").get(
                pk=res.round_id)
            (again,) = workflow.rescore(round_, [res.subject], reason="재계산 확인")
            assert again.pk == res.pk
            again.refresh_from_db()
            assert (again.score, again.decision_code, again.policy_id, again.status) == (
                Decimal(score), code, policy, Status.PUBLISHED)
            assert again.raw_total == Decimal(score)
            assert IndicatorOutcome.objects.filter(result=again).count() == 1
        assert AuditEvent.objects.filter(action="result.amend",
                                         reason="재계산 확인").count() == len(OLD_RESULTS)
    finally:
        _latest()
