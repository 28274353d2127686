"""Threshold policies of the outsourced-service evaluation and the decisions they give.

SPEC §3: below 60 → excluded from re-contract (2018–2020 results); from the 2022
documents on, below 75 → excluded (open call instead, 관리지침). A policy has an id, a
threshold and the date it takes effect; every stored result names the policy that
decided it (``Result.policy_id``).

This module is the one place the evaluations app asks "which policy, which decision".
The policies themselves are data: the ``policies`` of the engine's outsourcing preset
(``presets/seoul-outsourcing.yaml``), so the CLI, the engine and the web app decide by
the same lines. A deployment can replace them with ``SEONGGWA_THRESHOLD_POLICIES``.

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


PRESET = "seoul-outsourcing"


def _from_dict(d: dict) -> ThresholdPolicy:
    """A policy from settings (``SEONGGWA_THRESHOLD_POLICIES``), e.g. another city's lines."""
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


def _preset_policies() -> list[ThresholdPolicy]:
    """The threshold policies of the engine's outsourcing preset: the one source of truth
    shared by the CLI, the engine and the web app."""
    from seonggwa.engine import load_preset

    framework = load_preset(PRESET)
    found = []
    for p in framework.policies:
        threshold = Decimal(str(p.threshold))
        shown = _plain(threshold)
        found.append(ThresholdPolicy(
            id=p.id,
            threshold=threshold,
            effective_from=p.effective_from,
            label_ko=f"{shown}점 미만 {p.below or DECISION_LABELS[EXCLUDE][0]}",
            label_en=f"below {shown} excluded from re-contract",
            source=p.note or "",
        ))
    return found


@lru_cache(maxsize=1)
def _cached_policies() -> tuple[ThresholdPolicy, ...]:
    configured = getattr(settings, "SEONGGWA_THRESHOLD_POLICIES", None)
    if configured:
        found = [_from_dict(p) for p in configured]
    else:
        found = _preset_policies()
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


def _plain(value: Decimal) -> str:
    """75 → '75', 72.5 → '72.5' (``normalize()`` alone would print 6E+1 for 60)."""
    return format(value.normalize(), "f")


def ad_hoc_policy(threshold, *, policy_id: str | None = None) -> ThresholdPolicy:
    """A what-if policy that is not in force anywhere (never stored on a result)."""
    value = Decimal(str(threshold))
    shown = _plain(value)
    return ThresholdPolicy(
        id=policy_id or f"what-if-threshold-{shown}",
        threshold=value,
        effective_from=dt.date.min,
        label_ko=f"{shown}점 미만 재계약 배제 (가정)",
        label_en=f"below {shown} excluded (what-if)",
        source="what-if",
    )


FRAMEWORK_ID = PRESET


def framework_version_for_year(year: int) -> str:
    """Frameworks are versioned by year (SPEC §2)."""
    return str(year)
