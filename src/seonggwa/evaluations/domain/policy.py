"""Threshold policies of the outsourced-service evaluation and the decisions they give.

SPEC §3: below 60 → excluded from re-contract (2018–2020 results); from the 2022
documents on, below 75 → excluded (open call instead, 관리지침). A policy has an id, a
threshold and the date it takes effect; every stored result names the policy that
decided it (``Result.policy_id``).

This module is the one place the evaluations app asks "which policy, which decision".
It prefers the scoring engine (``seonggwa.engine``) and its outsourcing preset when they
provide threshold policies; until then (or when the preset is absent) it uses the
built-in table below, which restates SPEC §3. Both paths give the same answer; the
adapter keeps the call sites unchanged when the engine is switched on.

Decision rule (half-open, explicit): ``score < threshold`` → ``exclude``; otherwise
``eligible``. The score is compared exactly as stored (Decimal with 2 places), never
rounded first.

Which date decides the policy: the evaluation's date — the round's start date when
known, else 1 January of the evaluation year. 2021 is not covered by the documents; the
60-point policy stays in force until 2022-01-01 (the start of the 2022 guideline) — a
stated assumption, configurable through ``SEONGGWA_THRESHOLD_POLICIES``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

EXCLUDE = "exclude"
ELIGIBLE = "eligible"

DECISION_LABELS = {
    EXCLUDE: ("재계약 배제", "excluded from re-contract"),
    ELIGIBLE: ("재계약 심의 가능", "eligible for re-contract review"),
}


class NoPolicyInForce(LookupError):
    """No threshold policy was in force on a date (before the earliest policy, e.g. a
    1999 evaluation). ``str(error)`` is a translated sentence a page can show; callers
    that can go on without a decision use :func:`policy_in_force_or_none`."""

    def __init__(self, on: dt.date, first: dt.date | None):
        self.on = on
        self.first = first
        if first is None:
            message = _("%(date)s에 시행 중인 재계약 기준 정책이 없습니다 "
                        "(등록된 기준 정책이 없음).") % {"date": on.isoformat()}
        else:
            message = _("%(date)s에 시행 중인 재계약 기준 정책이 없습니다 "
                        "(가장 이른 정책은 %(first)s부터 시행).") % {
                "date": on.isoformat(), "first": first.isoformat()}
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class ThresholdPolicy:
    """A threshold policy version: below ``threshold`` → ``exclude``."""

    id: str
    threshold: Decimal
    effective_from: dt.date
    label_ko: str
    label_en: str
    source: str = ""

    @property
    def label(self) -> str:
        """The label in the active language (English pages get ``label_en``)."""
        english = (get_language() or "").startswith("en")
        return (self.label_en if english else self.label_ko) or self.label_ko

    def decide(self, score) -> Decision:
        code = EXCLUDE if Decimal(str(score)) < self.threshold else ELIGIBLE
        return Decision(code, *DECISION_LABELS[code], policy_id=self.id)

    def decide_array(self, scores: np.ndarray) -> np.ndarray:
        """Vectorised: boolean array, True where the score is below the threshold.

        Scores come in as float64 of two-decimal values; the threshold comparison is
        exact for two-decimal values because both sides are the nearest floats of the
        same decimals.
        """
        return np.asarray(scores, dtype=np.float64) < float(self.threshold)


@dataclass(frozen=True)
class Decision:
    code: str
    label_ko: str
    label_en: str
    policy_id: str = ""

    @property
    def excluded(self) -> bool:
        return self.code == EXCLUDE


BUILTIN_POLICIES = (
    {
        "id": "seoul-outsourcing-threshold-60",
        "threshold": "60",
        "effective_from": "2000-01-01",
        "label_ko": "60점 미만 재계약 배제",
        "label_en": "below 60 excluded from re-contract",
        "source": "002 §2 나. (2018–2020 결과표·재계약 배제 사무)",
    },
    {
        "id": "seoul-outsourcing-threshold-75",
        "threshold": "75",
        "effective_from": "2022-01-01",
        "label_ko": "75점 미만 재계약 배제(공개모집 등)",
        "label_en": "below 75 excluded from re-contract (open call)",
        "source": "000 평가결과 (관리지침)",
    },
)


def _from_dict(d: dict) -> ThresholdPolicy:
    eff = d["effective_from"]
    if isinstance(eff, str):
        eff = dt.date.fromisoformat(eff)
    return ThresholdPolicy(
        id=str(d["id"]),
        threshold=Decimal(str(d["threshold"])),
        effective_from=eff,
        label_ko=d.get("label_ko", d.get("label", "")),
        label_en=d.get("label_en", d.get("label", "")),
        source=d.get("source", ""),
    )


def _engine_policies() -> list[ThresholdPolicy] | None:
    """Threshold policies from the engine's outsourcing preset, when it offers them."""
    try:
        from seonggwa.engine import policies as engine_policies  # type: ignore
    except Exception:  # engine not ready or no such module: use the built-in table
        return None
    loader = getattr(engine_policies, "outsourcing_threshold_policies", None)
    if loader is None:
        return None
    try:
        return [_from_dict(p if isinstance(p, dict) else vars(p)) for p in loader()]
    except Exception:
        return None


