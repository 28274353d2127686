"""The bounded form: every text, date and whole number field holds to the bounds, on the
field, whoever wrote the form and whatever fields it adds at run time."""

from __future__ import annotations

from django import forms

from seonggwa.core.bounds import INT_MAX, check_text
from seonggwa.core.forms import Form, bounded


class Sample(Form):
    name = forms.CharField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)
    day = forms.DateField(required=False)
    count = forms.IntegerField(required=False)
    positive = forms.IntegerField(required=False, min_value=0)
    year = forms.IntegerField(required=False, min_value=1990, max_value=2100)
    amount = forms.DecimalField(required=False, max_digits=30, decimal_places=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added"] = forms.CharField(required=False)


def errors(**data):
    form = Sample(data)
    form.is_valid()
    return form.errors


def test_a_single_line_refuses_control_characters_and_line_breaks():
    assert "제어 문자나 줄바꿈" in errors(name="가\x01나")["name"][0]
    assert "name" in errors(name="가\n나") and "name" in errors(name="가\t나")
    assert "name" not in errors(name="가 나")


def test_a_text_area_keeps_tab_and_line_breaks_only():
    assert "notes" not in errors(notes="첫 줄\r\n\t둘째 줄")
    assert "탭과 줄바꿈만" in errors(notes="가\x0b나")["notes"][0]


def test_nul_is_said_once():
    (message,) = errors(name="가\x00나")["name"]
    assert "U+0000 NUL" in message


def test_a_field_added_at_run_time_is_bounded_too():
    assert "added" in errors(added="가\x7f나")


def test_dates_lie_between_1990_and_2100():
    for far in ("0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"):
        assert "1990-01-01부터 2100-12-31까지만" in errors(day=far)["day"][0], far
    assert "day" not in errors(day="1990-01-01") and "day" not in errors(day="2100-12-31")


def test_whole_numbers_stay_in_the_stored_range():
    assert "정수만 쓸 수 있습니다" in errors(count=str(2**63))["count"][0]
    assert "count" in errors(count=str(2**31)) and "count" in errors(count=str(-(2**31) - 1))
    assert "count" not in errors(count=str(INT_MAX))


def test_narrower_bounds_keep_their_own_words_and_one_error_per_value():
    (below,) = errors(positive="-5")["positive"]
    assert "정수만" not in below  # the field's own minimum says it
    (huge,) = errors(positive=str(2**63))["positive"]
    assert "0부터 2,147,483,647까지의 정수만" in huge
    (late,) = errors(year="2101")["year"]
    assert "정수만" not in late


def test_decimals_keep_their_own_rules():
    assert "amount" not in errors(amount=str(2**63))


def test_bounding_twice_adds_nothing():
    field = forms.CharField()
    assert bounded(bounded(field)) is field
    assert field.validators == [check_text]  # Django's NUL check gives way to ours
