"""The ``process.deadlines`` section of a framework document: read and validated here, by the
app that runs it (:mod:`seonggwa.core.process`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SECTION = "deadlines"
FIELDS = ("unit", "rules")


def problems(section: Any) -> list[tuple[str, str]]:
    """What is wrong with the section, as ``(path, message)`` pairs."""
    if not isinstance(section, Mapping):
        return [("", "expected a mapping")]
    return [(str(key), f"unknown field (allowed: {', '.join(FIELDS)})")
            for key in section if key not in FIELDS]
