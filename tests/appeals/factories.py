"""Builders for the appeals tests: a civic-platform round whose subjects are scored from
seven members' ratings (real rows, through the one write path), the organisations' users,
and an officer."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.domain import frameworks, inputs, workflow
from seonggwa.evaluations.domain.subjects import subject_for
from seonggwa.evaluations.models import Scheme
from seonggwa.registry.models import Organisation, OrganisationKind

CIVIC_PRESET = "seoul-civic-platform-2018"
MEMBERS = [f"위원{i}" for i in range(1, 8)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def civic_round(year: int = 2018, number: int = 3, version=None):
    version = version or frameworks.preset_version(CIVIC_PRESET)
    return workflow.open_round(year, number, scheme=Scheme.CIVIC_PLATFORM,
                               framework_version=version, actor_label="test")


def platform_org(district: str) -> Organisation:
    return Organisation.objects.get_or_create(
        kind=OrganisationKind.PLATFORM, name=f"{district} 시민협력플랫폼",
        defaults={"district": district})[0]


def rating_entries(subject, *, value=4, q=80, members=MEMBERS):
    entries = [inputs.RatingEntry(subject, code, value, m)
               for m in members for code in ("G1", "G2")]
    entries.append(inputs.RatingEntry(subject, "Q", q, "서울시 서면평가"))
    return entries


def scored_round(districts=("마포구",), *, value=4, rnd=None):
    """A civic round whose platforms are rated by seven members and scored (draft
    results, one per district, in the order given)."""
    rnd = rnd or civic_round()
    subjects = [subject_for("platform", platform_org(d)) for d in districts]
    inputs.record_ratings(rnd, [e for s in subjects for e in rating_entries(s, value=value)],
                          actor_label="test")
    results = workflow.rescore(rnd, subjects, actor_label="test")
    return rnd, results


def user(name: str, role: str | None = None, organisation=None, email: str = ""):
    u = get_user_model().objects.create_user(username=name, password="pw", email=email)
    if role is not None:
        Profile.objects.create(user=u, role=role, organisation=organisation)
    return u


def officer(name: str = "officer"):
    return user(name, Role.OFFICER, email=f"{name}@seoul.example")


def pdf(name: str = "근거.pdf", content: bytes = PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def a_monday() -> date:
    """A plain working week (no holidays): 2018-06-25 is a Monday."""
    return date(2018, 6, 25)
