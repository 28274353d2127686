"""The ``process.panel`` section of a framework document: read and validated here, by the
app that runs it (:mod:`seonggwa.core.process`).

::

    panel:
      seats:                      # who sits on a subject's panel, by seat
        - {code: city, label: 서울시, group: administration, count: 2}
        - {code: peer_year1, label: 타 자치구 플랫폼(1년차), group: civil, count: 1,
           peer_project_year: 1}  # a head of ANOTHER district's platform in year 1
      conflicts: [same_district, same_organisation, same_employer, declared, recusal,
                  challenge]      # the checks run before anyone is seated

A framework without the section has no panel: nobody can be seated through the panel
pages (the round's evaluators are assigned on the assignment page instead). A section
without ``conflicts`` runs every check.

Messages are in English like the engine's own document errors: they name the field of a
document an officer imports, next to the engine's messages about the scoring rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from seonggwa.core.language import shown

SECTION = "panel"
FIELDS = ("seats", "conflicts")
SEAT_FIELDS = ("code", "label", "label_en", "group", "count", "peer_project_year")

#: The groups a seat belongs to (seed 003 §5: administration, external experts, civil
#: society), with the words pages show.
GROUPS = {
    "administration": (gettext_lazy("행정"), "Administration"),
    "external": (gettext_lazy("외부 전문가"), "External experts"),
    "civil": (gettext_lazy("민간(시민사회)"), "Civil society"),
}

#: Every conflict check, in the order pages list them.
CONFLICT_KINDS = ("same_district", "same_organisation", "same_employer", "declared",
                  "recusal", "challenge")

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_MAX_LABEL = 100
_MAX_COUNT = 50        # a seat of more than 50 members is a typo, not a panel
_MAX_PROJECT_YEAR = 9


@dataclass(frozen=True)
class SeatRule:
    """One seat of the composition: ``count`` members of ``group`` under ``label``; a
    peer seat (``peer_project_year`` set) is for the head of another district's platform
    in that project year."""

    code: str
    label: str
    label_en: str
    group: str
    count: int
    peer_project_year: int | None = None

    @property
    def is_peer(self) -> bool:
        return self.peer_project_year is not None

    @property
    def shown(self) -> str:
        """The label in the active language (the English one when given)."""
        return shown(self.label, self.label_en)

    @property
    def group_label(self) -> str:
        return str(GROUPS[self.group][0]) if self.group in GROUPS else self.group


@dataclass(frozen=True)
class PanelRules:
    seats: tuple[SeatRule, ...]
    conflicts: tuple[str, ...]

    def seat(self, code: str) -> SeatRule | None:
        return next((s for s in self.seats if s.code == code), None)

    @property
    def size(self) -> int:
        return sum(s.count for s in self.seats)


#: The rules of a framework without a panel section: no seats, every check.
NO_PANEL = PanelRules(seats=(), conflicts=CONFLICT_KINDS)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text_problem(value: Any, *, required: bool) -> str | None:
    if value is None:
        return "required field is missing" if required else None
    if not isinstance(value, str):
        return f"expected text, got {type(value).__name__}"
    if required and not value.strip():
        return "must not be empty"
    if len(value) > _MAX_LABEL:
        return f"at most {_MAX_LABEL} characters"
    if "\x00" in value:
        return "must not contain NUL characters"
    return None


def _seat_problems(i: int, seat: Any) -> list[tuple[str, str]]:
    at = f"seats[{i}]"
    if not isinstance(seat, Mapping):
        return [(at, "expected a mapping")]
    found = [(f"{at}.{key}", f"unknown field (allowed: {', '.join(SEAT_FIELDS)})")
             for key in seat if key not in SEAT_FIELDS]
    code = seat.get("code")
    if code is None:
        found.append((f"{at}.code", "required field is missing"))
    elif not isinstance(code, str) or not _CODE.match(code):
        found.append((f"{at}.code", f"invalid code {code!r} (lower-case letters, digits, _; "
                                    "starting with a letter; at most 40)"))
    for key, required in (("label", True), ("label_en", False)):
        message = _text_problem(seat.get(key), required=required)
        if message:
            found.append((f"{at}.{key}", message))
    group = seat.get("group")
    if group is None:
        found.append((f"{at}.group", "required field is missing"))
    elif not isinstance(group, str) or group not in GROUPS:
        found.append((f"{at}.group", f"unknown group {group!r} (known: {', '.join(GROUPS)})"))
    count = seat.get("count")
    if count is None:
        found.append((f"{at}.count", "required field is missing"))
    elif not _whole(count) or not 1 <= count <= _MAX_COUNT:
        found.append((f"{at}.count", f"expected a whole number from 1 to {_MAX_COUNT}, "
                                     f"got {count!r}"))
    year = seat.get("peer_project_year")
    if year is not None and (not _whole(year) or not 1 <= year <= _MAX_PROJECT_YEAR):
        found.append((f"{at}.peer_project_year",
                      f"expected a project year from 1 to {_MAX_PROJECT_YEAR}, got {year!r}"))
    return found


def _seats_problems(seats: Any) -> list[tuple[str, str]]:
    if seats is None:
        return [("seats", "required field is missing")]
    if not isinstance(seats, list):
        return [("seats", f"expected a list, got {type(seats).__name__}")]
    if not seats:
        return [("seats", "must not be empty")]
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, seat in enumerate(seats):
        found.extend(_seat_problems(i, seat))
        code = seat.get("code") if isinstance(seat, Mapping) else None
        if isinstance(code, str) and code in seen:
            found.append((f"seats[{i}].code", f"duplicate seat code {code!r}"))
        if isinstance(code, str):
            seen.add(code)
    return found


def _conflicts_problems(kinds: Any) -> list[tuple[str, str]]:
    if kinds is None:
        return []
    if not isinstance(kinds, list):
        return [("conflicts", f"expected a list, got {type(kinds).__name__}")]
    found: list[tuple[str, str]] = []
    for i, kind in enumerate(kinds):
        if kind not in CONFLICT_KINDS:
            found.append((f"conflicts[{i}]", f"unknown check {kind!r} "
                                             f"(known: {', '.join(CONFLICT_KINDS)})"))
        elif kinds.index(kind) != i:
            found.append((f"conflicts[{i}]", f"duplicate check {kind!r}"))
    return found


def problems(section: Any) -> list[tuple[str, str]]:
    """What is wrong with the section, as ``(path, message)`` pairs."""
    if not isinstance(section, Mapping):
        return [("", "expected a mapping")]
    found = [(str(key), f"unknown field (allowed: {', '.join(FIELDS)})")
             for key in section if key not in FIELDS]
    found.extend(_seats_problems(section.get("seats")))
    found.extend(_conflicts_problems(section.get("conflicts")))
    return found


def read(section: Mapping[str, Any] | None) -> PanelRules:
    """The rules of a section already validated on import (``None``: no panel)."""
    if not section:
        return NO_PANEL
    seats = tuple(SeatRule(code=s["code"], label=s["label"].strip(),
                           label_en=(s.get("label_en") or "").strip(),
                           group=s["group"], count=s["count"],
                           peer_project_year=s.get("peer_project_year"))
                  for s in section["seats"])
    kinds = section.get("conflicts")
    conflicts = CONFLICT_KINDS if kinds is None else tuple(
        k for k in CONFLICT_KINDS if k in kinds)
    return PanelRules(seats=seats, conflicts=conflicts)
