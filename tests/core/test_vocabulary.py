"""The one vocabulary of the audit trail: one word per action and per field, a part's own
word for a common key, and a second, different word refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext_lazy

from seonggwa.core import vocabulary


def test_words_are_looked_up_by_code_and_key():
    vocabulary.register(actions={"test.frobnicate": "시험 동작"}, fields={"test_key": "시험 항목"})
    assert vocabulary.action_label("test.frobnicate") == "시험 동작"
    assert vocabulary.has_action("test.frobnicate")
    assert vocabulary.field_label("test_key") == "시험 항목"
    assert vocabulary.action_label("test.unknown") is None
    assert vocabulary.field_label("test_unknown") is None


def test_a_part_says_a_common_key_its_own_way():
    vocabulary.register(fields={"test_kind": "구분"})
    vocabulary.register(fields={"test_kind": "이해충돌 종류"}, part="test-part")
    assert vocabulary.field_label("test_kind") == "구분"
    assert vocabulary.field_label("test_kind", part="test-part") == "이해충돌 종류"
    assert vocabulary.field_label("test_kind", part="other-part") == "구분"


def test_one_key_has_one_word():
    vocabulary.register(actions={"test.once": "한 번"})
    vocabulary.register(actions={"test.once": "한 번"})  # the same word again: fine
    with pytest.raises(ImproperlyConfigured):
        vocabulary.register(actions={"test.once": "두 번"})
    vocabulary.register(fields={"test_once": "하나"}, part="test-part")
    with pytest.raises(ImproperlyConfigured):
        vocabulary.register(fields={"test_once": "둘"}, part="test-part")


def test_words_are_said_in_the_language_asked_for():
    vocabulary.register(actions={"test.lazy": gettext_lazy("상태")})
    with translation.override("en"):
        english = vocabulary.action_label("test.lazy")
    assert vocabulary.action_label("test.lazy") == "상태"
    assert isinstance(english, str)
