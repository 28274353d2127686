"""The framework document model: a scheme-year's rules as immutable dataclasses.

:class:`Framework` and its parts (:class:`Area`, :class:`Indicator`, :class:`Band`,
:class:`Policy`, :class:`DecisionDef`, :class:`ClassLevel`) are what every scorer reads.
They are built, and the document validated, by
:func:`~seonggwa.engine.parse_framework.framework_from_dict` (the ``parse_*`` modules);
this module owns what follows from the parsed rules: the k axis of every batch array
(indicators in document order), the decision vocabulary (and the legacy rule for documents
without a ``decisions:`` section), the reachable score range, the policy in force on a
date, the combination rules as text and the fingerprint (sha256 of the document) that
identifies the exact rules behind a result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .aggregation import get_aggregation
from .errors import FrameworkError
from .scales import Scale

__all__ = [
    "KINDS",
    "PANEL_KINDS",
    "Area",
    "Band",
    "ClassLevel",
    "DecisionDef",
    "Framework",
    "Indicator",
    "Policy",
    "legacy_decisions",
]

KINDS = ("quantitative", "rating", "survey", "direct")
PANEL_KINDS = ("rating", "survey", "direct")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    kind: str
    points: float  # maximum points in the total's units (weights are converted)
    area: str
    weight: float | None = None
    name_en: str | None = None
    unit: str | None = None
    direction: str | None = None
    target: float | None = None
    target_high: float | None = None
    target_text: str | None = None
    secondary_targets: tuple[dict[str, Any], ...] = ()
    cumulative: bool = False
    cap: float | None = None
    score_rule: str = "proportional"
    scale: Scale | None = None
    applies_to: tuple[str, ...] = ()
    min_panel: int | None = None  # None = the framework's panel.min_panel
    note: str | None = None

    @property
    def uses_panel(self) -> bool:
        return self.kind in PANEL_KINDS

    def group_allows(self, group: str | None) -> bool:
        """Whether the indicator applies to subjects of ``group`` (partial indicators)."""
        return not self.applies_to or not group or group in self.applies_to

    def rule_text(self) -> str:
        """How this indicator turns input into points — shown in every explanation."""
        if self.kind == "quantitative":
            cap = "no cap" if self.cap is None else f"cap {self.cap:g}"
            how = "points if achievement >= 1 else 0" if self.score_rule == "met" else (
                "min(achievement, cap) x points")
            return f"quantitative, direction {self.direction}, {cap}: {how}"
        assert self.scale is not None
        return f"{self.kind}, {self.scale.describe()}"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    points: float
    indicators: tuple[Indicator, ...]
    name_en: str | None = None


@dataclass(frozen=True)
class DecisionDef:
    """One entry of the decision vocabulary: a stable code and its labels."""

    code: str
    label: str
    label_en: str | None = None

    def label_in(self, lang: str = "ko") -> str:
        """The label in ``lang`` ("ko" or "en"); English falls back to the Korean label."""
        if lang == "en" and self.label_en:
            return self.label_en
        return self.label


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    lower: float
    upper: float
    decision: str | None = None
    label_en: str | None = None


@dataclass(frozen=True)
class Policy:
    id: str
    effective_from: dt.date
    effective_to: dt.date | None  # inclusive; None = open-ended
    threshold: float | None = None
    below: str | None = None
    otherwise: str | None = None
    note: str | None = None

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class ClassLevel:
    code: str
    label: str
    min: float


@dataclass(frozen=True, eq=False)  # identity equality: hashable, usable as a cache key
class Framework:
    id: str
    version: str
    title: str
    total: float
    areas: tuple[Area, ...]
    weighting: str = "points"
    weight_total: float = 100.0
    area_rule: str = "sum"
    total_rule: str = "sum"
    groups: tuple[str, ...] = ()
    panel_method: str = "mean"
    min_panel: int = 1
    sd_ddof: int = 0
    rebase: str = "total"
    missing: str = "exclude"
    decimals: int = 2
    decide_on: str = "rounded"
    bands: tuple[Band, ...] = ()
    policies: tuple[Policy, ...] = ()
    decisions: tuple[DecisionDef, ...] = ()  # the vocabulary; see decision_codes
    levels: tuple[ClassLevel, ...] = ()
    title_en: str | None = None
    scheme: str | None = None
    source: str = "<dict>"
    document: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- structure -------------------------------------------------------------

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """All indicators in document order: this is the k axis of every batch array."""
        return tuple(ind for area in self.areas for ind in area.indicators)

    @cached_property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(ind.code for ind in self.indicators)

    @cached_property
    def panel_codes(self) -> tuple[str, ...]:
        """Rating, survey and direct indicators in document order: the k axis of
        ``BatchInput.ratings`` (the compact ratings input)."""
        return tuple(ind.code for ind in self.indicators if ind.uses_panel)

    @cached_property
    def quantitative_codes(self) -> tuple[str, ...]:
        """Quantitative indicators in document order: the k axis of compact (``[n, kq]``)
        actuals and targets."""
        return tuple(ind.code for ind in self.indicators if ind.kind == "quantitative")

    @cached_property
    def area_codes(self) -> tuple[str, ...]:
        return tuple(area.code for area in self.areas)

    @cached_property
    def indicator_index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.indicator_codes)}

    def indicator(self, code: str) -> Indicator:
        return self.indicators[self.indicator_index[code]]

    @cached_property
    def _decision_vocabulary(self) -> tuple[DecisionDef, ...]:
        if self.decisions:
            return self.decisions
        # Built without a parsed vocabulary (a hand-made Framework): the legacy rule.
        return legacy_decisions(self.bands, self.policies)

    @cached_property
    def decision_codes(self) -> tuple[str, ...]:
        """Decision codes; ``BatchResult.decision`` indexes this tuple, 0 ("") = none."""
        return ("",) + tuple(d.code for d in self._decision_vocabulary)

    @cached_property
    def decision_labels(self) -> tuple[str, ...]:
        """Korean labels aligned with :attr:`decision_codes` (index 0 = "")."""
        return ("",) + tuple(d.label for d in self._decision_vocabulary)

    @cached_property
    def decision_index(self) -> dict[str, int]:
        """Code -> index into :attr:`decision_codes`."""
        return {code: i for i, code in enumerate(self.decision_codes)}

    def decision_def(self, code: str) -> DecisionDef:
        """The :class:`DecisionDef` of a code (KeyError naming the known codes)."""
        for decision in self._decision_vocabulary:
            if decision.code == code:
                return decision
        known = ", ".join(self.decision_codes[1:]) or "none declared"
        raise KeyError(f"unknown decision code {code!r} (declared: {known})")

    def decision_label(self, code: str | None, lang: str = "ko") -> str:
        """Label of a decision code in ``lang`` ("ko" or "en", falling back to Korean);
        "" for no decision."""
        if not code:
            return ""
        return self.decision_def(code).label_in(lang)

    @cached_property
    def score_range(self) -> tuple[float, float]:
        """(minimum, maximum) total a subject can reach, caps above 1 included."""
        return 0.0, _max_total(self)

    @property
    def process(self) -> Mapping[str, Any]:
        """The ``process`` sections of the document (deadlines, panel, integrity, appeal);
        empty when the framework states none."""
        return self.document.get("process") or {}

    @cached_property
    def fingerprint(self) -> str:
        """sha256 of the canonical document: identifies the exact rules of a result."""
        canonical = json.dumps(self.document, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    # -- policies --------------------------------------------------------------

    def policy_for(self, on: dt.date | None) -> Policy | None:
        """The threshold policy in force on a date (None if the framework has none)."""
        if not self.policies:
            return None
        if on is None:
            on = dt.date.today()
        for policy in self.policies:
            if policy.in_force(on):
                return policy
        spans = ", ".join(f"{p.id} ({p.effective_from}..{p.effective_to or ''})"
                          for p in self.policies)
        raise FrameworkError("policies", f"no policy in force on {on.isoformat()} ({spans})",
                             self.source)

    def describe_rules(self) -> dict[str, Any]:
        """The combination rules, for explanations and exports."""
        aggregation = get_aggregation(self.panel_method)
        return {
            "panel": f"{self.panel_method} ({aggregation.description}), "
                     f"min_panel {self.min_panel}, sd {'sample' if self.sd_ddof else 'population'}",
            "area": self.area_rule,
            "total": self.total_rule,
            "not_applicable": f"left out; rebase {self.rebase}",
            "missing": self.missing,
            "rounding": f"{self.decimals} decimals, half up, decide on {self.decide_on} total",
        }


def _max_total(framework: Framework) -> float:
    """Largest reachable total: nominal points, stretched by caps above 1."""
    def reach(ind: Indicator) -> float:
        stretch = ind.cap if (ind.kind == "quantitative" and ind.score_rule == "proportional"
                              and ind.cap is not None) else 1.0
        if ind.kind == "quantitative" and ind.cap is None and ind.score_rule == "proportional":
            stretch = math.inf
        return ind.points * stretch

    def area_reach(area: Area) -> float:
        values = [reach(ind) for ind in area.indicators]
        return sum(values) if framework.area_rule == "sum" else max(values)

    if framework.total_rule == "sum":
        return float(sum(area_reach(a) for a in framework.areas))
    if framework.total_rule == "mean_of_areas":
        return float(max(area_reach(a) for a in framework.areas))
    return float(max(reach(ind) for ind in framework.indicators))


def legacy_decisions(bands: Sequence[Band], policies: Sequence[Policy]
                     ) -> tuple[DecisionDef, ...]:
    """The vocabulary of a document without ``decisions:``: each distinct decision text
    (bands first, then policies in order) is its own code, with itself as the label."""
    texts: list[str] = []
    candidates = [band.decision for band in bands]
    for policy in policies:
        candidates += [policy.below, policy.otherwise]
    for text in candidates:
        if text and text not in texts:
            texts.append(text)
    return tuple(DecisionDef(text, text) for text in texts)
