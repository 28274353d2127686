"""The sheet form: built from the sheet's indicators, each value checked on its scale
with the inputs' own words, each text against the bounds, the domain's entries out."""

from __future__ import annotations

import pytest
from sheets.builders import TEXTS, civic_round

from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.office.forms.sheets import DeskReviewForm, ReopenForm, SheetForm
from seonggwa.sheets.domain import sheets as domain

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    return framework_for(civic_round())


def posted(**extra):
    data = {"G1-value": "4", "G2-value": "3"}
    for code in ("G1", "G2"):
        data.update({f"{code}-{k}": v for k, v in TEXTS.items()})
    return {**data, **extra}


def test_one_value_and_the_texts_per_indicator_of_the_sheet(framework):
    form = SheetForm(framework=framework)
    codes = [ind.code for ind in domain.sheet_indicators(framework)]
    assert codes == ["G1", "G2"]  # the desk-review indicator is the officer's
    assert set(form.fields) == {f"{c}-{p}" for c in codes for p in ("value", *domain.TEXT_FIELDS)}


def test_the_entries_are_what_was_typed(framework):
    form = SheetForm(posted(**{"G1-justification": "활동 없음"}), framework=framework)
    assert form.is_valid(), form.errors
    entries = form.entries()
    assert entries["G1"] == domain.EntryInput(value="4", justification="활동 없음", **TEXTS)
    assert entries["G2"].value == "3"


def test_a_value_off_the_scale_is_said_as_the_inputs_say_it(framework):
    form = SheetForm(posted(**{"G1-value": "9"}), framework=framework)
    assert not form.is_valid()
    (problem,) = form.problems()
    assert "G1" in problem and "척도에 없습니다" in problem


def test_a_text_problem_names_the_indicator_and_the_field(framework):
    form = SheetForm(posted(**{"G2-limits": "홍보\x07부족"}), framework=framework)
    assert not form.is_valid()
    (problem,) = form.problems()
    assert problem.startswith("G2 한계: ") and "U+0007 BEL" in problem


def test_texts_are_kept_as_typed_for_the_domain_to_trim(framework):
    form = SheetForm(posted(**{"G1-outcomes": "  첫 줄\r\n둘째 줄  "}), framework=framework)
    assert form.is_valid()
    assert form.entries()["G1"].outcomes == "  첫 줄\r\n둘째 줄  "


def test_the_page_shows_what_was_typed_cut_to_sixty(framework):
    form = SheetForm(posted(**{"G1-value": "1" * 100}), framework=framework)
    assert form.shown("G1") == "1" * 60
    assert form.shown("G1", "limits") == TEXTS["limits"]


def test_desk_review_scores_by_subject_and_indicator():
    class Subject:
        def __init__(self, pk, name):
            self.pk, self.name = pk, name

    a, b = Subject(1, "가구"), Subject(2, "나구")
    form = DeskReviewForm({"1-Q": "80", "2-Q": ""}, subjects=[a, b], codes=["Q"])
    assert form.is_valid()
    assert form.scores() == {a: {"Q": "80"}, b: {"Q": ""}}
    bad = DeskReviewForm({"1-Q": "8\x000"}, subjects=[a], codes=["Q"])
    assert not bad.is_valid() and bad.problems()[0].startswith("가구 Q: ")


def test_an_empty_reopen_reason_is_left_to_the_domain():
    assert ReopenForm({"reason": ""}).is_valid()
    assert not ReopenForm({"reason": "재\x1b심의"}).is_valid()
