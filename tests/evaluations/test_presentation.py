"""Labelling a list of results for a page (presentation.label_decisions): the decision's
label in the active language, its adverse mark and the decimals of its framework, with
the frameworks read once for the whole list."""

from __future__ import annotations

from django.utils import translation

from evaluations.factories import draft_round, legacy_result, service
from seonggwa.evaluations.domain.frameworks import preset_version
from seonggwa.evaluations.interfaces import presentation
from seonggwa.evaluations.models import Result


def _results(db_results):
    return list(Result.objects.filter(pk__in=[r.pk for r in db_results]).order_by("score"))


def test_results_are_labelled_marked_and_given_their_frameworks_decimals(
        db, django_assert_max_num_queries):
    rnd = draft_round(2024)
    low = legacy_result(service("svc-low"), rnd, "60.00", status="draft")
    high = legacy_result(service("svc-high"), rnd, "87.50", status="draft")
    Result.objects.filter(pk=low.pk).update(decision_code="exclude")
    Result.objects.filter(pk=high.pk).update(
        decision_code="eligible",
        framework_version=preset_version("seoul-sustainability-2019"))  # 1 decimal
    results = _results([low, high])
    with django_assert_max_num_queries(2):  # the frameworks, once for the list
        presentation.label_decisions(results)
    first, second = results
    assert (first.decision_display, first.decision_adverse, first.score_decimals) == (
        "재계약 배제", True, 2)
    # a decision the framework does not declare is shown as it is, never marked
    assert (second.decision_display, second.decision_adverse, second.score_decimals) == (
        "eligible", False, 1)



def test_a_result_not_labelled_reads_its_own_frameworks_decimals(db):
    rnd = draft_round(2024)
    r = legacy_result(service("svc-one"), rnd, "87.50", status="draft")
    Result.objects.filter(pk=r.pk).update(
        framework_version=preset_version("seoul-sustainability-2019"))
    assert Result.objects.get(pk=r.pk).score_decimals == 1
    assert legacy_result(service("svc-two"), rnd, "72.50").score_decimals == 2


def test_labels_follow_the_active_language(db):
    rnd = draft_round(2024)
    r = legacy_result(service("svc-low"), rnd, "60.00", status="draft")
    Result.objects.filter(pk=r.pk).update(decision_code="exclude")
    with translation.override("en"):
        results = _results([r])
        presentation.label_decisions(results)
    assert results[0].decision_display == "Excluded from re-contract"
