"""Who may do what in the sheets part of the evaluation process: rules and their queryset
twins, registered with the rest of the policy (:mod:`seonggwa.access.policy`)."""

from __future__ import annotations

#: permission name -> django-rules predicate, registered by ``policy.register``.
PERMISSIONS: dict = {}
