"""Threshold policies and decision labels, read from framework documents.

Nothing here decides by itself: policies, thresholds, decision codes and their Korean
and English labels are the framework document's (``presets/seoul-outsourcing.yaml``);
re-deciding a stored total under another policy (the re-contract sheet's "policy on the
re-contract date", what-if) calls the engine (:func:`seonggwa.engine.decide_totals`).
This module only shapes those for pages: a policy with its label in both languages, a
decision with its label (:func:`decision_label`, the one every page and export uses) and
whether it is adverse (:func:`adverse_codes`), the filter choices of decisions
(:func:`decision_choices`).

Which date decides the policy: the evaluation's date — the round's start date when known,
else 1 January of the evaluation year (:func:`decision_date`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import numpy as np
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from seonggwa import engine
from seonggwa.core.language import lang as active_lang
from seonggwa.core.language import shown
from seonggwa.evaluations.domain.frameworks import (
    OUTSOURCING_TOTALS_PRESET,
    bundled_preset,
    frameworks_by_id,
)


def _plain(value) -> str:
    """75 → '75', 72.5 → '72.5'."""
    return format(Decimal(str(value)).normalize(), "f")


@dataclass(frozen=True)
class DecisionView:
    """A decision of a framework document, for pages: its code, its labels and whether it
    is adverse (재계약 배제, 지원 중단: pages mark it; see :func:`adverse_codes`)."""

    code: str
    label_ko: str
    label_en: str
    policy_id: str = ""
    adverse: bool = False

    @property
    def label(self) -> str:
        """The label in the active language."""
        return shown(self.label_ko, self.label_en)

    def label_in(self, lang: str) -> str:
        """The label in ``lang`` ("ko" or "en"), whatever language is active."""
        return (self.label_en if lang == "en" else None) or self.label_ko

    def __str__(self) -> str:
        return self.label


@lru_cache(maxsize=64)
def adverse_codes(framework: engine.Framework) -> frozenset[str]:
    """The decisions of ``framework`` that go against the evaluated party, read from its
    document (no preset names them): the decision each threshold policy gives below its
    threshold (``below``: 재계약 배제) and the decision of its lowest grade band (미흡 →
    지원 중단)."""
    codes = {p.below for p in framework.policies if p.threshold is not None and p.below}
    if framework.bands:
        lowest = min(framework.bands, key=lambda band: band.lower)
        if lowest.decision:
            codes.add(lowest.decision)
    return frozenset(codes)


def is_adverse(code: str, framework: engine.Framework | None = None) -> bool:
    """Whether a decision code of ``framework`` (default: outsourcing) is adverse."""
    return bool(code) and code in adverse_codes(framework or outsourcing_framework())


def adverse_results(results: QuerySet) -> QuerySet:
    """The results of ``results`` whose stored decision is adverse under the framework
    version each was computed under (one read of the frameworks, one query)."""
    found = frameworks_by_id(results.values_list("framework_version_id", flat=True).distinct())
    adverse = Q(pk__in=[])
    for version_id, framework in found.items():
        codes = adverse_codes(framework)
        if codes:
            adverse |= Q(framework_version_id=version_id, decision_code__in=sorted(codes))
    return results.filter(adverse)


@dataclass(frozen=True)
class PolicyView:
    """A threshold policy of a framework document, with labels for pages."""

    id: str
    threshold: Decimal | None
    effective_from: dt.date
    effective_to: dt.date | None
    label_ko: str
    label_en: str
    source: str
    framework: engine.Framework
    policy: engine.Policy

    @property
    def label(self) -> str:
        return shown(self.label_ko, self.label_en)

    def decide(self, score) -> DecisionView:
        """The engine's decision for one published total under this policy."""
        code = decide_totals(self.framework, [score], policy=self)[0]
        return decision_view(self.framework, code, policy_id=self.id)


def _view(framework: engine.Framework, policy: engine.Policy) -> PolicyView:
    threshold = None if policy.threshold is None else Decimal(_plain(policy.threshold))
    below = framework.decision_def(policy.below) if policy.below else None
    if threshold is not None and below is not None:
        label_ko = f"{_plain(threshold)}점 미만 {below.label}"
        label_en = f"below {_plain(threshold)} {(below.label_en or below.label).lower()}"
    else:
        label_ko = label_en = policy.note or policy.id
    return PolicyView(id=policy.id, threshold=threshold, effective_from=policy.effective_from,
                      effective_to=policy.effective_to, label_ko=label_ko, label_en=label_en,
                      source=policy.note or "", framework=framework, policy=policy)


def outsourcing_framework() -> engine.Framework:
    """The framework published totals are decided under (its policies are the
    outsourcing preset's, defined once there)."""
    return bundled_preset(OUTSOURCING_TOTALS_PRESET)


def policies(framework: engine.Framework | None = None) -> tuple[PolicyView, ...]:
    """The threshold policies of ``framework`` (default: outsourcing), oldest first."""
    framework = framework or outsourcing_framework()
    return tuple(sorted((_view(framework, p) for p in framework.policies),
                        key=lambda p: p.effective_from))


def get_policy(policy_id: str, framework: engine.Framework | None = None) -> PolicyView:
    for p in policies(framework):
        if p.id == policy_id:
            return p
    raise KeyError(f"unknown threshold policy {policy_id!r}")


