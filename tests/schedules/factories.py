"""Builders for the schedules tests: a civic-platform round with its framework's deadline
rules, and platform subjects (real rows)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.domain import frameworks, workflow
from seonggwa.evaluations.domain.subjects import subject_for
from seonggwa.evaluations.models import Scheme
from seonggwa.registry.models import Organisation, OrganisationKind

CIVIC_PRESET = "seoul-civic-platform-2018"


def civic_round(year: int = 2018, number: int = 3):
    version = frameworks.preset_version(CIVIC_PRESET)
    return workflow.open_round(year, number, scheme=Scheme.CIVIC_PLATFORM,
                               framework_version=version, actor_label="test")


def platform(district: str):
    org = Organisation.objects.get_or_create(
        kind=OrganisationKind.PLATFORM, name=f"{district} 시민협력플랫폼",
        defaults={"district": district})[0]
    return subject_for("platform", org)


def user(name: str, role: str | None, organisation=None):
    u = get_user_model().objects.create_user(username=name, password="pw")
    if role is not None:
        Profile.objects.update_or_create(user=u, defaults={"role": role,
                                                           "organisation": organisation})
    return u


def officer(name: str = "officer"):
    return user(name, Role.OFFICER)
