"""The rule for keys that name records in URLs (service keys and the like).

A key is one path segment of a URL (``/services/<key>/``), a cell of an exported
workbook and a line of an audit record, so it must survive all three unchanged: it is
1 to :data:`KEY_MAX_LENGTH` letters (any script, Hangul included), digits, ``_``,
``-`` or ``.``, and starts with a letter, a digit or ``_`` (so never ``.`` or ``..``).
A ``/``, a NUL, white space or any other control or punctuation character is refused.

The same pattern is the URL converter's (:mod:`seonggwa.core.converters`), the model
field's validator (:func:`validate_key`, which forms, imports and the admin run) and the
check that reports stored rows that break it (``seonggwa manage check_keys``).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

KEY_MAX_LENGTH = 120

#: One URL path segment: the converter's regex (no anchors) and the validator's rule.
KEY_REGEX = rf"\w[\w.-]{{0,{KEY_MAX_LENGTH - 1}}}"
_KEY_RE = re.compile(rf"\A{KEY_REGEX}\Z")
_ALLOWED = re.compile(r"[\w.-]")


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def key_problems(value) -> list[str]:
    """Why ``value`` is not a valid key, in words for an official (empty if it is one)."""
    if not isinstance(value, str):
        return [str(_("키는 문자열이어야 합니다."))]
    if value == "":
        return [str(_("키가 비어 있습니다."))]
    problems = []
    if len(value) > KEY_MAX_LENGTH:
        problems.append(str(_("키가 너무 깁니다 (%(length)d자, 최대 %(max)d자).")
                            % {"length": len(value), "max": KEY_MAX_LENGTH}))
    if "/" in value:
        problems.append(str(_("키에 '/'가 들어 있습니다 (주소의 경로를 나눕니다).")))
    if "\x00" in value:
        problems.append(str(_("키에 NUL 문자가 들어 있습니다.")))
    if any(c.isspace() for c in value):
        problems.append(str(_("키에 공백 문자가 들어 있습니다.")))
    controls = [c for c in value if c != "\x00" and not c.isspace()
                and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn")]
    if controls:
        problems.append(str(_("키에 제어 문자가 들어 있습니다 (%(chars)s).")
                            % {"chars": ", ".join(dict.fromkeys(map(_describe, controls)))}))
    others = [c for c in value if not _ALLOWED.fullmatch(c) and c not in "/\x00"
              and not c.isspace() and c not in controls]
    if others:
        problems.append(str(_("키에 쓸 수 없는 문자가 있습니다: %(chars)s (글자, 숫자, "
                              "'_', '-', '.'만 씁니다).")
                            % {"chars": " ".join(f"'{c}'" for c in dict.fromkeys(others))}))
    if not problems and not _KEY_RE.match(value):
        problems.append(str(_("키는 글자, 숫자 또는 '_'로 시작해야 합니다.")))
    return problems


def is_valid_key(value) -> bool:
    return isinstance(value, str) and bool(_KEY_RE.match(value))


@deconstructible
class KeyValidator:
    """Model and form field validator for keys (see the module docstring)."""

    code = "invalid_key"

    def __call__(self, value) -> None:
        if is_valid_key(value):
            return
        # No params: the message is already filled in and may contain a "%".
        raise ValidationError(" ".join(key_problems(value)), code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, KeyValidator)

    def __hash__(self) -> int:
        return hash(self.code)


validate_key = KeyValidator()
