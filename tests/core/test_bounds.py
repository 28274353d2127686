"""The one rule for stored text, dates and whole numbers (core/bounds.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from seonggwa.core import bounds


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f"])
def test_control_characters_are_refused_in_any_text(char):
    for multiline in (False, True):
        problem = bounds.text_problem(f"서울{char}시", multiline=multiline)
        assert problem and f"U+{ord(char):04X}" in problem


def test_tab_and_line_breaks_only_in_multiline_text():
    assert bounds.text_problem("성과\n한계\t개선\r\n", multiline=True) is None
    assert "U+000A" in bounds.text_problem("성과\n한계")
    assert bounds.text_problem("서울시 청소년 시설 · 2023") is None


def test_check_text_raises_a_validation_error_with_the_reason():
    with pytest.raises(ValidationError) as exc:
        bounds.check_text("a\x01b")
    assert "제어 문자" in exc.value.messages[0]
    bounds.check_multiline_text("첫 줄\n둘째 줄")


@pytest.mark.parametrize("day, ok", [
    (dt.date(1990, 1, 1), True), (dt.date(2100, 12, 31), True),
    (dt.date(1989, 12, 31), False), (dt.date(2101, 1, 1), False),
    (dt.date(9999, 12, 31), False), (dt.date(1, 1, 1), False),
])
def test_dates_are_bounded_to_the_url_years(day, ok):
    assert (bounds.date_problem(day) is None) is ok
    if not ok:
        with pytest.raises(ValidationError):
            bounds.check_date(day)


@pytest.mark.parametrize("value, ok", [
    (0, True), (2**31 - 1, True), (-(2**31), True), (2**31, False), (2**63, False),
    (-(2**63), False),
])
def test_whole_numbers_fit_a_postgresql_integer(value, ok):
    assert (bounds.int_problem(value) is None) is ok


def test_a_narrower_range_is_named_in_the_message():
    assert bounds.int_problem(5, minimum=0, maximum=3) == "0부터 3까지의 정수만 쓸 수 있습니다."
    assert bounds.int_problem(3, minimum=0, maximum=10**12) is None
