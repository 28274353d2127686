"""English is the second locale: every Korean message has an English translation, and the
compiled catalogue that Django reads is the one the .po file describes."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

import seonggwa

LOCALE = Path(seonggwa.__file__).parent / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(LOCALE / "django.po"))


def test_every_message_has_an_english_translation(catalogue):
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy (unchecked): {fuzzy[:10]}"


def test_compiled_catalogue_matches_the_source(catalogue):
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(LOCALE / "django.mo"))}
    source = {e.msgid: e.msgstr for e in catalogue.translated_entries() if not e.msgid_plural}
    stale = {k for k, v in source.items() if compiled.get(k) != v}
    assert not stale, f"django.mo is stale; run compilemessages ({sorted(stale)[:5]})"


def test_the_interface_speaks_english_when_asked():
    with translation.override("en"):
        assert translation.gettext("로그인") == "Log in"
    with translation.override("ko"):
        assert translation.gettext("로그인") == "로그인"
