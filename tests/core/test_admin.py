"""The admin cannot go around the domain: every domain model is read-only there, even for
a superuser; people (users, profiles) stay editable and each change of who may do what
is in the audit trail; officers are not staff and never reach the admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse

from seonggwa.accounts.models import Profile, Role
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.models import EvaluationYear, Narrative
from seonggwa.examples.seoul import load_seoul
from seonggwa.registry.models import Organisation, Service

DOMAIN_APPS = {"core", "registry", "evaluations"}
User = get_user_model()


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def domain_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in DOMAIN_APPS]


class DomainModelsAreReadOnly(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_seoul()
        cls.superuser = User.objects.create_superuser("root", password="x")

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_every_domain_model_refuses_add_change_and_delete_to_a_superuser(self):
        request = RequestFactory().get("/admin/")
        request.user = self.superuser
        admins = domain_admins()
        names = {model.__name__ for model, _ in admins}
        # the ones that were editable before, by name, so a rename cannot hide one
        assert {"Organisation", "Service", "Narrative", "EvaluationYear", "CouncilConsent",
                "InspectionFinding", "AuditResult", "OperatingFigure", "AuditEvent"} <= names
        for model, model_admin in admins:
            with self.subTest(model=model.__name__):
                self.assertFalse(model_admin.has_add_permission(request))
                self.assertFalse(model_admin.has_change_permission(request))
                self.assertFalse(model_admin.has_delete_permission(request))
                for inline in model_admin.get_inline_instances(request):
                    self.assertFalse(inline.has_add_permission(request, None))
                    self.assertFalse(inline.has_change_permission(request))
                    self.assertFalse(inline.has_delete_permission(request))

    def test_admin_pages_refuse_writes_over_http(self):
        tried = 0
        for model, _model_admin in domain_admins():
            obj = model._default_manager.order_by("pk").first()
            with self.subTest(model=model.__name__):
                self.assertEqual(self.client.get(url(model, "add")).status_code, 403)
                self.assertEqual(self.client.post(url(model, "add"), {}).status_code, 403)
                if obj is None:
                    continue
                tried += 1
                change, delete = url(model, "change", obj.pk), url(model, "delete", obj.pk)
                self.assertEqual(self.client.get(change).status_code, 200)  # view only
                self.assertEqual(self.client.post(change, {}).status_code, 403)
                self.assertEqual(self.client.get(delete).status_code, 403)
                self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
                self.assertTrue(model._default_manager.filter(pk=obj.pk).exists())
        self.assertGreaterEqual(tried, 8)  # the Seoul data has rows in most of them

    def test_a_bulk_delete_action_is_not_offered(self):
        for model in (Service, Organisation, Narrative, EvaluationYear):
            ids = list(model._default_manager.values_list("pk", flat=True)[:2])
            response = self.client.post(url(model, "changelist"), {
                "action": "delete_selected", "_selected_action": ids, "post": "yes"})
            self.assertIn(response.status_code, (200, 302, 403))
            self.assertEqual(model._default_manager.filter(pk__in=ids).count(), len(ids))

    def test_an_id_too_large_for_the_column_is_not_a_server_error(self):
        for pk in ("99999999999999999999", "-1", "abc"):
            response = self.client.get(reverse("admin:registry_service_change", args=[pk]))
            self.assertIn(response.status_code, (302, 404))  # "does not exist" → index


@pytest.mark.django_db
def test_role_changes_in_the_admin_are_audited(client):
    root = User.objects.create_superuser("root", password="x")
    person = User.objects.create_user("kim", password="x")
    profile = Profile.objects.create(user=person, role=Role.DEPARTMENT)
    client.force_login(root)

    response = client.post(reverse("admin:accounts_profile_change", args=[profile.pk]), {
        "user": person.pk, "role": Role.OFFICER, "organisation": ""})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.role == Role.OFFICER
    event = AuditEvent.objects.get(action="accounts.profile.update")
    assert (event.actor, event.before["role"], event.after["role"]) == (
        root, Role.DEPARTMENT, Role.OFFICER)

    # saving without a change writes nothing
    client.post(reverse("admin:accounts_profile_change", args=[profile.pk]), {
        "user": person.pk, "role": Role.OFFICER, "organisation": ""})
    assert AuditEvent.objects.filter(action="accounts.profile.update").count() == 1

    # making someone a superuser makes them an officer: audited too
    response = client.post(reverse("admin:auth_user_change", args=[person.pk]), {
        "username": "kim", "is_active": "on", "is_superuser": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="accounts.user.update")
    assert (event.before["is_superuser"], event.after["is_superuser"]) == (False, True)

    response = client.post(reverse("admin:accounts_profile_delete", args=[profile.pk]),
                           {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accounts.profile.delete")
    assert event.before["role"] == Role.OFFICER and event.actor == root


@pytest.mark.django_db
def test_demo_officer_is_not_staff_and_cannot_reach_the_admin(client):
    with override_settings(DEBUG=True):
        call_command("demo_users", verbosity=0)
    officer = User.objects.get(username="officer")
    assert officer.profile.role == Role.OFFICER
    assert not officer.is_staff and not officer.is_superuser
    assert not User.objects.filter(is_staff=True).exists()



@pytest.mark.django_db
def test_an_officer_cannot_reach_the_admin(client):
    officer = User.objects.create_user("officer2", password="x")
    Profile.objects.create(user=officer, role=Role.OFFICER)
    client.force_login(officer)
    assert client.get(reverse("office:dashboard")).status_code == 200  # the office is theirs
    for path in ("/admin/", reverse("admin:registry_service_changelist"),
                 reverse("admin:accounts_profile_changelist")):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post("/admin/login/?next=/admin/",
                           {"username": "officer2", "password": "x"})
    assert response.status_code == 200  # the admin login refuses a non-staff account
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_demo_users_takes_staff_away_from_an_earlier_demo_officer():
    with override_settings(DEBUG=True):
        call_command("demo_users", verbosity=0)
        User.objects.filter(username="officer").update(is_staff=True)  # as older versions
        call_command("demo_users", verbosity=0)
    assert not User.objects.get(username="officer").is_staff
