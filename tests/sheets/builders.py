"""Builders for the sheet tests: a civic-platform round (2018 preset: desk-review Q, key goals G1 and G2 rated 1–5 by
the panel), two district platforms, an officer, seven members assigned to the first
platform and an evaluator assigned only to the second."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from seonggwa.accounts.models import Profile
from seonggwa.evaluations.domain import frameworks, workflow
from seonggwa.evaluations.domain.subjects import subject_for
from seonggwa.evaluations.models import Scheme, SubjectKind
from seonggwa.registry.models import Organisation, OrganisationKind
from seonggwa.sheets.domain import sheets as domain

CIVIC = "seoul-civic-platform-2018"
TEXTS = {"outcomes": "주민 참여 확대", "limits": "홍보 부족", "improvements": "온라인 홍보 강화"}


@dataclass
class Civic:
    round: object
    subject: object
    other: object
    officer: object
    members: list = field(default_factory=list)
    outsider: object = None  # evaluator assigned only to ``other``


def make_user(django_user_model, username, role, full_name="", organisation=None):
    user = django_user_model.objects.create_user(username, password="pw", first_name=full_name)
    Profile.objects.create(user=user, role=role, organisation=organisation)
    return user


def platform(name: str):
    org = Organisation.objects.create(kind=OrganisationKind.PLATFORM, name=name)
    return subject_for(SubjectKind.PLATFORM, org)


def civic_round(year=2018):
    return workflow.open_round(year, 1, scheme=Scheme.CIVIC_PLATFORM,
                               framework_version=frameworks.preset_version(CIVIC),
                               title=f"{year} 시민협력플랫폼 1차", start=dt.date(year, 6, 1))


def entries(g1, g2, **extra):
    """Sheet input for both key goals, with the three texts filled."""
    return {"G1": domain.EntryInput(value=g1, **{**TEXTS, **extra.get("G1", {})}),
            "G2": domain.EntryInput(value=g2, **{**TEXTS, **extra.get("G2", {})})}


def submitted(world, member, g1, g2, **extra):
    sheet = domain.open_sheet(world.round, world.subject, member)
    domain.save_draft(sheet, entries(g1, g2, **extra), actor=member)
    return domain.submit(sheet, actor=member)
