"""The ``process.appeal`` section of a framework document: read and validated here, by the
app that runs it (:mod:`seonggwa.core.process`).

::

    appeal:
      allowed: true        # may the evaluated organisation object at all
      times: 1             # objections per result (the process runs exactly one)
      window: objection    # the process.deadlines rule that counts the objection period

A framework without the section allows no objection (:func:`appeal_rule` says so): the
outsourcing presets have none because their source documents describe no objection.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SECTION = "appeal"
FIELDS = ("allowed", "times", "window")
CODE_MAX = 40


@dataclass(frozen=True)
class AppealRule:
    allowed: bool
    window: str = ""


NO_APPEAL = AppealRule(allowed=False)


def problems(section: Any) -> list[tuple[str, str]]:
    """What is wrong with the section, as ``(path, message)`` pairs."""
    if not isinstance(section, Mapping):
        return [("", "expected a mapping")]
    found = [(str(key), f"unknown field (allowed: {', '.join(FIELDS)})")
             for key in section if key not in FIELDS]
    allowed = section.get("allowed")
    if not isinstance(allowed, bool):
        found.append(("allowed", "required: true or false"))
    times = section.get("times", 1)
    if isinstance(times, bool) or times != 1:
        found.append(("times", "must be 1: the process runs one objection, re-reviewed "
                               "once, then the result is final"))
    window = section.get("window")
    if allowed is True and not (isinstance(window, str) and window.strip()):
        found.append(("window", "required when allowed: the code of the process.deadlines "
                                "rule that counts the objection period"))
    elif window is not None and (not isinstance(window, str) or len(window) > CODE_MAX):
        found.append(("window", f"expected a rule code of at most {CODE_MAX} characters"))
    return found


def appeal_rule(framework) -> AppealRule:
    """The appeal rule of an engine framework (``NO_APPEAL`` without the section)."""
    section = (framework.process or {}).get(SECTION)
    if not section or not section.get("allowed"):
        return NO_APPEAL
    return AppealRule(allowed=True, window=section["window"].strip())