def policy_in_force_or_none(on: dt.date,
                            framework: engine.Framework | None = None) -> PolicyView | None:
    """The policy in force on ``on`` (its ``effective_from``..``effective_to``), or None:
    the one choice of a policy, the engine's (:meth:`engine.Framework.policy_for`), which
    every page, import and statistic reaches through here."""
    framework = framework or outsourcing_framework()
    if not framework.policies:
        return None
    try:
        found = framework.policy_for(on)
    except engine.FrameworkError:  # no policy in force on that date
        return None
    return _view(framework, found)


def evaluation_date(year: int, start: dt.date | None = None) -> dt.date:
    """The date that decides an evaluation's policy: its start date when known, else
    1 January of the evaluation year."""
    return start or dt.date(year, 1, 1)


def policy_for_year_or_none(year: int) -> PolicyView | None:
    """The outsourcing policy of an evaluation year whose start is not known."""
    return policy_in_force_or_none(evaluation_date(year))


def policy_for_round_or_none(round_) -> PolicyView | None:
    framework = (round_.framework_version.framework if round_.framework_version_id
                 else outsourcing_framework())
    return policy_in_force_or_none(decision_date(round_), framework)


def decision_date(round_) -> dt.date:
    """The date that decides a round's policy (:func:`evaluation_date` of the round)."""
    return evaluation_date(round_.year.year, round_.start)


def no_policy_message(on: dt.date, framework: engine.Framework | None = None) -> str:
    known = policies(framework)
    if not known:
        return _("%(date)s에 시행 중인 재계약 기준 정책이 없습니다 (등록된 기준 정책이 없음).") % {
            "date": on.isoformat()}
    return _("%(date)s에 시행 중인 재계약 기준 정책이 없습니다 "
             "(가장 이른 정책은 %(first)s부터 시행).") % {
        "date": on.isoformat(), "first": known[0].effective_from.isoformat()}


def decision_view(framework: engine.Framework, code: str, *, policy_id: str = "") -> DecisionView:
    """A decision code of ``framework`` as a page shows it (KeyError for a code the
    document does not declare)."""
    d = framework.decision_def(code)
    return DecisionView(code=code, label_ko=d.label, label_en=d.label_en or d.label,
                        policy_id=policy_id, adverse=code in adverse_codes(framework))


def decision_views(framework: engine.Framework | None = None) -> tuple[DecisionView, ...]:
    """Every decision of ``framework`` (default: outsourcing), in document order."""
    framework = framework or outsourcing_framework()
    return tuple(decision_view(framework, code) for code in framework.decision_codes[1:])


def decision_choices(framework: engine.Framework | None = None) -> list[tuple[str, str]]:
    """(code, label in the active language) of every decision of ``framework`` (default:
    outsourcing): the choices of a filter by decision."""
    return [(d.code, d.label) for d in decision_views(framework)]


def policy_label(policy_id: str, framework: engine.Framework | None = None) -> str | None:
    """The threshold policy in words in the active language ("60점 미만 재계약 배제"),
    never its code; ``None`` when ``framework`` (default: outsourcing) has no such
    policy — the caller decides what to show then."""
    if not policy_id:
        return None
    try:
        return get_policy(policy_id, framework).label
    except KeyError:
        return None


def decision_label(code: str, framework: engine.Framework | None = None, *,
                   lang: str | None = None) -> str:
    """The label of a decision code, from the framework document (default: outsourcing):
    in the active language, or in ``lang`` ("ko", "en") for a text that must stay in one
    language whatever the page's (an export, a message sent). "" for no decision;
    unknown codes are shown as they are. Every page and export labels decisions here."""
    if not code:
        return ""
    framework = framework or outsourcing_framework()
    try:
        view = decision_view(framework, code)
    except KeyError:
        return code
    return view.label_in(lang or active_lang())


def what_if_policy(threshold, framework: engine.Framework | None = None) -> PolicyView:
    """A what-if policy that is in force nowhere (never stored on a result): the
    framework's first threshold policy with another threshold."""
    framework = framework or outsourcing_framework()
    base = next(p for p in framework.policies if p.threshold is not None)
    value = Decimal(str(threshold))
    policy = engine.Policy(id=f"what-if-threshold-{_plain(value)}",
                           effective_from=dt.date.min, effective_to=None,
                           threshold=float(value), below=base.below, otherwise=base.otherwise,
                           note="what-if")
    view = _view(framework, policy)
    return PolicyView(**{**view.__dict__, "label_ko": view.label_ko + " (가정)",
                         "label_en": view.label_en + " (what-if)"})


def decide_totals(framework: engine.Framework, totals, *, policy: PolicyView) -> list[str]:
    """Decision codes of published totals under ``policy`` — by the engine."""
    values = np.asarray([float(t) for t in totals], dtype=np.float64)
    index = engine.decide_totals(framework, values, policy=policy.policy)
    codes = framework.decision_codes
    return [codes[int(i)] for i in index]


def decide_array(framework: engine.Framework, totals: np.ndarray, *,
                 policy: PolicyView) -> np.ndarray:
    """Vectorised :func:`decide_totals`: the engine's decision indices."""
    return engine.decide_totals(framework, np.asarray(totals, dtype=np.float64),
                                policy=policy.policy)
