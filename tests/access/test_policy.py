"""The access policy as a matrix: every role × every permission, and each object rule
agrees with its queryset twin (rule True ⇔ the object is in the twin's queryset)."""

from __future__ import annotations

import pytest

from seonggwa.access import policy
from seonggwa.evaluations.models import Result, Round
from seonggwa.registry.models import Service

pytestmark = pytest.mark.django_db

COLUMNS = ("view draft result", "view published result", "change result", "view round",
           "run what-if", "publish result", "correct published result",
           "correct draft result", "manage round")

T, F = True, False
MATRIX = {
    # columns: view draft, view published, change, view round, what-if, publish,
    #          correct published, correct draft, manage round
    "anonymous":                                    (F, T, F, F, F, F, F, F, F),
    "no role":                                      (F, T, F, F, F, F, F, F, F),
    "officer":                                      (T, T, T, T, T, T, T, F, T),
    "department of the service":                    (T, T, F, F, F, F, F, F, F),
    "other department":                             (F, T, F, F, F, F, F, F, F),
    "contractor of the result":                     (T, T, F, F, F, F, F, F, F),
    "other contractor":                             (F, T, F, F, F, F, F, F, F),
    "evaluator assigned to the round":              (T, T, F, T, F, F, F, F, F),
    "evaluator assigned to the subject":            (T, T, F, T, F, F, F, F, F),
    "evaluator assigned only to another subject":   (F, T, F, T, F, F, F, F, F),
    "evaluator not assigned":                       (F, T, F, F, F, F, F, F, F),
    "committee assigned":                           (T, T, F, T, T, F, F, F, F),
    "committee not assigned":                       (F, T, F, F, F, F, F, F, F),
}
# A draft is corrected by nobody: it is edited (change result) until it is finalised.

# permission, the twin, the queryset of every candidate object
TWINS = {
    "evaluations.view_result": (policy.visible_results, Result.objects.all),
    "evaluations.view_public_result": (lambda user, qs: policy.public_results(qs),
                                       Result.objects.all),
    "evaluations.change_result": (policy.changeable_results, Result.objects.all),
    "evaluations.run_what_if": (policy.what_if_results, Result.objects.all),
    "evaluations.view_round": (policy.visible_rounds, Round.objects.all),
    "evaluations.publish_result": (policy.publishable_results, Result.objects.all),
    "evaluations.correct_result": (policy.correctable_results, Result.objects.all),
    "evaluations.manage_round": (policy.manageable_rounds, Round.objects.all),
    "registry.view_service": (policy.visible_services, Service.objects.all),
    "registry.change_service": (policy.changeable_services, Service.objects.all),
    "registry.view_decision_sheet": (policy.decision_sheet_services, Service.objects.all),
}


def test_matrix_covers_every_user(world):
    assert set(MATRIX) == set(world.users)


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix(world, who):
    user = world.users[who]
    expected = dict(zip(COLUMNS, MATRIX[who], strict=True))
    checks = {
        "view draft result": ("evaluations.view_result", world.draft),
        "view published result": ("evaluations.view_result", world.published),
        "change result": ("evaluations.change_result", world.draft),
        "view round": ("evaluations.view_round", world.draft_round),
        "run what-if": ("evaluations.run_what_if", world.draft),
        "publish result": ("evaluations.publish_result", world.draft),
        "correct published result": ("evaluations.correct_result", world.published),
        "correct draft result": ("evaluations.correct_result", world.draft),
        "manage round": ("evaluations.manage_round", world.draft_round),
    }
    for column, (perm, obj) in checks.items():
        twin, everything = TWINS[perm]
        assert user.has_perm(perm, obj) is expected[column], (who, column, "rule")
        in_twin = twin(user, everything()).filter(pk=obj.pk).exists()
        assert in_twin is expected[column], (who, column, "queryset twin")


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("perm", list(TWINS))
def test_rule_and_twin_agree_on_every_object(world, who, perm):
    user = world.users[who]
    twin, everything = TWINS[perm]
    ruled = {obj.pk for obj in everything() if user.has_perm(perm, obj)}
    listed = set(twin(user, everything()).values_list("pk", flat=True))
    assert ruled == listed, (who, perm)
    assert twin(user, everything()).count() == len(listed)  # no duplicate rows


