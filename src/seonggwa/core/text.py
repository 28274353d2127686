"""The characters a stored text may not carry, without Django.

Pure (stdlib only) so that the workbook writers of the ``seonggwa`` CLI, which must not
import Django, share the rule with the forms and imports (:mod:`seonggwa.core.bounds`
words the refusal; this module only finds and replaces).
"""

from __future__ import annotations

import re
import unicodedata

#: Control characters refused in any text (tab, line feed and carriage return excepted:
#: whether those are allowed depends on the field). openpyxl refuses the same set in a
#: cell (its ``ILLEGAL_CHARACTERS_RE``), written here so the rule is ours and tested.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"[\t\n\r]")


#: The names of the control characters, which Unicode leaves unnamed (U+0000 NUL …).
_CONTROL_NAMES = {**dict(enumerate(
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN "
    "ETB CAN EM SUB ESC FS GS RS US".split())), 0x7F: "DEL"}


def describe(char: str) -> str:
    """``U+0001 SOH``: the code point and the character's name when it has one."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def control_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The characters of ``value`` a text may not hold, each described once, in order."""
    if not isinstance(value, str):
        return []
    found = CONTROL.findall(value)
    if not multiline:
        found += LINE_BREAKS.findall(value)
    return list(dict.fromkeys(map(describe, found)))


def printable(value: str) -> str:
    """``value`` with every control character a writer cannot carry replaced by U+FFFD
    (�), so text stored before the entry checks existed still exports and shows; tab and
    line breaks are kept."""
    return CONTROL.sub("\ufffd", value) if isinstance(value, str) else value
