"""The panels forms: an interest is declared for an organisation or a subject (one of the
two), and the seat forms offer the pool and the round's seats."""

from __future__ import annotations

import pytest

from seonggwa.office.forms.panels import DeclareForm, LiftForm, UnseatForm
from seonggwa.registry.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def test_a_declaration_names_an_organisation_or_a_subject():
    Organisation.objects.create(kind=OrganisationKind.CONTRACTOR, name="(사)가나다")
    neither = DeclareForm({"reason": "친족"})
    assert not neither.is_valid() and "둘 중 하나" in neither.non_field_errors()[0]
    unknown = DeclareForm({"organisation": "없는 기관", "reason": "친족"})
    assert not unknown.is_valid() and "organisation" in unknown.errors
    known = DeclareForm({"organisation": "(사)가나다", "reason": "친족"})
    assert known.is_valid()
    assert known.cleaned_data["organisation_obj"].name == "(사)가나다"


def test_reasons_are_text_areas_with_a_length():
    form = UnseatForm({"reason": "가" * 5000})
    assert not form.is_valid() and "reason" in form.errors
    assert UnseatForm({"reason": "첫 줄\n둘째 줄"}).is_valid()


def test_only_liftable_conflicts_are_offered():
    form = LiftForm()
    assert form.fields["kind"].choices
    assert not LiftForm({"kind": "no-such-kind", "reason": "x"}).is_valid()