@pytest.mark.parametrize(("who", "may"), [
    ("officer", True), ("committee assigned", True), ("committee not assigned", True),
    ("evaluator assigned to the round", False), ("department of the service", False),
    ("contractor of the result", False), ("anonymous", False),
])
def test_what_if_page(world, who, may):
    """Opening the what-if page (no object): officer or committee."""
    assert world.users[who].has_perm("evaluations.run_what_if") is may


def test_committee_what_if_covers_only_what_it_may_see(world):
    assigned = set(policy.what_if_results(world.users["committee assigned"]))
    assert assigned == {world.draft, world.other_draft, world.published}
    unassigned = set(policy.what_if_results(world.users["committee not assigned"]))
    assert unassigned == {world.published}


@pytest.mark.parametrize(("who", "keys"), [
    ("officer", {"svc-own", "svc-other"}),
    # a department or contractor works on its own services only — not on every service
    # with a published result (those are on the public portal for anyone)
    ("department of the service", {"svc-own"}),
    ("other department", {"svc-other"}),
    ("contractor of the result", {"svc-own"}),
    ("other contractor", {"svc-other"}),
    ("evaluator assigned to the round", {"svc-own", "svc-other"}),
    ("evaluator assigned only to another subject", {"svc-own", "svc-other"}),
    ("evaluator not assigned", {"svc-own"}),  # published
    ("committee not assigned", {"svc-own"}),
    ("anonymous", {"svc-own"}),
])
def test_service_visibility(world, who, keys):
    user = world.users[who]
    assert set(policy.visible_services(user).values_list("key", flat=True)) == keys
    for svc in Service.objects.all():
        assert user.has_perm("registry.view_service", svc) is (svc.key in keys), svc.key


def test_service_visibility_before_any_result(world, django_user_model):
    """An evaluator assigned to a service subject sees the service even before it has a
    result (and only that one)."""
    from evaluations.factories import service

    from seonggwa.accounts.models import Profile, Role
    from seonggwa.evaluations.domain.subjects import subject_for_service
    from seonggwa.evaluations.models import Assignment

    fresh = service("svc-fresh")
    u = django_user_model.objects.create_user("eval-fresh")
    Profile.objects.create(user=u, role=Role.EVALUATOR)
    Assignment.objects.create(user=u, round=world.draft_round,
                              subject=subject_for_service(fresh))
    assert set(policy.visible_services(u).values_list("key", flat=True)) == {
        "svc-own", "svc-fresh"}
    assert u.has_perm("registry.view_service", fresh)
    assert not u.has_perm("evaluations.view_result", world.other_draft)


def test_department_and_contractor_without_organisation_see_no_service(world,
                                                                       django_user_model):
    from seonggwa.accounts.models import Profile, Role

    for role in (Role.DEPARTMENT, Role.CONTRACTOR):
        u = django_user_model.objects.create_user(f"lonely-{role}")
        Profile.objects.create(user=u, role=role, organisation=None)
        assert not policy.visible_services(u).exists()
        assert not any(u.has_perm("registry.view_service", s) for s in Service.objects.all())


def test_only_officers_see_everything(world):
    everything = {who for who, u in world.users.items() if policy.can_see_everything(u)}
    assert everything == {"officer"}


def test_the_public_sees_the_same_for_every_user(world):
    """One public rule (the portal's and open data's), whoever asks."""
    for who, user in world.users.items():
        assert user.has_perm("evaluations.view_public_result", world.published), who
        assert not user.has_perm("evaluations.view_public_result", world.draft), who
    assert set(policy.public_results()) == {world.published}


def test_a_result_published_before_its_round_is_not_public_yet(world):
    from seonggwa.evaluations.domain import workflow

    workflow.finalise_result(world.draft, actor_label="test")
    early = workflow.publish_result(world.draft, actor_label="test")
    anyone = world.users["anonymous"]
    assert anyone.has_perm("evaluations.view_result", early)  # published, in the office
    assert not anyone.has_perm("evaluations.view_public_result", early)
    assert early not in policy.public_results()
    workflow.finalise_round(world.draft_round, actor_label="test")
    workflow.publish_round(world.draft_round, actor_label="test")
    early.refresh_from_db()
    assert anyone.has_perm("evaluations.view_public_result", early)
