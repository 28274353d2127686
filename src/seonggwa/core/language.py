"""Which language a page is in, asked one way.

Korean is the default and English the second locale (``settings.LANGUAGES``). Every part
that picks a Korean or an English text asks :func:`is_english` (or :func:`shown` for a
Korean/English pair) instead of reading ``get_language()`` itself, so "English" means the
same thing everywhere (``en``, ``en-us``, …) and no page mixes the two.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language


def is_english() -> bool:
    """True when the active language is English (any ``en-*`` variant)."""
    return (get_language() or "ko").lower().startswith("en")


def lang() -> str:
    """``"en"`` or ``"ko"``: the active language as the two codes texts are kept in."""
    return "en" if is_english() else "ko"


def shown(label: str, label_en: str | None) -> str:
    """The label in the active language: the English one when English is active and it
    is given, else the Korean one."""
    return label_en if label_en and is_english() else label


# ----------------------------------------------------------------------------- 조사
# Korean particles depend on the last sound of the word before them: 서울시는, 강서구청은;
# 평가를, 결과을 is wrong. A message whose word is only known at run time (a service's
# name, a date) is written with the pair, "%(name)s은(는)", so its English translation
# stays free of particles, and :func:`resolve_particles` picks the right half once the
# text is filled in. Nobody reads "은(는)" on a page.

_PAIRS = {
    # pair as written: (after a final consonant, after a vowel)
    "이(가)": ("이", "가"),
    "은(는)": ("은", "는"),
    "을(를)": ("을", "를"),
    "과(와)": ("과", "와"),
    "이나(나)": ("이나", "나"),
    "아(야)": ("아", "야"),
    "(이)라": ("이라", "라"),
    "(이)며": ("이며", "며"),
    "(으)로": ("으로", "로"),
}
_PAIR_RE = re.compile("(" + "|".join(re.escape(p) for p in sorted(_PAIRS, key=len,
                                                                    reverse=True)) + ")")
#: How digits and Latin letters are read aloud: does the reading end in a consonant
#: (받침)? 1 일, 3 삼, 6 육, 7 칠, 8 팔, 0 영, 10 십 end in one; 2 이, 4 사, 5 오, 9 구 do not.
_DIGIT_HAS_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False,
                    "6": True, "7": True, "8": True, "9": False}
_LATIN_HAS_FINAL = set("lmnr")  # el, em, en, ar: the usual reading of a final letter


def _final(char: str) -> tuple[bool, bool] | None:
    """``(has a final consonant, that consonant is ㄹ)`` for the sound ``char`` ends in,
    or ``None`` when it cannot be told (punctuation with no word before it)."""
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3:
        jong = (code - 0xAC00) % 28
        return jong != 0, jong == 8  # 8 = ㄹ
    if char in _DIGIT_HAS_FINAL:
        return _DIGIT_HAS_FINAL[char], char in "178"
    if char.isascii() and char.isalpha():
        lower = char.lower()
        return lower in _LATIN_HAS_FINAL, lower in "lr"
    return None


def josa(word: str, pair: str) -> str:
    """``word`` followed by the right half of ``pair`` (e.g. ``"은(는)"``)."""
    return resolve_particles(f"{word}{pair}")


def resolve_particles(text):
    """``text`` with every particle pair ("이(가)", "을(를)", "(으)로" …) replaced by the
    half that fits the word before it. Closing quotes and brackets after the word are
    looked through ('서울시'는). Text that is not a string is returned as it is."""
    if not isinstance(text, str) or "(" not in text:
        return text

    def pick(match: re.Match) -> str:
        pair = match.group(1)
        after_consonant, after_vowel = _PAIRS[pair]
        i = match.start() - 1
        while i >= 0 and text[i] in "'\"’”)]」』》〉 ":
            i -= 1
        final = _final(text[i]) if i >= 0 else None
        if final is None:
            return after_consonant  # the written form's first half
        has_final, is_rieul = final
        if pair == "(으)로":
            return "로" if not has_final or is_rieul else "으로"
        return after_consonant if has_final else after_vowel

    return _PAIR_RE.sub(pick, text)
