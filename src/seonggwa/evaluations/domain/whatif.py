"""What-if: re-decide stored results under another threshold or policy, without
changing anything (SPEC §3; issue #3 item 7). The decisions are the engine's
(:func:`seonggwa.engine.decide_totals`) under the framework's decision rule.

"Which 2018–2020 services would a 75-point line have excluded?" →
``what_if(75, years=range(2018, 2021))``. The comparison is one vectorised engine call
over the whole history (tens of thousands of results in milliseconds); the only real
cost is reading ``(id, score, decision)`` rows from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import QuerySet

from seonggwa.evaluations.domain import decisions as policies
from seonggwa.evaluations.models import Result


@dataclass
class WhatIf:
    """Old (stored) vs new decisions, as arrays aligned by position."""

    policy: policies.PolicyView
    result_ids: np.ndarray
    service_ids: np.ndarray
    years: np.ndarray
    scores: np.ndarray
    old_excluded: np.ndarray  # the stored decision is adverse (policies.adverse_codes)
    new_excluded: np.ndarray  # the policy's decision below its threshold
    names: list[str]

    @property
    def changed(self) -> np.ndarray:
        return self.old_excluded != self.new_excluded

    def summary(self) -> dict:
        newly = self.new_excluded & ~self.old_excluded
        spared = self.old_excluded & ~self.new_excluded
        by_year = {}
        for y in np.unique(self.years).tolist():
            m = self.years == y
            by_year[int(y)] = {
                "total": int(m.sum()),
                "old_excluded": int(self.old_excluded[m].sum()),
                "new_excluded": int(self.new_excluded[m].sum()),
                "newly_excluded": int(newly[m].sum()),
            }
        return {
            "policy_id": self.policy.id,
            "threshold": self.policy.threshold,
            "total": int(self.scores.size),
            "old_excluded": int(self.old_excluded.sum()),
            "new_excluded": int(self.new_excluded.sum()),
            "newly_excluded": int(newly.sum()),
            "no_longer_excluded": int(spared.sum()),
            "changed": int(self.changed.sum()),
            "by_year": by_year,
        }

    def rows(self, *, changed_only: bool = False, excluded_only: bool = False) -> list[dict]:
        """Per-result old/new decisions (dicts), in score order within year."""
        mask = np.ones(self.scores.size, dtype=bool)
        if changed_only:
            mask &= self.changed
        if excluded_only:
            mask &= self.new_excluded
        idx = np.flatnonzero(mask)
        below, otherwise = self.policy.policy.below, self.policy.policy.otherwise
        out = []
        for i in idx.tolist():
            old = below if self.old_excluded[i] else otherwise
            new = below if self.new_excluded[i] else otherwise
            out.append({
                "result_id": int(self.result_ids[i]), "service_id": int(self.service_ids[i]),
                "service_name": self.names[i], "year": int(self.years[i]),
                "score": Decimal(f"{self.scores[i]:.2f}"),
                "old_decision": old, "new_decision": new, "changed": old != new,
                "new_adverse": bool(self.new_excluded[i]),
            })
        return out


def _excluded(policy: policies.PolicyView, scores: np.ndarray) -> np.ndarray:
    """The engine's decisions under ``policy``, as "excluded" flags (the policy's decision
    below its threshold)."""
    index = policies.decide_array(policy.framework, scores, policy=policy)
    return index == policy.framework.decision_index[policy.policy.below]


def what_if(threshold=None, *, policy: policies.PolicyView | str | None = None,
            results: QuerySet | None = None, years=None) -> WhatIf:
    """Re-decide ``results`` (default: all) under ``threshold`` or ``policy`` (a policy
    object or id). Stored results are not touched."""
    if policy is None and threshold is None:
        raise ValueError("give a threshold or a policy")
    if isinstance(policy, str):
        policy = policies.get_policy(policy)
    if policy is None:
        policy = policies.what_if_policy(threshold)
    qs = Result.objects.outsourcing() if results is None else results
    if years is not None:
        qs = qs.filter(round__year__year__in=list(years))
    rows = list(qs.order_by("round__year__year", "score", "id").values_list(
        "id", "service_id", "round__year__year", "score", "decision_code", "service_name"))
    n = len(rows)
    if n:
        ids, sids, yrs, scores, codes, names = zip(*rows, strict=True)
    else:
        ids = sids = yrs = scores = codes = names = ()
    adverse = policies.adverse_codes(policy.framework)
    scores_arr = np.fromiter((float(s) for s in scores), dtype=np.float64, count=n)
    return WhatIf(
        policy=policy,
        result_ids=np.fromiter(ids, dtype=np.int64, count=n),
        service_ids=np.fromiter(sids, dtype=np.int64, count=n),
        years=np.fromiter(yrs, dtype=np.int32, count=n),
        scores=scores_arr,
        old_excluded=np.fromiter((c in adverse for c in codes), dtype=bool, count=n),
        new_excluded=_excluded(policy, scores_arr),
        names=list(names),
    )
