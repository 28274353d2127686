"""The ``process`` sections of a framework document, validated by the apps that own them.

A framework document carries, beside its scoring rules, the rules of the evaluation as
people run it: ``deadlines`` (schedules), ``submission`` (submissions), ``panel``
(panels), ``integrity`` (sheets), ``appeal`` (appeals). The engine only checks that
``process`` is a mapping; each app registers a validator for its section in its
``AppConfig.ready`` and the framework import refuses a document whose section is wrong,
naming the field — the same promise as for the scoring rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: section name -> validator. A validator returns the problems found, each as
#: ``(path inside the section, message)``; an empty list means the section is valid.
Validator = Callable[[Any], list[tuple[str, str]]]

_VALIDATORS: dict[str, Validator] = {}


def register_section(name: str, validator: Validator) -> None:
    """Register the validator of one section (idempotent: apps may be readied twice)."""
    _VALIDATORS[name] = validator


def registered_sections() -> tuple[str, ...]:
    return tuple(sorted(_VALIDATORS))


def process_problems(process: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Every problem of a document's ``process`` mapping, as ``(path, message)``.

    A section nobody registered is a problem too: a typo (``apeal``) must not silently
    leave a rule out."""
    problems: list[tuple[str, str]] = []
    for name, section in (process or {}).items():
        validator = _VALIDATORS.get(name)
        if validator is None:
            known = ", ".join(registered_sections()) or "-"
            problems.append((f"process.{name}", f"unknown section (known: {known})"))
            continue
        problems.extend((f"process.{name}.{path}".rstrip("."), message)
                        for path, message in validator(section))
    return problems
