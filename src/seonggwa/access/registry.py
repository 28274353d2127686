"""Every permission of the access policy registered with django-rules: the core rules
(:mod:`seonggwa.access.policy`) and those of each part of the evaluation process, which
keep their rules in their own module beside their queryset twins. This module sits above
them all, so the parts import the policy's predicates and the policy imports no part."""

from __future__ import annotations

import rules

from seonggwa.access import appeals, panels, policy, schedules, sheets, submissions

PARTS = (schedules, submissions, panels, sheets, appeals)


def all_permissions() -> dict:
    """permission name -> predicate; a name defined twice is a programming error."""
    merged = dict(policy.PERMISSIONS)
    for part in PARTS:
        overlap = merged.keys() & part.PERMISSIONS.keys()
        if overlap:
            raise RuntimeError(f"permission defined twice: {sorted(overlap)}")
        merged.update(part.PERMISSIONS)
    return merged


def register() -> None:
    """Register every permission with django-rules (idempotent)."""
    for name, predicate in all_permissions().items():
        rules.set_perm(name, predicate)
