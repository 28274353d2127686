"""The active language, asked one way, and Korean particles chosen by the word before them."""

import pytest
from django.utils import translation

from seonggwa.core.language import is_english, josa, lang, resolve_particles, shown


def test_english_is_any_en_variant_and_korean_the_default():
    with translation.override("en-us"):
        assert is_english() and lang() == "en"
        assert shown("재계약 배제", "Excluded") == "Excluded"
        assert shown("재계약 배제", "") == "재계약 배제"
    with translation.override("ko"):
        assert not is_english() and lang() == "ko"
        assert shown("재계약 배제", "Excluded") == "재계약 배제"


@pytest.mark.parametrize("word, pair, expected", [
    ("서울시", "은(는)", "서울시는"), ("강서구청", "은(는)", "강서구청은"),
    ("평가", "을(를)", "평가를"), ("결과", "을(를)", "결과를"), ("사업", "을(를)", "사업을"),
    ("김민수", "이(가)", "김민수가"), ("평가담당관", "이(가)", "평가담당관이"),
    ("마포구", "과(와)", "마포구와"), ("센터", "과(와)", "센터와"), ("본청", "과(와)", "본청과"),
    ("서울", "(으)로", "서울로"), ("부산", "(으)로", "부산으로"), ("수원", "(으)로", "수원으로"),
    ("세종", "(으)로", "세종으로"), ("제주", "(으)로", "제주로"),
    ("2023-06-30", "은(는)", "2023-06-30은"), ("2018-07-02", "은(는)", "2018-07-02는"),
    ("v3", "(으)로", "v3으로"), ("v2", "(으)로", "v2로"), ("v1", "(으)로", "v1로"),
])
def test_the_particle_follows_the_final_sound(word, pair, expected):
    assert josa(word, pair) == expected


def test_quotes_after_the_word_are_looked_through():
    assert resolve_particles("'서울시청소년'은(는) 이미 등록되어 있습니다.") == \
        "'서울시청소년'은 이미 등록되어 있습니다."
    assert resolve_particles("'푸른 나무'을(를) 올렸습니다") == "'푸른 나무'를 올렸습니다"


def test_every_pair_in_a_message_is_resolved_and_english_is_untouched():
    text = resolve_particles("마포구이(가) 2018-07-02에 평가을(를) 이의신청했습니다.")
    assert text == "마포구가 2018-07-02에 평가를 이의신청했습니다."
    assert resolve_particles("Mapo objected (on 2 July).") == "Mapo objected (on 2 July)."
    assert resolve_particles(None) is None
