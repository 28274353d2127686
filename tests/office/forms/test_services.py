"""The service list's filter and the result forms: a score range in order, a correction
with its reason."""

from __future__ import annotations

from seonggwa.office.forms.results import CorrectionForm
from seonggwa.office.forms.services import ServiceFilter


def test_the_lowest_score_is_not_above_the_highest():
    form = ServiceFilter({"score_min": "80", "score_max": "70"})
    assert not form.is_valid() and "최저 점수가 최고 점수보다" in form.non_field_errors()[0]


def test_a_search_with_control_characters_filters_nothing():
    assert not ServiceFilter({"q": "청소년\x00"}).is_valid()


def test_a_correction_needs_its_reason():
    form = CorrectionForm({"score": "70", "reason": "   "})
    assert not form.is_valid() and form.errors["reason"] == ["정정 사유를 입력해야 합니다."]
