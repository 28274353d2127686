"""The ``process.deadlines`` section of a framework document: read and validated here, by the
app that runs it (:mod:`seonggwa.core.process`).

::

    deadlines:
      unit: working            # or calendar; the default of every rule
      rules:
        - {code: notification, label: 평가결과 통보, from: meeting, days: 3}
        - {code: objection, label: 이의 제기, from: notification, days: 7}

``from`` is ``meeting`` (the subject's panel meeting) or the code of another rule, whose
window's start day the period counts from; ``days`` is 1..3660; a rule may set its own
``unit``. A framework without the section has no rule windows: only dates an officer
sets apply (:func:`seonggwa.schedules.domain.windows.set_window`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seonggwa.schedules.domain.calendar import MAX_DAYS, UNITS

SECTION = "deadlines"
FIELDS = ("unit", "rules")
RULE_FIELDS = ("code", "label", "label_en", "from", "days", "unit")
STARTS = ("meeting",)
CODE_MAX = 40
LABEL_MAX = 200


def problems(section: Any) -> list[tuple[str, str]]:
    """What is wrong with the section, as ``(path, message)`` pairs."""
    if not isinstance(section, Mapping):
        return [("", "expected a mapping")]
    found = [(str(key), f"unknown field (allowed: {', '.join(FIELDS)})")
             for key in section if key not in FIELDS]
    if "unit" in section and section["unit"] not in UNITS:
        found.append(("unit", f"expected one of {', '.join(UNITS)}"))
    rules = section.get("rules", [])
    if not isinstance(rules, list):
        return [*found, ("rules", "expected a list of rules")]
    codes = [r.get("code") for r in rules if isinstance(r, Mapping)]
    for i, rule in enumerate(rules):
        found.extend((f"rules[{i}].{path}".rstrip("."), message)
                     for path, message in _rule_problems(rule, codes))
    seen: set = set()
    for i, code in enumerate(codes):
        if code in seen:
            found.append((f"rules[{i}].code", f"duplicate code {code!r}"))
        seen.add(code)
    found.extend(_cycle_problems(rules))
    return found


def _rule_problems(rule: Any, codes: list) -> list[tuple[str, str]]:
    if not isinstance(rule, Mapping):
        return [("", "expected a mapping")]
    found = [(str(key), f"unknown field (allowed: {', '.join(RULE_FIELDS)})")
             for key in rule if key not in RULE_FIELDS]
    code = rule.get("code")
    if not isinstance(code, str) or not code or len(code) > CODE_MAX or not code.isidentifier():
        found.append(("code", f"expected a short name of letters, digits and _ "
                              f"(at most {CODE_MAX} characters)"))
    for key in ("label", "label_en"):
        value = rule.get(key)
        if (key == "label" or key in rule) and (
                not isinstance(value, str) or not value.strip() or len(value) > LABEL_MAX):
            found.append((key, f"expected a text of 1 to {LABEL_MAX} characters"))
    days = rule.get("days")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        found.append(("days", f"expected a whole number from 1 to {MAX_DAYS}"))
    if "unit" in rule and rule["unit"] not in UNITS:
        found.append(("unit", f"expected one of {', '.join(UNITS)}"))
    start = rule.get("from")
    if start not in STARTS and (start not in codes or start == code):
        found.append(("from", f"expected {' or '.join(STARTS)} or the code of another rule"))
    return found


def _cycle_problems(rules: list) -> list[tuple[str, str]]:
    """Rules counting from each other in a circle can never be counted."""
    start_of = {r.get("code"): r.get("from") for r in rules if isinstance(r, Mapping)}
    found = []
    for i, rule in enumerate(rules):
        if not isinstance(rule, Mapping):
            continue
        seen, code = set(), rule.get("code")
        while code in start_of and code not in seen:
            seen.add(code)
            code = start_of[code]
        if code in seen:
            found.append((f"rules[{i}].from", "rules count from each other in a circle"))
    return found
