from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seonggwa.data.seoul import reader as seoul_data
from seonggwa.evaluations.domain import decisions
from seonggwa.evaluations.domain.whatif import what_if
from seonggwa.evaluations.models import Result
from seonggwa.examples.synthetic import generate_registry

pytestmark = pytest.mark.django_db


def test_a_75_point_line_on_2018_2020_lists_exactly_the_rows_below_75(seoul):
    rows = seoul_data.load_results()
    expected = {(r.year, r.service_name) for r in rows if r.score < Decimal("75")}
    expected_new = {(r.year, r.service_name) for r in rows
                    if Decimal("60") <= r.score < Decimal("75")}
    before = list(Result.objects.values_list("id", "score", "decision_code", "policy_id"))

    w = what_if(75, years=range(2018, 2021))
    got = {(r["year"], r["service_name"]) for r in w.rows(excluded_only=True)}
    assert got == expected
    changed = {(r["year"], r["service_name"]) for r in w.rows(changed_only=True)}
    assert changed == expected_new
    s = w.summary()
    assert s["total"] == 133 and s["old_excluded"] == 5
    assert s["new_excluded"] == len(expected) and s["newly_excluded"] == len(expected_new)
    assert s["no_longer_excluded"] == 0
    assert sum(y["total"] for y in s["by_year"].values()) == 133
    # nothing stored changed
    assert list(Result.objects.values_list("id", "score", "decision_code", "policy_id")) == before


def test_a_named_policy_and_the_boundary_score(seoul):
    w = what_if(policy="recontract-60")
    assert w.summary()["changed"] == 0
    w = what_if(Decimal("72.77"), years=[2019])
    rows = {r["service_name"]: r for r in w.rows()}
    assert rows["삼청각 위탁관리"]["new_decision"] == "eligible"  # 72.77 is not below 72.77
    assert rows["서울창업디딤터 운영"]["new_decision"] == "exclude"  # 71.01


def test_what_if_reads_a_large_registry_in_a_fixed_number_of_queries(db):
    # Its speed is measured in bench/ (the brief: benchmarks, not timed tests); what a
    # test can hold is that the cost does not grow per result: no query per row.
    generate_registry(3000, (2018, 2023), seed=1)
    n = Result.objects.count()
    with CaptureQueriesContext(connection) as queries:
        s = what_if(75).summary()
    assert s["total"] == n > 4000
    assert len(queries) < 20


def test_rows_say_whether_the_new_decision_is_adverse(seoul):
    rows = what_if(Decimal("72.77"), years=[2019]).rows()
    assert rows and all(r["new_adverse"] == decisions.is_adverse(r["new_decision"])
                        for r in rows)
    assert {r["new_decision"] for r in rows} == {"exclude", "eligible"}
