"""Organisation names as public documents write them (pure Python, no Django).

A contractor field names one organisation or a consortium; the Seoul data reader, the
loader and the workbook imports read it with the one rule here (docs/data-seoul.md,
"Contractor members rule"), so an exported row imports back onto the same organisations.
"""

from __future__ import annotations

import re

_CONSORTIUM_SUFFIXES = (" 컨소시엄", " 건소사업")  # "건소사업": garbled 컨소시엄 (2018 #39)
_OTHERS = re.compile(r"^(?P<head>.+?)\s+외\s*(?P<n>\d+)$")


def split_contractor(text: str) -> tuple[tuple[str, ...], int]:
    """Split an as-written contractor field into member organisations.

    Rule (documented in docs/data-seoul.md):

    1. a trailing "외 N" ("and N others") is removed; N is returned separately;
    2. a trailing consortium word (" 컨소시엄", or its garbled form " 건소사업") is removed;
    3. the rest is split on the middle dot "·" and each part is stripped;
    4. a part made of several space-separated tokens that *each* carry "(주)" is split on
       the spaces ("(주)엘지스포르츠 (주)두산베어스", "한중환경기술(주) 환경시설관리(주)").

    Names are otherwise kept exactly as written.
    """
    rest = text.strip()
    unnamed = 0
    m = _OTHERS.match(rest)
    if m:
        rest, unnamed = m.group("head").strip(), int(m.group("n"))
    for suffix in _CONSORTIUM_SUFFIXES:
        if rest.endswith(suffix):
            rest = rest[: -len(suffix)].strip()
            break
    members: list[str] = []
    for part in rest.split("·"):
        part = part.strip()
        if not part:
            continue
        tokens = part.split()
        if len(tokens) > 1 and all("(주)" in t for t in tokens):
            members.extend(tokens)
        else:
            members.append(part)
    return tuple(members), unnamed
