import pytest
from django.contrib.auth.models import AnonymousUser

from evaluations.factories import draft_round, org, service
from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.rules import visible_results
from seonggwa.registry.models import OrganisationKind, Service
from seonggwa.registry.rules import visible_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_user_model):
    own = service("svc-own", dept="우리과")
    other = service("svc-other", dept="남의과")
    mine = org("우리기관", OrganisationKind.CONTRACTOR)
    theirs = org("남의기관", OrganisationKind.CONTRACTOR)
    rnd = draft_round(2024)
    draft_own = workflow.record_result(service=own, round=rnd, score="80", contractors=[mine])
    draft_other = workflow.record_result(service=other, round=rnd, score="70",
                                         contractors=[theirs])
    pub_rnd = draft_round(2023)
    published = workflow.record_result(service=service("svc-pub", dept="남의과"),
                                       round=pub_rnd, score="90", contractors=[theirs])
    workflow.finalise_round(pub_rnd)
    workflow.publish_round(pub_rnd)
    published.refresh_from_db()

    def user(name, role, organisation=None):
        u = django_user_model.objects.create_user(name)
        Profile.objects.create(user=u, role=role, organisation=organisation)
        return u

    users = {
        "officer": user("officer", Role.OFFICER),
        "department": user("dept", Role.DEPARTMENT, org("우리과")),
        "contractor": user("cont", Role.CONTRACTOR, mine),
        "evaluator": user("eval", Role.EVALUATOR),
        "committee": user("comm", Role.COMMITTEE),
        "public": AnonymousUser(),
    }
    results = {"own draft": draft_own, "other draft": draft_other, "published": published}
    return users, results


MATRIX = {
    #              own draft, other draft, published
    "officer":    (True, True, True),
    "department": (True, False, True),
    "contractor": (True, False, True),
    "evaluator":  (True, True, True),
    "committee":  (True, True, True),
    "public":     (False, False, True),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_result_visibility_matrix(world, who):
    users, results = world
    user = users[who]
    expected = dict(zip(["own draft", "other draft", "published"], MATRIX[who], strict=True))
    for name, result in results.items():
        assert user.has_perm("evaluations.view_result", result) is expected[name], (who, name)
    visible = set(visible_results(user))
    assert visible == {r for n, r in results.items() if expected[n]}
    assert user.has_perm("evaluations.change_result", results["own draft"]) is (who == "officer")


@pytest.mark.parametrize(("who", "keys"), [
    ("officer", {"svc-own", "svc-other", "svc-pub"}),
    ("evaluator", {"svc-own", "svc-other", "svc-pub"}),
    ("committee", {"svc-own", "svc-other", "svc-pub"}),
    # a department or contractor works on its own services only — not on every service
    # with a published result (those are on the public portal for anyone)
    ("department", {"svc-own"}),
    ("contractor", {"svc-own"}),
    ("public", {"svc-pub"}),
])
def test_service_visibility(world, who, keys):
    users, _ = world
    user = users[who]
    assert set(visible_services(user).values_list("key", flat=True)) == keys
    for svc in Service.objects.all():
        assert user.has_perm("registry.view_service", svc) is (svc.key in keys), svc.key


def test_department_and_contractor_without_organisation_see_no_service(world,
                                                                       django_user_model):
    for role in (Role.DEPARTMENT, Role.CONTRACTOR):
        u = django_user_model.objects.create_user(f"lonely-{role}")
        Profile.objects.create(user=u, role=role, organisation=None)
        assert not visible_services(u).exists()
        assert not any(u.has_perm("registry.view_service", s) for s in Service.objects.all())
