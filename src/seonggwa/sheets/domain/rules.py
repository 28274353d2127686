"""The ``process.integrity`` section of a framework document: read and validated here, by the
app that runs it (:mod:`seonggwa.core.process`).

Fields (all optional):

- ``outlier_sd`` (number > 0): a rating further than this many standard deviations from
  the mean of the other members' current ratings of the same indicator needs a written
  justification before the sheet can be submitted. Absent: no outlier check.
- ``justify_minimum`` (true/false): a rating at the scale's minimum needs a written
  justification. Absent: false.
- ``desk_review`` (list of indicator codes): indicators the officer enters by desk review
  (서면평가) instead of the panel members' sheets. Absent: every panel indicator is on
  the sheets (e.g. an external institution scoring outsourced services).

A framework without the section (the outsourcing presets) has no integrity rule: sheets
are still used, and any value on the scale is accepted without a justification.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SECTION = "integrity"
FIELDS = ("outlier_sd", "justify_minimum", "desk_review")
#: Largest ``outlier_sd`` accepted: beyond it the rule can never fire and is a typo.
MAX_OUTLIER_SD = 10


def problems(section: Any) -> list[tuple[str, str]]:
    """What is wrong with the section, as ``(path, message)`` pairs."""
    if section is None:
        return []
    if not isinstance(section, Mapping):
        return [("", "expected a mapping")]
    found = [(str(key), f"unknown field (allowed: {', '.join(FIELDS)})")
             for key in section if key not in FIELDS]
    sd = section.get("outlier_sd")
    if "outlier_sd" in section and (
            isinstance(sd, bool) or not isinstance(sd, (int, float))
            or not 0 < sd <= MAX_OUTLIER_SD):
        found.append(("outlier_sd", f"expected a number above 0 and at most {MAX_OUTLIER_SD}"))
    if "justify_minimum" in section and not isinstance(section["justify_minimum"], bool):
        found.append(("justify_minimum", "expected true or false"))
    desk = section.get("desk_review")
    if "desk_review" in section:
        if not isinstance(desk, list) or not all(isinstance(c, str) and c for c in desk):
            found.append(("desk_review", "expected a list of indicator codes"))
        elif len(set(desk)) != len(desk):
            found.append(("desk_review", "an indicator code is listed twice"))
    return found


@dataclass(frozen=True)
class Integrity:
    """The section as read for one framework (defaults where it is silent)."""

    outlier_sd: float | None = None
    justify_minimum: bool = False
    desk_review: tuple[str, ...] = ()


def integrity_of(framework) -> Integrity:
    """The integrity rules of an engine ``Framework`` (validated on import)."""
    section = framework.process.get(SECTION) or {}
    sd = section.get("outlier_sd")
    return Integrity(outlier_sd=float(sd) if sd is not None else None,
                     justify_minimum=bool(section.get("justify_minimum", False)),
                     desk_review=tuple(section.get("desk_review") or ()))
