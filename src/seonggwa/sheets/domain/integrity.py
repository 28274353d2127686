"""Score integrity instead of score floors: which ratings of a sheet need a written
justification before it can be submitted, and why (``process.integrity``).

A rating needs one when it is at the scale's minimum (``justify_minimum``) or further
than ``outlier_sd`` standard deviations from the mean of the other members' current
ratings of the same indicator for the same subject. The spread counted is at least one
scale step (a tenth of the range on a continuous scale): without that floor a unanimous
or nearly unanimous panel would make every different rating an outlier (a 3 beside
4, 5, 4 is not "far from the panel"). This is a check on what a
member enters, not a score: scores come from the engine only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext as _

from seonggwa import engine
from seonggwa.engine import aggregation
from seonggwa.evaluations.models import Rating
from seonggwa.sheets.domain.rules import integrity_of


@dataclass(frozen=True)
class Flag:
    """One rating that needs a justification, and the Korean sentence saying why."""

    indicator: str
    kind: str  # "minimum" or "outlier"
    message: str


def plain_number(value) -> str:
    """A rating as typed: 4, 3.5, 27.25 (no trailing zeros, no exponent)."""
    return format(Decimal(str(value)).normalize(), "f")


def _spread_floor(scale: engine.Scale) -> float:
    if scale.step:
        return scale.step
    return (scale.max - scale.min) / 10


def panel_centre_and_spread(values: list[float], ddof: int) -> tuple[float, float]:
    """The mean and standard deviation of a panel's ratings, as the engine computes them
    (:func:`seonggwa.engine.aggregation.mean`, :func:`~seonggwa.engine.aggregation.panel_sd`);
    a spread of 0 when there are too few ratings for one."""
    ratings = np.asarray([values], dtype=np.float64)  # one cell, the panel on the last axis
    count = aggregation.panel_count(ratings)
    centre = aggregation.mean(ratings, count)
    sd = aggregation.panel_sd(ratings, count, centre, ddof=ddof)
    return float(centre[0]), (0.0 if np.isnan(sd[0]) else float(sd[0]))


def others_ratings(sheet, codes) -> dict[str, list[float]]:
    """The other members' current ratings of ``codes`` for the sheet's subject."""
    found: dict[str, list[float]] = defaultdict(list)
    rows = (Rating.objects.filter(round_id=sheet.round_id, subject_id=sheet.subject_id,
                                  superseded_at__isnull=True, indicator__in=list(codes))
            .exclude(evaluator_label=sheet.evaluator_label)
            .order_by().values_list("indicator", "value"))
    for code, value in rows:
        found[code].append(float(value))
    return found


def flags(sheet, framework: engine.Framework, values: Mapping[str, Decimal | None]
          ) -> list[Flag]:
    """The ratings among ``values`` (indicator -> value) that need a justification."""
    rules = integrity_of(framework)
    if rules.outlier_sd is None and not rules.justify_minimum:
        return []
    given = {code: v for code, v in values.items() if v is not None}
    others = others_ratings(sheet, given) if rules.outlier_sd is not None else {}
    found = []
    for code, value in given.items():
        ind = framework.indicator(code)
        scale = ind.scale
        name = f"{ind.code} {ind.name}"
        shown = plain_number(value)
        if rules.justify_minimum and float(value) == scale.min:
            label = scale.label_of(scale.min)
            found.append(Flag(code, "minimum", _(
                "%(goal)s: 평점 %(value)s%(label)s은(는) 척도의 최저점입니다. 이 평점을 준 "
                "사유를 적어야 제출할 수 있습니다.") % {
                    "goal": name, "value": shown, "label": f"({label})" if label else ""}))
            continue
        panel = others.get(code) or []
        if rules.outlier_sd is None or not panel:
            continue
        mean, sd = panel_centre_and_spread(panel, framework.sd_ddof)
        spread = max(sd, _spread_floor(scale))
        limit = rules.outlier_sd * spread
        distance = abs(float(value) - mean)
        if distance > limit + 1e-9:
            found.append(Flag(code, "outlier", _(
                "%(goal)s: 평점 %(value)s은(는) 다른 위원 %(n)s명 평점의 평균 %(mean)s에서 "
                "%(distance)s 떨어져 있어 기준(편차 %(spread)s의 %(k)s배 = %(limit)s)을 "
                "넘습니다. 이 평점을 준 사유를 적어야 제출할 수 있습니다.") % {
                    "goal": name, "value": shown, "n": len(panel),
                    "mean": f"{mean:.2f}", "distance": f"{distance:.2f}",
                    "spread": f"{spread:.2f}", "k": f"{rules.outlier_sd:g}",
                    "limit": f"{limit:.2f}"}))
    return found