@lru_cache(maxsize=1)
def _cached_policies() -> tuple[ThresholdPolicy, ...]:
    configured = getattr(settings, "SEONGGWA_THRESHOLD_POLICIES", None)
    if configured:
        found = [_from_dict(p) for p in configured]
    else:
        found = _engine_policies() or [_from_dict(p) for p in BUILTIN_POLICIES]
    return tuple(sorted(found, key=lambda p: p.effective_from))


def policies() -> tuple[ThresholdPolicy, ...]:
    """All threshold policies, oldest first."""
    return _cached_policies()


def clear_cache() -> None:
    _cached_policies.cache_clear()


def get_policy(policy_id: str) -> ThresholdPolicy:
    for p in policies():
        if p.id == policy_id:
            return p
    raise KeyError(f"unknown threshold policy {policy_id!r}")


def policy_in_force_or_none(on: dt.date) -> ThresholdPolicy | None:
    """The policy in force on ``on`` (the latest whose ``effective_from`` ≤ ``on``), or
    ``None`` before the earliest policy."""
    chosen = None
    for p in policies():
        if p.effective_from <= on:
            chosen = p
    return chosen


def policy_in_force(on: dt.date) -> ThresholdPolicy:
    """The policy in force on ``on``; raises :class:`NoPolicyInForce` (a
    ``LookupError``) before the earliest policy."""
    chosen = policy_in_force_or_none(on)
    if chosen is None:
        known = policies()
        raise NoPolicyInForce(on, known[0].effective_from if known else None)
    return chosen


def policy_for_year(year: int) -> ThresholdPolicy:
    """The policy in force on 1 January of ``year``; :class:`NoPolicyInForce` if none."""
    return policy_in_force(dt.date(year, 1, 1))


def policy_for_year_or_none(year: int) -> ThresholdPolicy | None:
    return policy_in_force_or_none(dt.date(year, 1, 1))


def round_date(round_) -> dt.date:
    """The date that decides a round's policy: its start date, else 1 January."""
    return round_.start or dt.date(round_.year.year, 1, 1)


def policy_for_round(round_) -> ThresholdPolicy:
    """The policy that decides results of ``round_`` (its start date, else 1 January);
    :class:`NoPolicyInForce` if none."""
    return policy_in_force(round_date(round_))


def policy_for_round_or_none(round_) -> ThresholdPolicy | None:
    return policy_in_force_or_none(round_date(round_))


def ad_hoc_policy(threshold, *, policy_id: str | None = None) -> ThresholdPolicy:
    """A what-if policy that is not in force anywhere (never stored on a result)."""
    value = Decimal(str(threshold))
    return ThresholdPolicy(
        id=policy_id or f"what-if-threshold-{value.normalize()}",
        threshold=value,
        effective_from=dt.date.min,
        label_ko=f"{value.normalize()}점 미만 재계약 배제 (가정)",
        label_en=f"below {value.normalize()} excluded (what-if)",
        source="what-if",
    )


FRAMEWORK_ID = "seoul-outsourcing-comprehensive"


def framework_version_for_year(year: int) -> str:
    """Frameworks are versioned by year (SPEC §2)."""
    return str(year)
