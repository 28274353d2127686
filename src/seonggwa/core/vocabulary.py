"""The words of the audit trail: what each recorded action and each recorded field is
called, in one registry every page that shows a trail reads.

Each app says the words of its own records in its ``vocabulary.py``, registered when the
app is ready::

    vocabulary.register(
        actions={"panels.seat": gettext_lazy("평가단 배정"), ...},
        fields={"member": gettext_lazy("위원"), ...}, part="panels")

- An **action** code (``panels.seat``) has one word everywhere: the trail of a panel, a
  round's audit history and a result's change history say it alike.
- A **field** key (``outcome``) has one word for every record (``part=None``); a part of
  the process whose records use a common key in its own sense (``kind``: the kind of a
  conflict of interest) registers that word for its ``part`` only, and its pages ask
  with ``part=``.

Registering a key again with another word is refused (one owner, one word); the same
word again is allowed (an app made ready twice in tests). Words are lazy translations:
they are said in the language active when a page asks.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_ACTIONS: dict[str, object] = {}
#: part (None: every record) -> key -> word
_FIELDS: dict[str | None, dict[str, object]] = {}


def _add(table: dict, words: Mapping[str, object], what: str) -> None:
    for key, word in words.items():
        known = table.get(key)
        if known is not None and str(known) != str(word):
            raise ImproperlyConfigured(
                f"The audit {what} {key!r} already has a word ({known!s}); not {word!s}.")
        table[key] = word


def register(*, actions: Mapping[str, object] | None = None,
             fields: Mapping[str, object] | None = None, part: str | None = None) -> None:
    """Add the words of ``actions`` (code → word) and of ``fields`` (key → word, for the
    records of ``part`` only when it is given)."""
    _add(_ACTIONS, actions or {}, "action")
    _add(_FIELDS.setdefault(part, {}), fields or {}, "field")


def action_label(code: str) -> str | None:
    """The word of an action code in the active language, ``None`` if none was
    registered."""
    word = _ACTIONS.get(code)
    return None if word is None else str(word)


def field_label(key: str, *, part: str | None = None) -> str | None:
    """The word of a recorded field: ``part``'s own word, else the common one; ``None`` if
    neither was registered."""
    for table in ((_FIELDS.get(part) or {}) if part else {}, _FIELDS.get(None) or {}):
        if key in table:
            return str(table[key])
    return None


def has_action(code: str) -> bool:
    return code in _ACTIONS
